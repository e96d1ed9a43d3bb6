"""A small Logs Insights engine: the query forms the product uses, and a clear error for the rest.

Supported commands, joined by ``|``: ``fields``, ``filter <field> [not] like /regex/ | "text"``,
``stats count(*) [as name] [by field, ...]``, ``sort <field> [asc|desc]``, ``limit N``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

DEFAULT_LIMIT = 1000
UNSUPPORTED = "is not supported by the kojan-tui demo (supported: fields, filter ... like, stats count() [by ...], sort, limit)"


class UnsupportedQuery(ValueError):
    """The query uses a command or form the demo engine does not implement."""


@dataclass(frozen=True)
class Record:
    timestamp_ms: int
    stream: str
    message: str
    log_group: str = ""


@dataclass
class Plan:
    fields: list[str] = field(default_factory=list)
    filters: list[tuple[str, bool, re.Pattern[str]]] = field(default_factory=list)  # field, negated, pattern
    stats_alias: str | None = None
    stats_by: list[str] = field(default_factory=list)
    sort: tuple[str, bool] | None = None  # field, descending
    limit: int = DEFAULT_LIMIT


def split_commands(query: str) -> list[str]:
    """Split on ``|`` outside /regex/ and quoted strings."""
    parts, current, quote = [], "", ""
    for ch in query:
        if quote:
            current += ch
            if ch == quote and not current.endswith("\\" + ch):
                quote = ""
        elif ch in "\"'/":
            quote, current = ch, current + ch
        elif ch == "|":
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return [p for p in parts if p]


_FILTER = re.compile(
    r"^filter\s+(@?[\w.]+)\s+(not\s+)?like\s+(/(?P<re>(?:\\/|[^/])*)/|\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)')\s*$", re.I
)
_STATS = re.compile(
    r"^stats\s+count\(\s*\*?\s*\)(?:\s+as\s+(?P<alias>\w+))?(?:\s+by\s+(?P<by>[@\w.]+(?:\s*,\s*[@\w.]+)*))?\s*$", re.I
)
_SORT = re.compile(r"^sort\s+(?P<field>[@\w.()*]+)(?:\s+(?P<dir>asc|desc))?\s*$", re.I)
_LIMIT = re.compile(r"^limit\s+(\d+)\s*$", re.I)
_FIELDS = re.compile(r"^fields\s+(.+)$", re.I)


def parse(query: str) -> Plan:
    plan = Plan()
    for command in split_commands(query):
        if m := _FIELDS.match(command):
            names = [n.strip() for n in m.group(1).split(",")]
            if not all(re.fullmatch(r"@?[\w.]+", n) for n in names):
                raise UnsupportedQuery(f"fields expression '{m.group(1)}' {UNSUPPORTED}")
            plan.fields.extend(names)
        elif m := _FILTER.match(command):
            text = m.group("re")
            pattern = (
                re.compile(text.replace("\\/", "/"))
                if text is not None
                else re.compile(re.escape(m.group("dq") if m.group("dq") is not None else m.group("sq")))
            )
            plan.filters.append((m.group(1), bool(m.group(2)), pattern))
        elif m := _STATS.match(command):
            plan.stats_alias = m.group("alias") or "count()"
            plan.stats_by = [b.strip() for b in (m.group("by") or "").split(",") if b.strip()]
        elif m := _SORT.match(command):
            plan.sort = (m.group("field"), (m.group("dir") or "desc").lower() == "desc")
        elif m := _LIMIT.match(command):
            plan.limit = min(int(m.group(1)), 10_000)
        else:
            raise UnsupportedQuery(f"The command '{command}' {UNSUPPORTED}")
    return plan


def format_timestamp(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.") + f"{ms % 1000:03d}"


def field_value(record: Record, name: str) -> str:
    if name == "@message":
        return record.message
    if name == "@timestamp":
        return format_timestamp(record.timestamp_ms)
    if name == "@logStream":
        return record.stream
    if name == "@log":
        return record.log_group
    try:  # Insights discovers the fields of JSON log lines
        value = json.loads(record.message).get(name, "")
    except (ValueError, AttributeError):
        return ""
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Outcome:
    rows: list[list[tuple[str, str]]]  # each row: (field, value) pairs, as GetQueryResults returns them
    records_matched: int
    records_scanned: int
    bytes_scanned: int


def _sort_key(value: str) -> tuple[int, float | str]:
    try:
        return (0, float(value))
    except ValueError:
        return (1, value)


def execute(plan: Plan, records: Iterable[Record]) -> Outcome:
    scanned = matched = size = 0
    kept: list[Record] = []
    for record in records:
        scanned += 1
        size += len(record.message)
        if all(bool(p.search(field_value(record, f))) != negated for f, negated, p in plan.filters):
            matched += 1
            kept.append(record)
    if plan.stats_alias is not None:
        counts: dict[tuple[str, ...], int] = {}
        for record in kept:
            key = tuple(field_value(record, b) for b in plan.stats_by)
            counts[key] = counts.get(key, 0) + 1
        rows = [[*zip(plan.stats_by, key, strict=True), (plan.stats_alias, str(n))] for key, n in counts.items()]
        sort_field, descending = plan.sort or (plan.stats_alias, True)
        rows.sort(key=lambda row: _sort_key(dict(row).get(sort_field, "")), reverse=descending)
    else:
        sort_field, descending = plan.sort or ("@timestamp", True)
        if sort_field == "@timestamp":
            kept.sort(key=lambda r: r.timestamp_ms, reverse=descending)
        else:
            kept.sort(key=lambda r: _sort_key(field_value(r, sort_field)), reverse=descending)
        names = plan.fields or ["@timestamp", "@message"]
        rows = [[(n, field_value(r, n)) for n in names] for r in kept]
    return Outcome(rows[: plan.limit], matched, scanned, size)
