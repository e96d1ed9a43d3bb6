"""One MySQL slow query log entry (as RDS exports it to CloudWatch Logs) read into its time and statement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from kojan_tui.core.logtext import display_text

_QUERY_TIME = re.compile(r"#\s*Query_time:\s*([0-9.]+)")
STATEMENT_CHARS = 120


@dataclass(frozen=True)
class SlowQuery:
    at_ms: int
    seconds: float
    statement: str

    def line(self) -> str:
        stamp = datetime.fromtimestamp(self.at_ms / 1000, UTC)
        return f"{stamp:%H:%M:%S}  {self.seconds:6.2f} s  {self.statement}"


def parse_slow_entry(message: str, at_ms: int) -> SlowQuery | None:
    """None when the entry has no Query_time header (not a slow query entry)."""
    match = _QUERY_TIME.search(message)
    if match is None:
        return None
    lines = [
        ln for ln in message.splitlines() if ln.strip() and not ln.startswith("#") and not ln.upper().startswith("SET TIMESTAMP")
    ]
    statement = display_text(" ".join(lines), STATEMENT_CHARS) if lines else "(no statement)"
    return SlowQuery(at_ms, float(match.group(1)), statement)
