"""Trace a request: the fields of one JSON log line, and the CloudWatch filter pattern that matches one field's
value (``{ $.request_id = "9f3c…" }``), built only from values it can express exactly; others are refused.

A JSON string value in a filter pattern cannot hold a double quote and AWS reads ``*`` in it as a wildcard,
and AWS documents no escape: a value with a quote, backslash, ``*``, brace, control or invisible character,
leading or trailing space, or more than ``MAX_VALUE_CHARS`` characters is refused (the reason says which).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from kojan_tui.core.i18n import N_, tr

MAX_VALUE_CHARS = 256  # FilterLogEvents takes a pattern of at most 1,024 characters
MAX_FIELDS = 40
MAX_DEPTH = 3
SAFE_INT = 10**15
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
# The fields a trace usually follows, first in the picker: the request, where it went, who sent it.
FIRST_FIELDS = (
    "request_id", "requestId", "req_id", "trace_id", "traceId", "correlation_id",
    "path", "uri", "url", "route", "user", "user_id", "userId", "account_id", "remote_ip", "client_ip",
)  # fmt: skip
_UNSAFE_CHARS = {'"': "quote", "\\": "backslash", "*": "wildcard", "{": "brace", "}": "brace"}

REASONS = {  # why a line or value cannot be traced (shown through ``tr``; ``{n}`` is MAX_VALUE_CHARS)
    "not-json": N_("this line is not a JSON object: nothing to trace"),
    "no-fields": N_("this JSON line has no text or number field to trace"),
    "quote": N_("the value holds a double quote"),
    "backslash": N_("the value holds a backslash"),
    "wildcard": N_("the value holds *, which CloudWatch reads as a wildcard"),
    "brace": N_("the value holds a brace"),
    "control": N_("the value holds a control or invisible character"),
    "space": N_("the value starts or ends with a space"),
    "empty": N_("the value is empty"),
    "long": N_("the value is longer than {n} characters"),
    "name": N_("the field's name is not a plain name ($.a.b)"),
    "number": N_("the number is too large to compare exactly"),
    "type": N_("only text and whole numbers can be traced"),
}


class TraceRefused(ValueError):
    """A value (or line) that no filter pattern can match exactly; ``text(language)`` says why."""

    def __init__(self, key: str) -> None:
        super().__init__(REASONS[key].format(n=MAX_VALUE_CHARS))
        self.key = key

    def text(self, language: str) -> str:
        return tr(REASONS[self.key], language).format(n=MAX_VALUE_CHARS)


@dataclass(frozen=True)
class TraceField:
    """One scalar field of a JSON line: ``path`` as in a filter pattern (``request_id``, ``user.id``)."""

    path: str
    value: str | int


def line_fields(raw: str) -> list[TraceField]:
    """The text and whole-number fields of a JSON object line (nested objects as ``a.b``), request-like first.

    TraceRefused("not-json") for a line that is not a JSON object, ("no-fields") when none is a text or number.
    """
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise TraceRefused("not-json") from None
    if not isinstance(value, dict):
        raise TraceRefused("not-json")
    fields: list[TraceField] = []
    _collect(value, "", 1, fields)
    if not fields:
        raise TraceRefused("no-fields")
    rank = {name: i for i, name in enumerate(FIRST_FIELDS)}
    return sorted(fields, key=lambda f: rank.get(f.path, len(rank)))  # stable: the line's order otherwise


def _collect(obj: dict, prefix: str, depth: int, out: list[TraceField]) -> None:
    for key, value in obj.items():
        if len(out) >= MAX_FIELDS:
            return
        if not isinstance(key, str):
            continue
        path = f"{prefix}{key}"
        if isinstance(value, dict) and depth < MAX_DEPTH:
            _collect(value, f"{path}.", depth + 1, out)
        elif isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            out.append(TraceField(path, value))


def filter_pattern(path: str, value: str | int) -> str:
    """``{ $.path = "value" }`` (text) or ``{ $.path = 500 }`` (a whole number); TraceRefused when the value
    or the name cannot be written so that the pattern matches exactly that value."""
    if not all(_NAME.match(part) for part in path.split(".")):
        raise TraceRefused("name")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TraceRefused("type")
    if isinstance(value, int):
        if not -SAFE_INT < value < SAFE_INT:
            raise TraceRefused("number")
        return f"{{ $.{path} = {value} }}"
    return f'{{ $.{path} = "{safe_value(value)}" }}'


def safe_value(value: str) -> str:
    """``value`` when it can stand between double quotes in a filter pattern as itself; TraceRefused otherwise."""
    if not value:
        raise TraceRefused("empty")
    if len(value) > MAX_VALUE_CHARS:
        raise TraceRefused("long")
    for char in value:
        reason = _UNSAFE_CHARS.get(char)
        if reason is not None:
            raise TraceRefused(reason)
        if not char.isprintable() or "\ud800" <= char <= "\udfff":  # control, format (U+200B…), separators, surrogates
            if char != " ":
                raise TraceRefused("control")
    if value != value.strip():
        raise TraceRefused("space")
    return value
