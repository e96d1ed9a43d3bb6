"""Builders of gateway-shaped data (series, services, DB instances) for the dashboard's tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.models import (
    ContainerDefinition,
    DbInstance,
    Deployment,
    MetricSeries,
    ServiceEvent,
    ServiceSnapshot,
    TaskDefinition,
)

NOW = datetime(2026, 11, 28, 13, 0, 0, tzinfo=UTC)
TD_ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:42"
GIB = 1024**3


def series(query_id: str, values: list[float], *, period: int = 60, end: datetime = NOW) -> MetricSeries:
    """``values`` oldest first, one per period, the newest at ``end``."""
    n = len(values)
    stamps = tuple(end - timedelta(seconds=period * (n - 1 - i)) for i in range(n))
    return MetricSeries(id=query_id, label=query_id, timestamps=stamps, values=tuple(float(v) for v in values))


def flat(query_id: str, value: float, n: int = 60) -> MetricSeries:
    return series(query_id, [value] * n)


def healthy_metrics(n: int = 60) -> dict[str, MetricSeries]:
    """Every S03 metric comfortably ok: 120 ms p99, 0.1 % 5XX, CPU 30/40 %, memory 50 %, storage 50 %."""
    return {
        q.P99_LATENCY: flat(q.P99_LATENCY, 0.120, n),
        q.ALB_5XX: flat(q.ALB_5XX, 1, n),
        q.ALB_REQUESTS: flat(q.ALB_REQUESTS, 1000, n),
        q.ECS_CPU: flat(q.ECS_CPU, 30, n),
        q.ECS_MEMORY: flat(q.ECS_MEMORY, 50, n),
        q.RDS_CPU: flat(q.RDS_CPU, 40, n),
        q.RDS_FREE_STORAGE: flat(q.RDS_FREE_STORAGE, 50 * GIB, n),
    }


def db_instance(status: str = "available", allocated_gib: int = 100) -> DbInstance:
    return DbInstance("kojan-map-db", status, "mysql", "8.0.35", "db.t3.medium", allocated_gib)


def deployment(rollout: str | None = "COMPLETED", status: str = "PRIMARY", running: int = 2, desired: int = 2) -> Deployment:
    return Deployment(
        id=f"ecs-svc/{status.lower()}",
        status=status,
        task_definition=TD_ARN,
        desired=desired,
        running=running,
        pending=0,
        rollout_state=rollout,
        rollout_reason=None,
        created_at=NOW - timedelta(hours=2),
        updated_at=NOW - timedelta(hours=1),
    )


def service(
    *,
    running: int = 2,
    desired: int = 2,
    status: str = "ACTIVE",
    rollout: str | None = "COMPLETED",
    deployments: tuple[Deployment, ...] | None = None,
    events: tuple[ServiceEvent, ...] = (),
) -> ServiceSnapshot:
    deps = deployments if deployments is not None else (deployment(rollout, running=running, desired=desired),)
    return ServiceSnapshot(
        cluster="kojan-map-production",
        name="kojan-map-business",
        status=status,
        desired=desired,
        running=running,
        pending=0,
        task_definition=TD_ARN,
        deployments=deps,
        events=events
        or (ServiceEvent("e1", NOW - timedelta(minutes=5), "(service kojan-map-business) has reached a steady state."),),
    )


def task_definition(image: str = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/kojan-map/business:v1.4.2") -> TaskDefinition:
    return TaskDefinition(TD_ARN, "kojan-map-business", 42, (ContainerDefinition("business", image),))
