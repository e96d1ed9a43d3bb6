"""Client-side request limits per AWS operation, below AWS's published quotas, shared by every caller of one
gateway (dashboard, log tail, runbook checks, security view): a request that would exceed its limit waits.

AWS's quotas are per account and region, shared with every colleague's console and script, and botocore's
adaptive retry only slows down *after* AWS has throttled. So each HTTP request (retries included) first takes
a slot from its operation's ``AsyncLimiter`` (aiolimiter, a leaky bucket) in botocore's ``before-send`` hook.

Each limiter holds one request at a time and lets the next go ``1 / rate`` seconds later: no bursts, so no
wall-clock second ever holds more than ``rate`` (rounded up) requests from one console, one more only where
the network shifts an arrival across a second's edge.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiolimiter import AsyncLimiter

from kojan_tui.core.freshness import POLLING_SOURCE

# AWS's published per-account, per-region request quotas (requests per second) for what the app calls.
AWS_QUOTAS: dict[str, float] = {
    "FilterLogEvents": 5.0,  # cannot be raised
    "GetLogEvents": 25.0,
    "StartQuery": 5.0,
    "GetQueryResults": 5.0,
    "StopQuery": 5.0,
    "DescribeLogGroups": 5.0,
    "DescribeExportTasks": 5.0,
    "CreateExportTask": 5.0,
    "PutLogEvents": 100.0,
    "GetMetricData": 50.0,
    "GetMetricStatistics": 400.0,
    "ListMetrics": 25.0,
    "DescribeServices": 20.0,
    "DescribeTaskDefinition": 20.0,
    "ListTaskDefinitions": 20.0,
    "ListTasks": 20.0,  # ECS's task read actions: a bucket of 100, refilled at 20 a second
    "DescribeTasks": 20.0,
    "UpdateService": 5.0,
    "DescribeDBInstances": 100.0,
    "GetCallerIdentity": 100.0,
}
# The operations that draw on the log quotas colleagues share most: their limit is the configured share.
LOG_OPERATIONS = frozenset({"FilterLogEvents", "StartQuery", "GetQueryResults", "StopQuery", "DescribeExportTasks"})
# Operations without a published request rate whose limit is the app's own choice. StartLiveTail's quota is
# on concurrent sessions (per account, shared with colleagues' consoles): the app keeps one open, and a
# burst of filter changes must not open and close sessions faster than one every two seconds.
OWN_LIMITS: dict[str, float] = {"StartLiveTail": 0.5}
# DynamoDB (the team table) has no request-rate quota, only throughput ones: an on-demand table takes
# 40,000 read / 40,000 write units a second, one partition 3,000 / 1,000. A console writes a few items a
# minute; these keep a runaway loop far below even one partition's share.
OWN_LIMITS.update(
    {"PutItem": 20.0, "UpdateItem": 20.0, "GetItem": 50.0, "Query": 20.0, "DescribeTable": 5.0}
    | {"CreateTable": 1.0, "UpdateTimeToLive": 1.0}
)
QUOTA_SHARE = 0.5  # any other operation: at most half of AWS's quota from one console
DEFAULT_LIMIT = 5.0  # an operation without a published quota here (they are called rarely)


def limit_for(operation: str, log_requests_per_second: float) -> float:
    """Requests per second one console allows itself for ``operation``."""
    if operation in OWN_LIMITS:
        return OWN_LIMITS[operation]
    quota = AWS_QUOTAS.get(operation)
    if operation in LOG_OPERATIONS:
        return min(log_requests_per_second, quota or log_requests_per_second)
    return quota * QUOTA_SHARE if quota else DEFAULT_LIMIT


@dataclass
class Waiting:
    """How often requests had to wait for their limit, and the longest wait (seconds), per operation."""

    waits: Counter[str]
    longest_s: dict[str, float]


class RequestLimits:
    """One limiter per operation, made on first use; ``waiting`` counts the requests waiting now."""

    def __init__(self, log_requests_per_second: float) -> None:
        self.log_requests_per_second = log_requests_per_second
        self._limiters: dict[str, AsyncLimiter] = {}
        self.waiting: Counter[str] = Counter()
        self.stats = Waiting(Counter(), {})

    def rate(self, operation: str) -> float:
        return limit_for(operation, self.log_requests_per_second)

    def _limiter(self, operation: str) -> AsyncLimiter:
        limiter = self._limiters.get(operation)
        if limiter is None:
            limiter = self._limiters[operation] = AsyncLimiter(1, 1.0 / self.rate(operation))
        return limiter

    async def before_send(self, event_name: str = "", **_: Any) -> None:
        """botocore's ``before-send.<service>.<Operation>`` hook (aiobotocore awaits it): wait for a slot.

        Returns None, so botocore goes on to send the request itself."""
        operation = event_name.rsplit(".", 1)[-1]
        limiter = self._limiter(operation)
        if limiter.has_capacity():
            await limiter.acquire()
            return None
        loop = asyncio.get_running_loop()
        started = loop.time()
        self.waiting[operation] += 1
        polling = POLLING_SOURCE.get()  # the panel whose poll this is says what it waits for
        if polling is not None:
            polling.waiting_for_limit = operation
        try:
            await limiter.acquire()
        finally:
            self.waiting[operation] -= 1
            if polling is not None and polling.waiting_for_limit == operation:
                polling.waiting_for_limit = ""
        waited = loop.time() - started
        self.stats.waits[operation] += 1
        self.stats.longest_s[operation] = max(self.stats.longest_s.get(operation, 0.0), waited)
        return None

    def reset(self) -> None:
        """New limiters (a gateway reopened in another event loop)."""
        self._limiters.clear()
        self.waiting.clear()
