"""One log event understood: severity, HTTP status, a readable summary of JSON lines, the raw text.

Parsing is lazy (on first look), cheap and bounded: JSON is only tried on lines that look like an
object and are under ``JSON_LIMIT`` characters; level and status words are searched in the first
``SCAN_LIMIT`` only.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from enum import IntEnum

from kojan_tui.core.logtext import decode
from kojan_tui.core.models import LogEvent

JSON_LIMIT = 64 * 1024
SCAN_LIMIT = 512


class Severity(IntEnum):
    UNKNOWN = 0
    DEBUG = 1
    INFO = 2
    WARN = 3
    ERROR = 4


_LEVEL_WORDS = {
    "error": Severity.ERROR, "err": Severity.ERROR, "fatal": Severity.ERROR, "panic": Severity.ERROR,
    "critical": Severity.ERROR, "crit": Severity.ERROR, "alert": Severity.ERROR, "emerg": Severity.ERROR,
    "emergency": Severity.ERROR, "severe": Severity.ERROR,
    "warn": Severity.WARN, "warning": Severity.WARN,
    "info": Severity.INFO, "notice": Severity.INFO, "information": Severity.INFO,
    "debug": Severity.DEBUG, "trace": Severity.DEBUG,
}  # fmt: skip
_LEVEL_KEYS = ("level", "severity", "lvl", "loglevel", "log.level", "levelname")
_MESSAGE_KEYS = ("msg", "message", "error", "err")
_METHOD_KEYS = ("method", "http_method", "httpMethod")
_PATH_KEYS = ("path", "uri", "url", "route")
_STATUS_KEYS = ("status", "status_code", "statusCode", "http_status", "code")
_LATENCY_KEYS = ("latency", "latency_ms", "duration", "duration_ms", "elapsed", "took")
_REQUEST_KEYS = ("request_id", "requestId", "req_id", "trace_id", "traceId")

WORD_SCAN = 8
_PUNCTUATION = "[]()<>{}:,;|\"'"
# Level words recognised as a whole word in upper case (``ERROR``, ``[WARN]``, ``INFO:``).
_LEVEL_TOKENS = {word.upper(): level for word, level in _LEVEL_WORDS.items() if len(word) > 3}
_STATUS_FIELD = re.compile(r"(?:status|Status|STATUS)(?:_code|Code)?\"?\s*[=:]\s*\"?([1-5]\d\d)\b")
_ACCESS_LOG_STATUS = re.compile(r"HTTP/\d(?:\.\d)?\"?\s+([1-5]\d\d)\b")


@dataclass(frozen=True, slots=True)
class LineDetails:
    """What parsing a line's text finds."""

    severity: Severity = Severity.UNKNOWN
    http_status: int | None = None
    summary: str | None = None  # readable form of a JSON line; None for plain text


class LogLine:
    """A log event ready to show. ``raw`` is the full message as received (never truncated).

    Details (severity, HTTP status, JSON summary) are parsed on first use and kept: a view only
    ever looks at the lines on screen, so a burst of 10 000 lines costs 10 000 cheap objects, and
    the parsing of the few dozen that get shown. Treat instances as immutable.
    """

    __slots__ = ("raw", "timestamp_ms", "stream", "event_id", "_details")

    def __init__(self, raw: str, timestamp_ms: int = 0, stream: str = "", event_id: str = "") -> None:
        self.raw = raw
        self.timestamp_ms = timestamp_ms
        self.stream = stream
        self.event_id = event_id
        self._details: LineDetails | None = None

    @property
    def details(self) -> LineDetails:
        details = self._details
        if details is None:
            details = self._details = parse_details(self.raw)
        return details

    @property
    def severity(self) -> Severity:
        return self.details.severity

    @property
    def http_status(self) -> int | None:
        return self.details.http_status

    @property
    def summary(self) -> str | None:
        return self.details.summary

    @property
    def http_class(self) -> int | None:
        """1–5 for 1xx–5xx, None when the line carries no HTTP status."""
        status = self.details.http_status
        return status // 100 if status is not None else None

    @property
    def readable(self) -> str:
        summary = self.details.summary
        return summary if summary is not None else self.raw

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LogLine):
            return NotImplemented
        return (self.raw, self.timestamp_ms, self.stream, self.event_id) == (
            other.raw, other.timestamp_ms, other.stream, other.event_id,
        )  # fmt: skip

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LogLine(raw={self.raw[:80]!r}, timestamp_ms={self.timestamp_ms}, stream={self.stream!r}, event_id={self.event_id!r})"


def parse_event(event: LogEvent) -> LogLine:
    return LogLine(decode(event.message), event.timestamp_ms, event.stream, event.event_id)


def parse_line(data: str | bytes, *, timestamp_ms: int = 0, stream: str = "", event_id: str = "") -> LogLine:
    return LogLine(decode(data), timestamp_ms, stream, event_id)


