"""An in-memory gateway for UI tests: set what AWS "has", inject failures, count calls.

It honours the same contract as ``AwsGateway`` where behaviour is shared (see
tests/test_gateway_contract.py): typed results, ``AwsFailure`` on failure, exactly-once log paging,
read-only refusal of mutations.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from kojan_tui.core import logcursor
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import (
    CallerIdentity,
    DbInstance,
    InsightsResult,
    LogCursor,
    LogEvent,
    LogPage,
    MetricQuery,
    MetricSeries,
    ScalingActivity,
    ServiceSnapshot,
    TaskDefinition,
)


class FakeGateway:
    """State is public: tests assign ``service``, ``metrics``, ``log_events``... and ``failures``."""

    def __init__(self, *, read_only: bool = False) -> None:
        self.read_only = read_only
        self.identity = CallerIdentity(account="123456789012", arn="arn:aws:iam::123456789012:user/oncall", user_id="AIDAFAKE")
        self.service: ServiceSnapshot | None = None
        self.task_definitions: dict[str, TaskDefinition] = {}
        self.db_instance: DbInstance | None = None
        self.metrics: dict[str, MetricSeries] = {}
        self.log_events: list[LogEvent] = []
        self.insights: InsightsResult = InsightsResult(status="Complete")
        self.scaling_activities: list[ScalingActivity] = []
        # method name -> failure raised by the next calls of it (until removed)
        self.failures: dict[str, AwsFailure] = {}
        # method name -> seconds each call takes (to test slow AWS, overlapping polls...)
        self.delays: dict[str, float] = {}
        self.calls: Counter[str] = Counter()
        self.metric_calls: list[tuple[MetricQuery, ...]] = []
        self.updates: list[dict] = []
        self.page_size = 50

    async def _enter(self, method: str) -> None:
        self.calls[method] += 1
        delay = self.delays.get(method)
        if delay:
            await asyncio.sleep(delay)
        failure = self.failures.get(method)
        if failure is not None:
            raise failure

    async def caller_identity(self) -> CallerIdentity:
        await self._enter("caller_identity")
        return self.identity

    async def describe_service(self, cluster: str, service: str) -> ServiceSnapshot:
        await self._enter("describe_service")
        if self.service is None or self.service.cluster != cluster or self.service.name != service:
            raise AwsFailure(FailureKind.NOT_FOUND, f"service {service} not found in {cluster}", operation="DescribeServices")
        return self.service

    async def describe_task_definition(self, task_definition: str) -> TaskDefinition:
        await self._enter("describe_task_definition")
        for arn, td in self.task_definitions.items():
            if task_definition in (arn, f"{td.family}:{td.revision}"):
                return td
        raise AwsFailure(
            FailureKind.NOT_FOUND, f"task definition {task_definition} not found", operation="DescribeTaskDefinition"
        )

    async def list_task_definitions(self, family: str) -> list[str]:
        await self._enter("list_task_definitions")
        tds = [td for td in self.task_definitions.values() if td.family == family]
        return [td.arn for td in sorted(tds, key=lambda td: td.revision, reverse=True)]

    async def describe_db_instance(self, identifier: str) -> DbInstance:
        await self._enter("describe_db_instance")
        if self.db_instance is None or self.db_instance.identifier != identifier:
            raise AwsFailure(FailureKind.NOT_FOUND, f"DB instance {identifier} not found", operation="DescribeDBInstances")
        return self.db_instance

    async def get_metric_data(self, queries: Sequence[MetricQuery], start: datetime, end: datetime) -> dict[str, MetricSeries]:
        await self._enter("get_metric_data")
        self.metric_calls.append(tuple(queries))
        empty = lambda q: MetricSeries(id=q.id, label=q.label or q.metric, timestamps=(), values=())  # noqa: E731
        return {q.id: self.metrics.get(q.id, empty(q)) for q in queries}

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

    async def count_log_events(self, log_group: str, *, pattern: str, start_ms: int, end_ms: int) -> int:
        await self._enter("count_log_events")
        return sum(1 for e in self.log_events if start_ms <= e.timestamp_ms <= end_ms and _matches(pattern, e.message))

    async def run_insights_query(
        self, log_group: str, query: str, *, start: datetime, end: datetime, timeout_s: float = 60.0
    ) -> InsightsResult:
        await self._enter("run_insights_query")
        return self.insights

    async def describe_scaling_activities(self, resource_id: str, *, max_results: int = 5) -> list[ScalingActivity]:
        await self._enter("describe_scaling_activities")
        return self.scaling_activities[:max_results]

    async def update_service(
        self,
        cluster: str,
        service: str,
        *,
        task_definition: str | None = None,
        force_new_deployment: bool = False,
    ) -> ServiceSnapshot:
        if self.read_only:
            raise AwsFailure(
                FailureKind.READ_ONLY, "update_service refused: the app is in read-only mode", operation="UpdateService"
            )
        await self._enter("update_service")
        self.updates.append(
            {"cluster": cluster, "service": service, "task_definition": task_definition, "force": force_new_deployment}
        )
        current = await self.describe_service(cluster, service)
        if task_definition:
            td = await self.describe_task_definition(task_definition)
            current = replace(current, task_definition=td.arn)
        self.service = current
        return current

    async def close(self) -> None:
        self.calls["close"] += 1


def _matches(pattern: str, message: str) -> bool:
    """The subset of CloudWatch filter patterns the fake understands: space-separated terms, quoted phrases."""
    pattern = pattern.strip()
    if not pattern:
        return True
    if pattern.startswith('"') and pattern.endswith('"') and len(pattern) >= 2:
        return pattern[1:-1] in message
    return all(term in message for term in pattern.split())
