"""Shared helpers for the embedded-AWS tests: boto3 clients (playing the AWS CLI) and polling."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import boto3
from botocore.config import Config as BotoConfig

from kojan_tui.core.config import ServiceSettings
from kojan_tui.core.metrics_catalog import s03_queries
from kojan_tui.demo.embedded import EmbeddedAws
from tests.fixtures.waits import wait_for  # re-exported: the demo tests' wait

REGION = "ap-northeast-1"
SERVICE = ServiceSettings()
T = TypeVar("T")


def client(aws: EmbeddedAws, name: str) -> Any:
    return boto3.client(
        name,
        endpoint_url=aws.endpoint_url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=BotoConfig(retries={"max_attempts": 1}),
    )


ROLLOUT_TICKS = 40  # a rollback completes in ~5 ticks, a circuit breaker's FAILED + rollback in ~10: generous
STUCK_SECONDS_PER_TICK = 20  # a wall-clock cap only against a simulator that stopped: a loaded CI box ticks slower, not 20x


def simulator_stuck_after(aws: EmbeddedAws, n: int) -> float:
    """Seconds after which ``n`` ticks not done means the simulator is stuck, not just slow."""
    return 30.0 + n * aws.tick_seconds * STUCK_SECONDS_PER_TICK


def wait_ticks(aws: EmbeddedAws, n: int, what: str = "") -> None:
    """Until the simulator has done ``n`` more ticks, however long a loaded machine takes for them."""
    start = ticks(aws)
    wait_for(lambda: ticks(aws) - start >= n, timeout=simulator_stuck_after(aws, n), what=what or f"{n} ticks")


def within_ticks(aws: EmbeddedAws, n: int, condition: Callable[[], T], what: str, interval: float = 0.1) -> T:
    """Poll ``condition`` until it is truthy; fail only once it was seen false after ``n`` ticks.

    Counted in simulated ticks, not seconds: a check is judged by the tick count read before it ran, so a
    slow query on a loaded machine never turns "in time" into "too late". Symptoms polled here persist."""
    start = ticks(aws)

    def check() -> tuple[T] | None:
        elapsed = ticks(aws) - start
        value = condition()
        if value:
            return (value,)
        if elapsed > n:
            raise AssertionError(f"{what}: not there after {n} simulated ticks")
        return None

    return wait_for(check, timeout=simulator_stuck_after(aws, n), interval=interval, what=what)[0]


async def within_ticks_async(
    aws: EmbeddedAws, n: int, condition: Callable[[], Awaitable[T]], what: str, interval: float = 0.5, at_least_s: float = 0.0
) -> T:
    """``within_ticks`` for a coroutine (a check run through a gateway), the event loop left free meanwhile.

    ``at_least_s``: a symptom that also needs wall-clock time (a datapoint in the newest minute) is given up
    on only once both ``n`` ticks and that many seconds have passed."""
    start, began = await asyncio.to_thread(ticks, aws), time.monotonic()
    stuck = began + at_least_s + simulator_stuck_after(aws, n)
    while True:
        late = await asyncio.to_thread(ticks, aws) - start > n and time.monotonic() - began > at_least_s
        value = await condition()
        if value:
            return value
        if late or time.monotonic() > stuck:
            raise AssertionError(f"{what}: not there after {n} simulated ticks and {at_least_s:.0f} s")
        await asyncio.sleep(interval)


async def wait_ticks_async(aws: EmbeddedAws, n: int, what: str = "") -> None:
    """``wait_ticks`` without blocking the event loop (an app under test keeps running)."""
    await asyncio.to_thread(wait_ticks, aws, n, what)


def utcnow() -> datetime:
    return datetime.now(UTC)


def s03_since(cloudwatch: Any, since: datetime, period: int = 60) -> dict[str, list[float]]:
    """Every S03 series (the dashboard's own queries) from ``since`` to now, oldest value first.

    ``period`` below 60 keeps buckets from starting before ``since`` (CloudWatch rounds longer periods
    down to the minute), so a scenario's symptom is not diluted by what came before it.
    """
    queries = [
        {
            "Id": q.id,
            "MetricStat": {
                "Metric": {
                    "Namespace": q.namespace,
                    "MetricName": q.metric,
                    "Dimensions": [{"Name": n, "Value": v} for n, v in q.dimensions],
                },
                "Period": period,
                "Stat": q.stat,
            },
        }
        for q in s03_queries(SERVICE, period)
    ]
    start = since.replace(microsecond=0)
    response = cloudwatch.get_metric_data(
        MetricDataQueries=queries, StartTime=start, EndTime=utcnow() + timedelta(seconds=1), ScanBy="TimestampAscending"
    )
    return {r["Id"]: r["Values"] for r in response["MetricDataResults"]}


def ticks(aws: EmbeddedAws) -> int:
    return int(aws.status()["ticks"])
