"""S25: the conditions under which the guide says "roll back at once", each with a reason to show.

Every request failing (5XX rate ≥ the configured %), the database down (RDS status is a down state,
or every request failing while the logs count "database connection" errors), ECS memory above the
configured %, ECS CPU at or above the configured % for the configured number of seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from kojan_tui.core.config import RollbackTriggers
from kojan_tui.core.models import DbInstance
from kojan_tui.core.readings import MetricReading

# RDS states in which the application cannot reach its database at all.
DB_DOWN_STATUSES = frozenset(
    {
        "stopped",
        "stopping",
        "starting",
        "rebooting",
        "failed",
        "deleting",
        "storage-full",
        "incompatible-network",
        "incompatible-parameters",
        "incompatible-restore",
        "inaccessible-encryption-credentials",
        "restore-error",
    }
)


@dataclass(frozen=True)
class RollbackReason:
    code: str  # all_failing | db_down | memory | cpu
    text: str


def sustained_seconds(reading: MetricReading, at_least: float, period_s: int) -> float:
    """How long the newest unbroken run of datapoints ≥ ``at_least`` lasts (each point covers a period)."""
    stamps, values = reading.timestamps, reading.values
    if not values or values[-1] < at_least:
        return 0.0
    start = len(values) - 1
    while start > 0 and values[start - 1] >= at_least and stamps[start] - stamps[start - 1] <= timedelta(seconds=period_s):
        start -= 1
    return (stamps[-1] - stamps[start]).total_seconds() + period_s


def rollback_reasons(
    readings: dict[str, MetricReading],
    db: DbInstance | None,
    db_connection_errors: int | None,
    triggers: RollbackTriggers,
    period_s: int,
) -> list[RollbackReason]:
    reasons: list[RollbackReason] = []
    rate = readings.get("error_rate_percent")
    all_failing = rate is not None and rate.latest is not None and rate.latest >= triggers.all_failing_error_rate_percent
    if all_failing:
        reasons.append(RollbackReason("all_failing", f"every request is failing: 5XX rate {rate.latest:.1f} %"))
    if db is not None and db.status in DB_DOWN_STATUSES:
        reasons.append(RollbackReason("db_down", f"database down: RDS {db.identifier} is {db.status}"))
    elif all_failing and db_connection_errors:
        reasons.append(
            RollbackReason(
                "db_down",
                f'database connection down: {db_connection_errors} "database connection" errors while every request fails',
            )
        )
    memory = readings.get("ecs_memory_percent")
    if memory is not None and memory.latest is not None and memory.latest > triggers.memory_percent:
        reasons.append(RollbackReason("memory", f"ECS memory {memory.latest:.1f} % > {triggers.memory_percent:g} %"))
    cpu = readings.get("ecs_cpu_percent")
    if cpu is not None:
        lasted = sustained_seconds(cpu, triggers.cpu_percent, period_s)
        if lasted >= triggers.cpu_sustained_seconds:
            reasons.append(
                RollbackReason(
                    "cpu",
                    f"ECS CPU ≥ {triggers.cpu_percent:g} % for {lasted / 60:.0f} min (limit {triggers.cpu_sustained_seconds / 60:g} min)",
                )
            )
    return reasons
