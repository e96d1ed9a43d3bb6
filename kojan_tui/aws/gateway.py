"""The real gateway: one aiobotocore session, one client per service opened on first use, closed once.

Adaptive retries and connect/read timeouts come from ``AwsSettings``; every failure leaves as an
``AwsFailure`` (mapped in ``kojan_tui.aws.errors``); every result is a core dataclass.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import AsyncExitStack
from datetime import datetime
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore import xform_name
from botocore.loaders import Loader, create_loader

from kojan_tui import __version__
from kojan_tui.aws import convert
from kojan_tui.aws.errors import to_failure
from kojan_tui.core import logcursor
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import AwsSettings
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import (
    CallerIdentity,
    DbInstance,
    InsightsResult,
    LogCursor,
    LogPage,
    MetricQuery,
    MetricSeries,
    ScalingActivity,
    ServiceSnapshot,
    TaskDefinition,
)

MAX_METRIC_QUERIES = 500  # GetMetricData's limit per request
MAX_METRIC_PAGES = 20
MAX_COUNT_PAGES = 20
EMPTY_PAGE_FACTOR = 4  # FilterLogEvents requests per call at most this many times max_pages
MAX_TASK_DEFINITION_PAGES = 10
INSIGHTS_FIRST_POLL_S, INSIGHTS_MAX_POLL_S = 0.2, 2.0
INSIGHTS_DONE = {"Complete", "Failed", "Cancelled", "Timeout", "Unknown"}


class AwsGateway:
    """Everything the app asks of AWS (see ``kojan_tui.aws.protocol.Gateway``), over aiobotocore.

    Build it anywhere (cheap, synchronous); clients are opened inside the running event loop on first
    use and belong to that loop; ``close()`` (idempotent) closes them. ``requests`` counts the HTTP
    requests actually sent per API operation (retries included), from botocore's ``before-send`` event.
    """

    def __init__(
        self,
        settings: AwsSettings,
        *,
        read_only: bool = False,
        static_credentials: tuple[str, str] | None = None,
        audit: AuditTrail | None = None,
        max_pool_connections: int = 10,
    ) -> None:
        self.settings = settings
        self.read_only = read_only
        self.audit = audit
        self.page_size: int | None = None  # FilterLogEvents events per page; None: AWS's default (up to 10,000)
        self.requests: Counter[str] = Counter()
        self._static_credentials = static_credentials
        self._session = _isolated_session() if static_credentials else AioSession(profile=settings.profile)
        self._session.register_component("data_loader", _shared_loader())
        self._client_config = AioConfig(
            retries={"mode": "adaptive", "total_max_attempts": settings.max_attempts},  # first try included
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            max_pool_connections=max_pool_connections,
            user_agent_extra=f"kojan-tui/{__version__}",
        )
        self._clients: dict[str, Any] = {}
        self._stack: AsyncExitStack | None = None
        self._lock = asyncio.Lock()
        self._identity: CallerIdentity | None = None

    # -- plumbing ----------------------------------------------------------------------------------

    async def _client(self, service: str) -> Any:
        client = self._clients.get(service)
        if client is not None:
            return client
        async with self._lock:
            if service not in self._clients:
                if self._stack is None:
                    self._stack = AsyncExitStack()
                kwargs: dict[str, Any] = {"region_name": self.settings.region, "config": self._client_config}
                if self.settings.endpoint_url:
                    kwargs["endpoint_url"] = self.settings.endpoint_url
                if self._static_credentials:
                    kwargs["aws_access_key_id"], kwargs["aws_secret_access_key"] = self._static_credentials
                client = await self._stack.enter_async_context(self._session.create_client(service, **kwargs))
                client.meta.events.register("before-send", self._count_request)
                self._clients[service] = client
            return self._clients[service]

    def _count_request(self, event_name: str = "", **_: Any) -> None:
        self.requests[event_name.rsplit(".", 1)[-1]] += 1  # before-send.<service>.<Operation>

    async def _call(self, aws_service: str, operation: str, /, **params: Any) -> dict:
        """The one place an AWS API is called and its exceptions mapped."""
        try:
            client = await self._client(aws_service)
            return await getattr(client, xform_name(operation))(**params)
        except Exception as exc:  # CancelledError is a BaseException and passes through untouched
            raise to_failure(exc, operation) from exc

    async def close(self) -> None:
        stack, self._stack, self._clients = self._stack, None, {}
        self._lock = asyncio.Lock()  # a closed gateway may be reopened in another event loop
        if stack is not None:
            try:
                await stack.aclose()
            except Exception:  # closing must never mask why we are closing
                pass

    async def __aenter__(self) -> AwsGateway:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- reads -------------------------------------------------------------------------------------

    async def caller_identity(self) -> CallerIdentity:
        raw = await self._call("sts", "GetCallerIdentity")
        self._identity = CallerIdentity(
            account=str(raw.get("Account", "")), arn=str(raw.get("Arn", "")), user_id=str(raw.get("UserId", ""))
        )
        return self._identity

    async def describe_service(self, cluster: str, service: str) -> ServiceSnapshot:
        raw = await self._call("ecs", "DescribeServices", cluster=cluster, services=[service])
        services = raw.get("services") or []
        if not services:
            reasons = ", ".join(str(f.get("reason", "")) for f in raw.get("failures", []) or []) or "MISSING"
            raise AwsFailure(
                FailureKind.NOT_FOUND,
                f"service {service} not found in cluster {cluster} ({reasons})",
                code=reasons,
                operation="DescribeServices",
            )
        return convert.service_snapshot(services[0], cluster)

    async def describe_task_definition(self, task_definition: str) -> TaskDefinition:
        raw = await self._call("ecs", "DescribeTaskDefinition", taskDefinition=task_definition)
        return convert.task_definition(raw.get("taskDefinition", {}))

    async def list_task_definitions(self, family: str) -> list[str]:
        """ARNs of the family's ACTIVE revisions, newest first (exact family: the API matches a prefix)."""
        arns: list[str] = []
        token = None
        for _ in range(MAX_TASK_DEFINITION_PAGES):
            raw = await self._call(
                "ecs",
                "ListTaskDefinitions",
                familyPrefix=family,
                status="ACTIVE",
                sort="DESC",
                **({"nextToken": token} if token else {}),
            )
            arns += [a for a in raw.get("taskDefinitionArns", []) if convert.task_definition_revision(a)[0] == family]
            token = raw.get("nextToken")
            if not token:
                break
        return sorted(arns, key=lambda a: convert.task_definition_revision(a)[1], reverse=True)

    async def describe_db_instance(self, identifier: str) -> DbInstance:
        raw = await self._call("rds", "DescribeDBInstances", DBInstanceIdentifier=identifier)
        instances = raw.get("DBInstances") or []
        if not instances:
            raise AwsFailure(FailureKind.NOT_FOUND, f"DB instance {identifier} not found", operation="DescribeDBInstances")
        return convert.db_instance(instances[0])

    async def get_metric_data(self, queries: Sequence[MetricQuery], start: datetime, end: datetime) -> dict[str, MetricSeries]:
        """All queries in ONE GetMetricData request (more requests only to follow NextToken pages)."""
        queries = list(queries)
        if not queries:
            return {}
        if len(queries) > MAX_METRIC_QUERIES or len({q.id for q in queries}) != len(queries):
            raise AwsFailure(
                FailureKind.INVALID_REQUEST,
                f"{len(queries)} queries: at most {MAX_METRIC_QUERIES}, ids unique",
                operation="GetMetricData",
            )
        points: dict[str, dict[datetime, float]] = {q.id: {} for q in queries}
        labels = {q.id: q.label or q.metric for q in queries}
        statuses = {q.id: "Complete" for q in queries}
        params = {
            "MetricDataQueries": [convert.metric_data_query(q) for q in queries],
            "StartTime": start,
            "EndTime": end,
            "ScanBy": "TimestampAscending",
        }
        token = None
        for _ in range(MAX_METRIC_PAGES):
            raw = await self._call("cloudwatch", "GetMetricData", **params, **({"NextToken": token} if token else {}))
            for result in raw.get("MetricDataResults", []) or []:
                qid = result.get("Id")
                if qid not in points:
                    continue
                for ts, value in zip(result.get("Timestamps", []) or [], result.get("Values", []) or []):
                    points[qid][convert.utc(ts)] = float(value)
                if result.get("StatusCode") and result["StatusCode"] != "Complete":
                    statuses[qid] = str(result["StatusCode"])
            token = raw.get("NextToken")
            if not token:
                break
        series = {}
        for qid, by_time in points.items():
            ordered = sorted(by_time.items())
            series[qid] = MetricSeries(
                id=qid,
                label=labels[qid],
                timestamps=tuple(t for t, _ in ordered),
                values=tuple(v for _, v in ordered),
                status=statuses[qid],
            )
        return series

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
        """Events from ``cursor`` (or ``start_ms``) on, oldest first, each exactly once across calls.

        At most ``max_pages`` pages of events (and a bounded number of empty pages); ``truncated`` says
        more remain, and the next call with the returned cursor continues where this one stopped.
        """
        cursor = cursor or logcursor.start_cursor(start_ms)
        params: dict[str, Any] = {"logGroupName": log_group, "startTime": cursor.timestamp_ms, "interleaved": True}
        if end_ms is not None:
            params["endTime"] = end_ms
        if pattern:
            params["filterPattern"] = pattern
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

    async def count_log_events(self, log_group: str, *, pattern: str, start_ms: int, end_ms: int) -> int:
        """How many events match in [start_ms, end_ms]; stops after MAX_COUNT_PAGES pages (a lower bound then)."""
        params: dict[str, Any] = {"logGroupName": log_group, "startTime": start_ms, "endTime": end_ms, "interleaved": True}
        if pattern:
            params["filterPattern"] = pattern
        count = 0
        token = None
        for _ in range(MAX_COUNT_PAGES):
            raw = await self._call("logs", "FilterLogEvents", **params, **({"nextToken": token} if token else {}))
            count += len(raw.get("events", []) or [])  # pages never overlap: a count needs no ids kept
            token = raw.get("nextToken")
            if not token:
                break
        return count

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

    async def _stop_query(self, query_id: str) -> None:
        try:
            await self._call("logs", "StopQuery", queryId=query_id)
        except AwsFailure:
            pass  # best effort: the query ends by itself at AWS's own timeout

    async def describe_scaling_activities(self, resource_id: str, *, max_results: int = 5) -> list[ScalingActivity]:
        raw = await self._call(
            "application-autoscaling",
            "DescribeScalingActivities",
            ServiceNamespace="ecs",
            ResourceId=resource_id,
            ScalableDimension="ecs:service:DesiredCount",
            MaxResults=max_results,
        )
        return [convert.scaling_activity(a) for a in (raw.get("ScalingActivities") or [])[:max_results]]

    # -- the one mutation --------------------------------------------------------------------------

    async def update_service(
        self,
        cluster: str,
        service: str,
        *,
        task_definition: str | None = None,
        force_new_deployment: bool = False,
    ) -> ServiceSnapshot:
        """MUTATES production: refused (and audited) when read-only; otherwise audited with the caller's ARN."""
        target = f"{cluster}/{service}"
        details: dict[str, Any] = {"task_definition": task_definition, "force_new_deployment": force_new_deployment}
        if self.read_only:
            self._audit("update_service", target, "refused: read-only", self._identity.arn if self._identity else None, details)
            raise AwsFailure(
                FailureKind.READ_ONLY, "update_service refused: the app is in read-only mode", operation="UpdateService"
            )
        try:
            identity = await self.caller_identity()
            params: dict[str, Any] = {"cluster": cluster, "service": service, "forceNewDeployment": force_new_deployment}
            if task_definition:
                params["taskDefinition"] = task_definition
            raw = await self._call("ecs", "UpdateService", **params)
        except AwsFailure as failure:
            arn = self._identity.arn if self._identity else None
            self._audit("update_service", target, f"failed: {failure.kind.value}", arn, {**details, "code": failure.code})
            raise
        snapshot = convert.service_snapshot(raw.get("service", {}), cluster)
        primary = snapshot.primary
        self._audit(
            "update_service",
            target,
            "ok",
            identity.arn,
            {**details, "task_definition_after": snapshot.task_definition, "deployment": primary.id if primary else None},
        )
        return snapshot

    def _audit(self, action: str, target: str, outcome: str, identity_arn: str | None, details: dict) -> None:
        if self.audit is not None:
            self.audit.record(action, target, outcome, identity_arn, details)


_LOADER: Loader | None = None


def _shared_loader() -> Loader:
    """One cache of botocore's service models for every gateway in the process (each costs ~60 ms to load)."""
    global _LOADER
    if _LOADER is None:
        _LOADER = create_loader(os.environ.get("AWS_DATA_PATH"))
    return _LOADER


def _isolated_session() -> AioSession:
    """A session that ignores the user's AWS profiles and config files (for the demo's dummy credentials)."""
    session = AioSession(
        session_vars={
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
            "credentials_file": (None, None, os.devnull, None),
        }
    )
    return session
