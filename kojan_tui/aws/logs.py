"""CloudWatch Logs: exactly-once following (FilterLogEvents), Live Tail (StartLiveTail), counts (S02), Logs
Insights (S05), S27 exports, and appending events (the team's copy of the audit trail)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from kojan_tui.aws import convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.aws.errors import to_failure
from kojan_tui.core import log_terms, logcursor
from kojan_tui.core.archive import ExportTask
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.livetail import LiveTailUpdate
from kojan_tui.core.log_terms import TermWindow
from kojan_tui.core.models import InsightsResult, LogCount, LogCursor, LogPage

MAX_COUNT_PAGES = 20
MAX_EXPORT_TASK_PAGES = 3  # DescribeExportTasks: the newest tasks are enough to find last month's
EMPTY_PAGE_FACTOR = 4  # FilterLogEvents requests per call at most this many times max_pages
INSIGHTS_FIRST_POLL_S, INSIGHTS_MAX_POLL_S = 0.2, 2.0
INSIGHTS_DONE = {"Complete", "Failed", "Cancelled", "Timeout", "Unknown"}
LIVE_TAIL_START_TIMEOUT_S = 15.0  # StartLiveTail's first event (sessionStart) arrives within this


class LiveTailStream:
    """An open Live Tail session: ``async for update in stream`` until it ends (AWS: after 3 h, with a
    SessionTimeoutException) or fails (an ``AwsFailure``); ``close()`` ends it (idempotent)."""

    def __init__(self, raw_stream: Any, session_id: str) -> None:
        self._raw = raw_stream
        self.session_id = session_id
        self.closed = False

    def __aiter__(self) -> AsyncIterator[LiveTailUpdate]:
        return self._updates()

    async def _updates(self) -> AsyncIterator[LiveTailUpdate]:
        try:
            async for event in self._raw:
                update = event.get("sessionUpdate") if isinstance(event, dict) else None
                if update is not None:
                    yield convert.live_tail_update(update)
        except Exception as exc:  # CancelledError passes through untouched
            if self.closed:
                return
            raise to_failure(exc, "StartLiveTail") from exc

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._raw.close()


class LogsCalls(AwsBase):
    page_size: int | None = None  # FilterLogEvents events per page; None: AWS's default (up to 10,000)
    _log_group_arns: dict[str, str] | None = None

    async def start_live_tail(self, log_group: str, *, pattern: str = "") -> LiveTailStream:
        """StartLiveTail on ``log_group`` with ``pattern`` (AWS's filter syntax), open once its sessionStart arrived.

        ACCESS_DENIED when the account does not allow it; the stream's own failures surface while iterating."""
        arn = await self._log_group_arn(log_group)
        params: dict[str, Any] = {"logGroupIdentifiers": [arn]}
        if pattern:
            params["logEventFilterPattern"] = pattern
        raw = await self._call("logs", "StartLiveTail", stream=True, **params)
        events = raw["responseStream"]
        try:
            async with asyncio.timeout(LIVE_TAIL_START_TIMEOUT_S):
                first = await anext(aiter(events))
        except BaseException as exc:
            events.close()
            if isinstance(exc, Exception):
                raise to_failure(exc, "StartLiveTail") from exc
            raise
        start = first.get("sessionStart") if isinstance(first, dict) else None
        if start is None:
            events.close()
            raise AwsFailure(FailureKind.UNAVAILABLE, "Live Tail did not start with a sessionStart", operation="StartLiveTail")
        return LiveTailStream(events, str(start.get("sessionId", "")))

    async def _log_group_arn(self, log_group: str) -> str:
        """The group's ARN as StartLiveTail wants it: without DescribeLogGroups' trailing ``:*`` (cached)."""
        if self._log_group_arns is None:
            self._log_group_arns = {}
        arn = self._log_group_arns.get(log_group)
        if arn is None:
            raw = await self._call("logs", "DescribeLogGroups", logGroupNamePrefix=log_group, limit=50)
            group = next((g for g in raw.get("logGroups") or [] if g.get("logGroupName") == log_group), None)
            if group is None:
                raise AwsFailure(FailureKind.NOT_FOUND, f"log group {log_group} not found", operation="StartLiveTail")
            arn = str(group.get("logGroupArn") or str(group["arn"]).removesuffix(":*"))
            self._log_group_arns[log_group] = arn
        return arn

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
        """Events from ``cursor`` (or ``start_ms``) on, oldest first, each exactly once across calls.

        At most ``max_pages`` pages of events (and a bounded number of empty pages); ``truncated`` says
        more remain, and the next call with the returned cursor continues where this one stopped.
        ``streams``: only those streams of the group (logStreamNames); empty: the whole group.
        """
        cursor = cursor or logcursor.start_cursor(start_ms)
        params: dict[str, Any] = {"logGroupName": log_group, "startTime": cursor.timestamp_ms, "interleaved": True}
        if end_ms is not None:
            params["endTime"] = end_ms
        if pattern:
            params["filterPattern"] = pattern
        if streams:  # only these streams of the group (a task's own: <prefix>/<container>/<task id>)
            params["logStreamNames"] = list(streams)
        if self.page_size:
            params["limit"] = self.page_size
        fetched = []
        token = None
        pages = requests = 0
        # AWS may answer empty pages (with a nextToken) while it scans: they do not count as pages, but
        # the requests per call stay bounded.
        while pages < max(1, max_pages) and requests < EMPTY_PAGE_FACTOR * max(1, max_pages):
            raw = await self._call("logs", "FilterLogEvents", **params, **({"nextToken": token} if token else {}))
            requests += 1
            page = [convert.log_event(e) for e in raw.get("events", []) or []]
            pages += bool(page)
            fetched += page
            token = raw.get("nextToken")
            if not token:
                break
        events, new_cursor = logcursor.advance(cursor, fetched)
        return LogPage(events=tuple(events), cursor=new_cursor, truncated=bool(token))

    async def count_log_events(self, log_group: str, *, pattern: str, start_ms: int, end_ms: int) -> LogCount:
        """How many events match in [start_ms, end_ms]; after MAX_COUNT_PAGES pages a lower bound, marked incomplete."""
        params: dict[str, Any] = {"logGroupName": log_group, "startTime": start_ms, "endTime": end_ms, "interleaved": True}
        if pattern:
            params["filterPattern"] = pattern
        if self.page_size:
            params["limit"] = self.page_size
        count = 0
        token = None
        for _ in range(MAX_COUNT_PAGES):
            raw = await self._call("logs", "FilterLogEvents", **params, **({"nextToken": token} if token else {}))
            count += len(raw.get("events", []) or [])  # pages never overlap: a count needs no ids kept
            token = raw.get("nextToken")
            if not token:
                break
        return LogCount(count, complete=not token)

    async def count_log_terms(self, log_group: str, *, windows: Mapping[str, TermWindow], end_ms: int) -> dict[str, LogCount]:
        """Each window's count from one paged scan for any of the terms (one request per refresh when the
        lines fit a page). When the scan stops at MAX_COUNT_PAGES it read the oldest lines only: the widest
        windows keep that lower bound (marked incomplete), and each narrower window is counted by a scan of
        its own, so a flood over the hour cannot hide the last minutes."""
        start_ms = log_terms.widest_start_ms(windows)
        params: dict[str, Any] = {
            "logGroupName": log_group,
            "startTime": start_ms,
            "endTime": end_ms,
            "interleaved": True,
            "filterPattern": log_terms.any_term_pattern(windows),
        }
        if self.page_size:
            params["limit"] = self.page_size
        counts = dict.fromkeys(windows, 0)
        token = None
        for _ in range(MAX_COUNT_PAGES):
            raw = await self._call("logs", "FilterLogEvents", **params, **({"nextToken": token} if token else {}))
            for event in raw.get("events", []) or []:
                line = convert.log_event(event)
                log_terms.tally(counts, windows, line.timestamp_ms, line.message)
            token = raw.get("nextToken")
            if not token:
                break
        if not token:
            return {key: LogCount(n, complete=True) for key, n in counts.items()}
        result = {}
        for key, window in windows.items():
            if window.start_ms == start_ms:
                result[key] = LogCount(counts[key], complete=False)
            else:
                pattern = log_terms.quoted(window.term)
                result[key] = await self.count_log_events(log_group, pattern=pattern, start_ms=window.start_ms, end_ms=end_ms)
        return result

    async def run_insights_query(
        self, log_group: str, query: str, *, start: datetime, end: datetime, timeout_s: float = 60.0
    ) -> InsightsResult:
        """StartQuery, then GetQueryResults with backoff until done; StopQuery on timeout or cancellation."""
        raw = await self._call(
            "logs",
            "StartQuery",
            logGroupName=log_group,
            queryString=query,
            startTime=int(start.timestamp()),
            endTime=int(end.timestamp()),
        )
        query_id = raw["queryId"]
        deadline = time.monotonic() + timeout_s
        delay = INSIGHTS_FIRST_POLL_S
        try:
            while True:
                result = convert.insights_result(await self._call("logs", "GetQueryResults", queryId=query_id))
                if result.status in INSIGHTS_DONE:
                    return result
                if time.monotonic() + delay > deadline:
                    await self._stop_query(query_id)
                    return InsightsResult(
                        status="Timeout",
                        rows=result.rows,
                        records_matched=result.records_matched,
                        records_scanned=result.records_scanned,
                    )
                await asyncio.sleep(delay)
                delay = min(delay * 1.5, INSIGHTS_MAX_POLL_S)
        except asyncio.CancelledError:
            await asyncio.shield(self._stop_query(query_id))
            raise

    async def create_export_task(
        self, log_group: str, *, bucket: str, prefix: str, from_ms: int, to_ms: int, task_name: str
    ) -> str:
        """MUTATES (writes objects to ``bucket``): CreateExportTask; the task id. Refused when read-only
        (the backstop behind ``kojan_tui.actions``)."""
        if self.read_only:
            raise AwsFailure(
                FailureKind.READ_ONLY, "CreateExportTask refused: the app is in read-only mode", operation="CreateExportTask"
            )
        raw = await self._call(
            "logs",
            "CreateExportTask",
            mutation=True,  # sent once: a retried export after a lost answer would start a second one
            taskName=task_name,
            logGroupName=log_group,
            fromTime=from_ms,
            to=to_ms,
            destination=bucket,
            destinationPrefix=prefix,
        )
        return str(raw["taskId"])

    async def describe_export_tasks(self, *, status: str | None = None, limit: int = 50) -> list[ExportTask]:
        """The account's export tasks (AWS lists the newest first), at most ``limit``."""
        params: dict[str, Any] = {"limit": max(1, min(limit, 50))}
        if status:
            params["statusCode"] = status
        tasks: list[ExportTask] = []
        token = None
        for _ in range(MAX_EXPORT_TASK_PAGES):
            raw = await self._call("logs", "DescribeExportTasks", **params, **({"nextToken": token} if token else {}))
            tasks += [convert.export_task(t) for t in raw.get("exportTasks", []) or []]
            token = raw.get("nextToken")
            if not token or len(tasks) >= limit:
                break
        return tasks[:limit]

    async def describe_export_task(self, task_id: str) -> ExportTask:
        """One export task by id; NOT_FOUND when AWS does not know it."""
        raw = await self._call("logs", "DescribeExportTasks", taskId=task_id)
        tasks = raw.get("exportTasks", []) or []
        if not tasks:
            raise AwsFailure(FailureKind.NOT_FOUND, f"export task {task_id} not found", operation="DescribeExportTasks")
        return convert.export_task(tasks[0])

    async def log_group_exists(self, log_group: str) -> bool:
        """Whether ``log_group`` exists (DescribeLogGroups by prefix: the exact name sorts first among its matches)."""
        raw = await self._call("logs", "DescribeLogGroups", logGroupNamePrefix=log_group, limit=50)
        return any(group.get("logGroupName") == log_group for group in raw.get("logGroups") or [])

    async def put_log_events(self, log_group: str, stream: str, events: Sequence[tuple[int, str]]) -> None:
        """MUTATES: PutLogEvents of ``(timestamp ms, message)`` events, in order, into ``stream`` of ``log_group``.

        Sent once (a retried put after a lost answer would write the events twice). A stream that does not
        exist is created (CreateLogStream) and the put sent again: the first was refused, nothing was written.
        The group is never created: NOT_FOUND names it. Refused when read-only."""
        if self.read_only:
            raise AwsFailure(
                FailureKind.READ_ONLY, "PutLogEvents refused: the app is in read-only mode", operation="PutLogEvents"
            )
        params = {
            "logGroupName": log_group,
            "logStreamName": stream,
            "logEvents": [{"timestamp": timestamp_ms, "message": message} for timestamp_ms, message in events],
        }
        try:
            raw = await self._call("logs", "PutLogEvents", mutation=True, **params)
        except AwsFailure as failure:
            if failure.kind is not FailureKind.NOT_FOUND:
                raise
            await self._create_log_stream(log_group, stream)
            raw = await self._call("logs", "PutLogEvents", mutation=True, **params)
        rejected = raw.get("rejectedLogEventsInfo") or {}
        if rejected:
            raise AwsFailure(
                FailureKind.INVALID_REQUEST, f"CloudWatch Logs rejected some events ({rejected})", operation="PutLogEvents"
            )

    async def _create_log_stream(self, log_group: str, stream: str) -> None:
        """CreateLogStream; one created meanwhile is fine; a missing group is NOT_FOUND naming the group."""
        try:
            await self._call("logs", "CreateLogStream", mutation=True, logGroupName=log_group, logStreamName=stream)
        except AwsFailure as failure:
            if failure.code == "ResourceAlreadyExistsException":
                return
            if failure.kind is FailureKind.NOT_FOUND:
                raise AwsFailure(
                    FailureKind.NOT_FOUND,
                    f"log group {log_group} does not exist (kojan-tui never creates it: create it, or change [audit] log_group)",
                    code=failure.code,
                    operation="CreateLogStream",
                ) from failure
            raise

    async def _stop_query(self, query_id: str) -> None:
        try:
            await self._call("logs", "StopQuery", queryId=query_id)
        except AwsFailure:
            pass  # best effort: the query ends by itself at AWS's own timeout
