"""Fake CloudWatch Logs: events, exactly-once paging, counts, an Insights answer, Live Tail sessions fed by tests."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core import log_terms, logcursor
from kojan_tui.core.archive import ExportTask
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.livetail import LiveTailUpdate
from kojan_tui.core.log_terms import TermWindow
from kojan_tui.core.models import InsightsResult, LogCount, LogCursor, LogEvent, LogPage

NO_LIVE_TAIL = AwsFailure(
    FailureKind.INVALID_REQUEST, "the fake gateway has no Live Tail", code="UnknownOperationException", operation="StartLiveTail"
)


class FakeLiveTail:
    """One fake session: ``push(update)`` delivers an update, ``end(failure)`` ends the stream (None: cleanly)."""

    def __init__(self, pattern: str, heartbeat_s: float | None) -> None:
        self.pattern = pattern
        self.heartbeat_s = heartbeat_s  # an empty update this often, as AWS sends one a second; None: silent
        self.closed = False
        self._queue: asyncio.Queue[LiveTailUpdate | AwsFailure | None] = asyncio.Queue()

    def push(self, update: LiveTailUpdate) -> None:
        self._queue.put_nowait(update)

    def end(self, failure: AwsFailure | None = None) -> None:
        self._queue.put_nowait(failure)

    def __aiter__(self) -> FakeLiveTail:
        return self

    async def __anext__(self) -> LiveTailUpdate:
        if self.closed:
            raise StopAsyncIteration
        try:
            item = await asyncio.wait_for(self._queue.get(), self.heartbeat_s)
        except TimeoutError:
            return LiveTailUpdate(())
        if isinstance(item, AwsFailure):
            raise item
        if item is None or self.closed:
            raise StopAsyncIteration
        return item

    def close(self) -> None:
        self.closed = True
        self._queue.put_nowait(None)


class FakeLogs(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.log_events: list[LogEvent] = []
        self.insights: InsightsResult = InsightsResult(status="Complete")
        self.insights_queries: list[str] = []  # every Insights query run, in order
        self.page_size = 50
        self.count_pages = 20  # like the real gateway's MAX_COUNT_PAGES
        self.export_tasks: list[ExportTask] = []  # newest last; tests move ``status`` on with ``advance_export``
        self.export_buckets: set[str] = {"kojan-map-log-archive"}
        self.writable_log_groups: set[str] = {"/kojan-map/ops-audit"}  # groups put_log_events may append to
        self.put_events: dict[tuple[str, str], list[tuple[int, str]]] = {}  # (group, stream) -> events, in order
        self.live_tail_failure: AwsFailure | None = NO_LIVE_TAIL  # what StartLiveTail raises; None: sessions open
        self.live_tails: list[FakeLiveTail] = []  # every session opened, newest last
        self.live_tail_heartbeat_s: float | None = 0.2  # sessions' empty updates (None: a stream gone silent)

    async def start_live_tail(self, log_group: str, *, pattern: str = "") -> FakeLiveTail:
        await self._enter("start_live_tail")
        if self.live_tail_failure is not None:
            raise self.live_tail_failure
        session = FakeLiveTail(pattern, self.live_tail_heartbeat_s)
        self.live_tails.append(session)
        return session

    async def filter_log_events(
        self,
        log_group: str,
        *,
        start_ms: int,
        end_ms: int | None = None,
        pattern: str = "",
        cursor: LogCursor | None = None,
        max_pages: int = 10,
        streams: Sequence[str] = (),
    ) -> LogPage:
        await self._enter("filter_log_events")
        cursor = cursor or logcursor.start_cursor(start_ms)
        matching = [
            e
            for e in logcursor.order_events(self.log_events)
            if e.timestamp_ms >= cursor.timestamp_ms
            and (end_ms is None or e.timestamp_ms <= end_ms)
            and _matches(pattern, e.message)
            and (not streams or e.stream in streams)
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

    async def count_log_terms(self, log_group: str, *, windows: Mapping[str, TermWindow], end_ms: int) -> dict[str, LogCount]:
        await self._enter("count_log_terms")
        start_ms = log_terms.widest_start_ms(windows)
        terms = {w.term for w in windows.values()}
        matching = [e for e in self.log_events if start_ms <= e.timestamp_ms <= end_ms and any(t in e.message for t in terms)]
        limit = self.page_size * self.count_pages
        counts = dict.fromkeys(windows, 0)
        for event in sorted(matching, key=lambda e: e.timestamp_ms)[:limit]:
            log_terms.tally(counts, windows, event.timestamp_ms, event.message)
        if len(matching) <= limit:
            return {key: LogCount(n, complete=True) for key, n in counts.items()}
        result = {}
        for key, window in windows.items():  # as the real gateway: narrower windows get a scan of their own
            if window.start_ms == start_ms:
                result[key] = LogCount(counts[key], complete=False)
            else:
                own = sum(1 for e in self.log_events if window.start_ms <= e.timestamp_ms <= end_ms and window.term in e.message)
                result[key] = LogCount(min(own, limit), complete=own <= limit)
        return result

    async def run_insights_query(
        self, log_group: str, query: str, *, start: datetime, end: datetime, timeout_s: float = 60.0
    ) -> InsightsResult:
        await self._enter("run_insights_query")
        self.insights_queries.append(query)
        return self.insights

    async def create_export_task(
        self, log_group: str, *, bucket: str, prefix: str, from_ms: int, to_ms: int, task_name: str
    ) -> str:
        await self._enter("create_export_task")
        if self.read_only:
            raise AwsFailure(FailureKind.READ_ONLY, "CreateExportTask refused: read-only", operation="CreateExportTask")
        if bucket not in self.export_buckets:
            raise AwsFailure(FailureKind.INVALID_REQUEST, "The given bucket does not exist.", operation="CreateExportTask")
        if any(t.active for t in self.export_tasks):
            raise AwsFailure(FailureKind.INVALID_REQUEST, "LimitExceededException", operation="CreateExportTask")
        task = ExportTask(str(uuid.uuid4()), task_name, log_group, bucket, prefix, from_ms, to_ms, "PENDING", "Pending")
        self.export_tasks.append(task)
        return task.id

    async def describe_export_tasks(self, *, status: str | None = None, limit: int = 50) -> list[ExportTask]:
        await self._enter("describe_export_tasks")
        return [t for t in reversed(self.export_tasks) if status is None or t.status == status][:limit]

    async def describe_export_task(self, task_id: str) -> ExportTask:
        await self._enter("describe_export_task")
        for task in self.export_tasks:
            if task.id == task_id:
                return task
        raise AwsFailure(FailureKind.NOT_FOUND, f"export task {task_id} not found", operation="DescribeExportTasks")

    async def log_group_exists(self, log_group: str) -> bool:
        await self._enter("log_group_exists")
        return log_group in self.writable_log_groups

    async def put_log_events(self, log_group: str, stream: str, events: Sequence[tuple[int, str]]) -> None:
        await self._enter("put_log_events")
        if self.read_only:
            raise AwsFailure(FailureKind.READ_ONLY, "PutLogEvents refused: read-only", operation="PutLogEvents")
        if log_group not in self.writable_log_groups:
            raise AwsFailure(FailureKind.NOT_FOUND, f"log group {log_group} does not exist", operation="CreateLogStream")
        self.put_events.setdefault((log_group, stream), []).extend(events)

    def advance_export(self, task_id: str, status: str, message: str = "") -> None:
        """Move a task on (tests): PENDING → RUNNING → COMPLETED | FAILED."""
        self.export_tasks = [replace(t, status=status, message=message) if t.id == task_id else t for t in self.export_tasks]


def _matches(pattern: str, message: str) -> bool:
    """The subset of CloudWatch filter patterns the fake understands: space-separated terms, quoted phrases."""
    pattern = pattern.strip()
    if not pattern:
        return True
    if pattern.startswith('"') and pattern.endswith('"') and len(pattern) >= 2:
        return pattern[1:-1] in message
    return all(term in message for term in pattern.split())
