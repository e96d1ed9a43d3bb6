"""Shared helpers for the embedded-AWS tests: boto3 clients (playing the AWS CLI) and the S03 series; the waits
are in tests/fixtures/waits.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import boto3
from botocore.config import Config as BotoConfig

from kojan_tui.core.config import ServiceSettings
from kojan_tui.core.metrics_catalog import s03_queries
from kojan_tui.demo.embedded import EmbeddedAws
from tests.fixtures.waits import (  # noqa: F401 - re-exported: the demo tests' waits live in one module
    simulator_stuck_after,
    ticks,
    wait_for,
    wait_ticks,
    wait_ticks_async,
    within_ticks,
    within_ticks_async,
)

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


def utcnow() -> datetime:
    return datetime.now(UTC)


def s03_since(cloudwatch: Any, since: datetime, period: int = 60, end: datetime | None = None) -> dict[str, list[float]]:
    """Every S03 series (the dashboard's own queries) from ``since`` to now (or ``end``: the world's now, when a
    test moved its clock on), oldest value first.

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
        MetricDataQueries=queries, StartTime=start, EndTime=(end or utcnow()) + timedelta(seconds=1), ScanBy="TimestampAscending"
    )
    return {r["Id"]: r["Values"] for r in response["MetricDataResults"]}
