"""S05 error lines grouped by their shape, not their text: the JSON ``msg``/``error`` field when there is one,
else the message with ids, numbers, durations, IPs, UUIDs, hex and timestamps masked. Pure and never raises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

SHAPE_LIMIT = 300  # characters of a group's shape kept (and shown)
JSON_LIMIT = 64 * 1024  # longer lines are grouped as text, not parsed
EXAMPLE_LIMIT = 4096

_MESSAGE_KEYS = ("msg", "message")
_ERROR_KEYS = ("error", "err")

# Order matters: the specific shapes first, bare numbers last.
_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"), "<uuid>"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"), "<time>"),
    (re.compile(r"\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b"), "<time>"),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), "<ip>"),
    (re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){4,7}[0-9a-fA-F]{1,4}\b"), "<ip>"),
    (re.compile(r"\b0x[0-9a-fA-F]+\b"), "<hex>"),
    (re.compile(r"\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b"), "<hex>"),
    (re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)\b"), "<dur>"),
    (re.compile(r"\b(?=[A-Za-z0-9_-]*[A-Za-z])(?=(?:[A-Za-z_-]*\d){3})[A-Za-z0-9_-]{5,}\b"), "<id>"),  # u_48213, req-7f3a91
    (re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b"), "<num>"),
)
_PLACEHOLDER = re.compile(r"<(?:uuid|time|ip|hex|id|dur|num)>")
_NOT_IN_A_TERM = re.compile(r'<(?:uuid|time|ip|hex|id|dur|num)>|["\\\x00-\x1f\x7f]')


def mask(text: str) -> str:
    """``text`` with ids, numbers, durations, IPs, UUIDs, hex and timestamps replaced by ``<placeholders>``."""
    for pattern, placeholder in _MASKS:
        text = pattern.sub(placeholder, text)
    return text


@dataclass(frozen=True, slots=True)
class Shape:
    """What identifies a line's group (``key``) and the literal text every line of it contains (``term``)."""

    key: str
    term: str


def shape_of(message: str) -> Shape:
    """The group a message belongs to. Never raises: text that cannot be understood is grouped masked."""
    try:
        fields = _json_fields(message)
        if fields is not None:
            text = _field_text(fields, _MESSAGE_KEYS)
            error = _field_text(fields, _ERROR_KEYS)
            if text or error:
                key = mask(f"{text} · {error}" if text and error else text or error)[:SHAPE_LIMIT]
                return Shape(key, _longest_literal(mask(text or error)))
        key = mask(message[: SHAPE_LIMIT * 4].strip())[:SHAPE_LIMIT]
        return Shape(key, _longest_literal(key))
    except Exception:  # noqa: BLE001 - a hostile line must not stop the summary
        return Shape("<unreadable>", "")


def _json_fields(message: str) -> dict | None:
    stripped = message.lstrip()
    if not stripped.startswith("{") or len(message) > JSON_LIMIT:
        return None
    try:
        value = json.loads(stripped)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _field_text(fields: dict, keys: tuple[str, ...]) -> str:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _longest_literal(template: str) -> str:
    """The longest run of ``template`` with no placeholder, quote, backslash or control character."""
    runs = [run.strip(" :,;=()[]") for run in _NOT_IN_A_TERM.split(template)]
    return max(runs, key=len, default="")


@dataclass(frozen=True, slots=True)
class LogGroup:
    """One shape's lines: how many, first and last seen (epoch ms), one example and its filter term."""

    key: str
    count: int
    first_ms: int
    last_ms: int
    example: str
    term: str


def group_lines(lines: Iterable[tuple[int, str]]) -> list[LogGroup]:
    """(timestamp_ms, message) pairs grouped by shape, most frequent first; counts add up to the lines."""
    groups: dict[str, list] = {}  # key -> [count, first, last, example, term]
    for timestamp_ms, message in lines:
        shape = shape_of(message)
        group = groups.get(shape.key)
        if group is None:
            groups[shape.key] = [1, timestamp_ms, timestamp_ms, message[:EXAMPLE_LIMIT], shape.term]
            continue
        group[0] += 1
        if timestamp_ms < group[1]:
            group[1] = timestamp_ms
        if timestamp_ms > group[2]:
            group[2], group[3] = timestamp_ms, message[:EXAMPLE_LIMIT]  # the newest line is the example
    result = [LogGroup(key, c, first, last, example, term) for key, (c, first, last, example, term) in groups.items()]
    result.sort(key=lambda g: (-g.count, g.key))
    return result


def has_placeholders(key: str) -> bool:
    return _PLACEHOLDER.search(key) is not None


def insights_timestamp_ms(text: str | None) -> int | None:
    """Epoch ms of an Insights ``@timestamp`` (``2026-11-28 12:00:00.037``, UTC); None when unreadable."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def lines_of_rows(rows: Iterable[dict[str, str]]) -> list[tuple[int, str]]:
    """(timestamp_ms, message) of Insights ``@timestamp, @message`` rows; rows without a message are skipped,
    an unreadable time counts as 0 (the line still counts)."""
    lines: list[tuple[int, str]] = []
    for row in rows:
        message = row.get("@message")
        if message is not None:
            lines.append((insights_timestamp_ms(row.get("@timestamp")) or 0, message))
    return lines
