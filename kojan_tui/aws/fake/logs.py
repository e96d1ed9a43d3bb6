"""Fake CloudWatch Logs: events, exactly-once paging, counts, an Insights answer."""

from __future__ import annotations

from datetime import datetime

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core import logcursor
from kojan_tui.core.models import InsightsResult, LogCount, LogCursor, LogEvent, LogPage


class FakeLogs(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.log_events: list[LogEvent] = []
        self.insights: InsightsResult = InsightsResult(status="Complete")
        self.insights_queries: list[str] = []  # every Insights query run, in order
        self.page_size = 50
        self.count_pages = 20  # like the real gateway's MAX_COUNT_PAGES

    async def filter_log_events(
        self,
        log_group: str,
        *,
        start_ms: int,
        end_ms: int | None = None,
        pattern: str = "",
        cursor: LogCursor | None = None,
        max_pages: int = 10,
    ) -> LogPage:
        await self._enter("filter_log_events")
        cursor = cursor or logcursor.start_cursor(start_ms)
        matching = [
            e
            for e in logcursor.order_events(self.log_events)
            if e.timestamp_ms >= cursor.timestamp_ms
            and (end_ms is None or e.timestamp_ms <= end_ms)
            and _matches(pattern, e.message)
        ]
        limit = self.page_size * max_pages
        events, new_cursor = logcursor.advance(cursor, matching)
        truncated = len(events) > limit
        if truncated:
            events, new_cursor = logcursor.advance(cursor, events[:limit])
        return LogPage(events=tuple(events), cursor=new_cursor, truncated=truncated)

    async def count_log_events(self, log_group: str, *, pattern: str, start_ms: int, end_ms: int) -> LogCount:
        await self._enter("count_log_events")
        matching = sum(1 for e in self.log_events if start_ms <= e.timestamp_ms <= end_ms and _matches(pattern, e.message))
        limit = self.page_size * self.count_pages
        return LogCount(min(matching, limit), complete=matching <= limit)

    async def run_insights_query(
        self, log_group: str, query: str, *, start: datetime, end: datetime, timeout_s: float = 60.0
    ) -> InsightsResult:
        await self._enter("run_insights_query")
        self.insights_queries.append(query)
        return self.insights


def _matches(pattern: str, message: str) -> bool:
    """The subset of CloudWatch filter patterns the fake understands: space-separated terms, quoted phrases."""
    pattern = pattern.strip()
    if not pattern:
        return True
    if pattern.startswith('"') and pattern.endswith('"') and len(pattern) >= 2:
        return pattern[1:-1] in message
    return all(term in message for term in pattern.split())
