"""S25: the conditions under which the guide says "roll back at once", each with a reason to show.

Every request failing (5XX rate ≥ the configured % in the newest or the last complete period, no task
running while some are desired, no healthy target, or the ALB answering 5XX itself with no latency
datapoint: no target answered), the database down (RDS status is a down state, or every request failing
while the logs count "database connection" errors), ECS memory above the configured %, ECS CPU at or
above the configured % for the configured number of seconds. No rule needs a datapoint to exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from kojan_tui.core.config import RollbackTriggers
from kojan_tui.core.i18n import N_, Phrase
from kojan_tui.core.models import DbInstance, ServiceSnapshot
from kojan_tui.core.readings import MetricReading, Staleness, TargetHealth

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


def judged_rate(rate: MetricReading, staleness: Staleness | None) -> float | None:
    """The higher of the newest period's rate and the last complete period's (None when neither is current).

    The newest period is partial: an outage shows there first, a recovery too early. Keeping the last
    complete period in the judgement raises "every request failing" as soon as either shows it and
    holds it until a whole period has passed without it.
    """
    if rate.current is None:
        return None
    if staleness is None:
        return rate.current
    complete = [v for t, v in zip(rate.timestamps, rate.values) if staleness.complete(t) and not staleness.is_stale(t)]
    return max(rate.current, complete[-1]) if complete else rate.current


def failing_causes(
    readings: dict[str, MetricReading],
    service: ServiceSnapshot | None,
    health: TargetHealth | None,
    threshold_percent: float,
    staleness: Staleness | None,
) -> list[str]:
    """Each way the data says every request is failing, in words."""
    causes: list[str] = []
    rate = readings.get("error_rate_percent")
    judged = judged_rate(rate, staleness) if rate is not None else None
    if judged is not None and judged >= threshold_percent:
        causes.append(Phrase(N_("5XX rate {rate} %"), rate=f"{judged:.1f}"))
    if service is not None and service.desired > 0 and service.running == 0:
        causes.append(Phrase(N_("0 of {desired} tasks running"), desired=service.desired))
    if health is not None and health.none_healthy:
        causes.append(Phrase(N_("0 healthy targets")))
    p99 = readings.get("p99_latency_ms")
    if rate is not None and rate.current is not None and rate.elb_5xx > 0:
        newest = rate.timestamps[-1]
        answered = p99 is not None and p99.current is not None and bool(p99.timestamps) and p99.timestamps[-1] >= newest
        if not answered:  # a missing series is a signal: the ALB fails requests and no target served any
            causes.append(Phrase(N_("the load balancer answers 5XX itself and no target answered (no latency datapoint)")))
    return causes


def rollback_reasons(
    readings: dict[str, MetricReading],
    db: DbInstance | None,
    db_connection_errors: int | None,
    triggers: RollbackTriggers,
    period_s: int,
    *,
    service: ServiceSnapshot | None = None,
    health: TargetHealth | None = None,
    staleness: Staleness | None = None,
) -> list[RollbackReason]:
    reasons: list[RollbackReason] = []
    causes = failing_causes(readings, service, health, triggers.all_failing_error_rate_percent, staleness)
    all_failing = bool(causes)
    if all_failing:
        reasons.append(RollbackReason("all_failing", Phrase(N_("every request is failing: {causes}"), causes=tuple(causes))))
    if db is not None and db.status in DB_DOWN_STATUSES:
        reasons.append(
            RollbackReason("db_down", Phrase(N_("database down: RDS {db} is {status}"), db=db.identifier, status=db.status))
        )
    elif all_failing and db_connection_errors:
        reasons.append(
            RollbackReason(
                "db_down",
                Phrase(
                    N_('database connection down: {n} "database connection" errors while every request fails'),
                    n=db_connection_errors,
                ),
            )
        )
    memory = readings.get("ecs_memory_percent")
    if memory is not None and memory.current is not None and memory.current > triggers.memory_percent:
        reasons.append(
            RollbackReason(
                "memory",
                Phrase(
                    N_("ECS memory {value} % > {limit} %"), value=f"{memory.current:.1f}", limit=f"{triggers.memory_percent:g}"
                ),
            )
        )
    cpu = readings.get("ecs_cpu_percent")
    if cpu is not None and not cpu.stale:
        lasted = sustained_seconds(cpu, triggers.cpu_percent, period_s)
        if lasted >= triggers.cpu_sustained_seconds:
            reasons.append(
                RollbackReason(
                    "cpu",
                    Phrase(
                        N_("ECS CPU ≥ {limit} % for {minutes} min (limit {sustained} min)"),
                        limit=f"{triggers.cpu_percent:g}",
                        minutes=f"{lasted / 60:.0f}",
                        sustained=f"{triggers.cpu_sustained_seconds / 60:g}",
                    ),
                )
            )
    return reasons