def parse_details(raw: str) -> LineDetails:
    """Severity, HTTP status and (for JSON objects) a readable summary of one line's text.

    Never raises: whatever the text (non-finite or huge numbers, deep nesting, lone surrogates, any
    JSON type in any field), a line that cannot be understood is a line of UNKNOWN severity.
    """
    try:
        return _parse_details(raw)
    except Exception:  # noqa: BLE001 - one hostile line must never take the console down
        return LineDetails()


def _parse_details(raw: str) -> LineDetails:
    if not isinstance(raw, str):
        raw = decode(raw) if isinstance(raw, bytes | bytearray | memoryview) else str(raw)
    if raw[:1] == "{" or raw.lstrip()[:1] == "{":
        if len(raw) <= JSON_LIMIT:
            fields = _json_object(raw)
            if fields is not None:
                return _from_json(fields)
    scan = raw[:SCAN_LIMIT]
    return LineDetails(severity=_text_severity(scan), http_status=_text_status(scan))


def _json_object(raw: str) -> dict | None:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError, lone surrogates, huge ints; deep nesting
        return None
    return value if isinstance(value, dict) else None


_ROLES = {
    **dict.fromkeys(_LEVEL_KEYS, "level"), **dict.fromkeys(_MESSAGE_KEYS, "message"),
    **dict.fromkeys(_METHOD_KEYS, "method"), **dict.fromkeys(_PATH_KEYS, "path"),
    **dict.fromkeys(_STATUS_KEYS, "status"), **dict.fromkeys(_LATENCY_KEYS, "latency"),
    **dict.fromkeys(_REQUEST_KEYS, "request"),
}  # fmt: skip


def _from_json(fields: dict) -> LineDetails:
    found: dict[str, object] = {}
    for key, value in fields.items():  # one pass; the first key of each role wins
        role = _ROLES.get(key)
        if role is not None and role not in found and value is not None and value != "":
            found[role] = value
    level = found.get("level")
    severity = _LEVEL_WORDS.get(level.lower(), Severity.UNKNOWN) if isinstance(level, str) else Severity.UNKNOWN
    status = _as_status(found["status"]) if "status" in found else None
    parts: list[str] = []
    if "message" in found:
        parts.append(_scalar(found["message"]))
    request = " ".join(_scalar(found[role]) for role in ("method", "path") if role in found)
    if status is not None:
        request = f"{request} {status}" if request else f"status={status}"
    if request:
        parts.append(request)
    if "latency" in found:
        parts.append(_latency(found["latency"]))
    if "request" in found:
        parts.append(f"req={_scalar(found['request'])}")
    return LineDetails(severity=severity, http_status=status, summary=" · ".join(parts) if parts else None)


SCALAR_LIMIT = 512  # characters of a non-string field shown in a summary


def _scalar(value) -> str:
    """A field's value as text: strings as they are, anything else as compact JSON (bounded)."""
    if isinstance(value, str):
        return value
    try:
        text = json.dumps(value, ensure_ascii=False)  # inf/nan come out as Infinity/NaN
    except (ValueError, RecursionError):  # an int too long to print, nesting too deep
        return f"<{type(value).__name__}>"
    return text if len(text) <= SCALAR_LIMIT else f"{text[:SCALAR_LIMIT]}…"


def _latency(value) -> str:
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:g}ms"
    if isinstance(value, int) and not isinstance(value, bool) and -(10**15) < value < 10**15:
        return f"{value}ms"
    return _scalar(value)


def _as_status(value) -> int | None:
    """An HTTP status from an int, an integral finite float or a digit string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    elif isinstance(value, str):
        value = value.strip()
        if not (len(value) == 3 and value.isascii() and value.isdigit()):
            return None
        value = int(value)
    elif not isinstance(value, int):
        return None
    return value if 100 <= value <= 599 else None


def _text_severity(scan: str) -> Severity:
    """The level word among the first ``WORD_SCAN`` words (``ERROR``, ``[warn]``, ``level=info``...),
    else ERROR/WARN when those words appear anywhere in the scanned head."""
    for token in scan.split(None, WORD_SCAN)[:WORD_SCAN]:
        word = token.strip(_PUNCTUATION)
        severity = _LEVEL_TOKENS.get(word)
        if severity is not None:
            return severity
        if "=" in word or ":" in word:
            key, _, value = word.replace(":", "=", 1).partition("=")
            if key.lower() in _LEVEL_KEYS:
                severity = _LEVEL_WORDS.get(value.strip(_PUNCTUATION).lower())
                if severity is not None:
                    return severity
    if "ERROR" in scan or "FATAL" in scan or "PANIC" in scan:
        return Severity.ERROR
    if "WARN" in scan:
        return Severity.WARN
    return Severity.UNKNOWN


def _text_status(scan: str) -> int | None:
    if "tatus" in scan or "STATUS" in scan:
        match = _STATUS_FIELD.search(scan)
        if match:
            return int(match.group(1))
    if "HTTP/" in scan:
        match = _ACCESS_LOG_STATUS.search(scan)
        if match:
            return int(match.group(1))
    return None
