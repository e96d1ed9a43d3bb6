"""The S29 checks after a rollout, as verdicts: targets healthy, no new ERROR lines, every S03 metric within
its thresholds on the datapoints measured after the rollout completed. Pure: the watch gathers the inputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from kojan_tui.core.levels import Level, level_for
from kojan_tui.core.models import MetricSeries, ServiceSnapshot
from kojan_tui.core.readings import MetricReading


class CheckVerdict(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    PENDING = "pending"  # not measured yet (no datapoint after the rollout so far)
    UNAVAILABLE = "unavailable"  # could not be measured (a failed call, no data at all)

    @property
    def marker(self) -> str:
        return {"pass": "✓ PASS", "fail": "✖ FAIL", "pending": "… WAIT", "unavailable": "? N/A"}[self.value]


@dataclass(frozen=True)
class PostDeployCheck:
    name: str
    verdict: CheckVerdict
    detail: str

    @property
    def text(self) -> str:
        return f"{self.verdict.marker}  {self.name}: {self.detail}"

    def record(self) -> dict[str, str]:
        return {"check": self.name, "verdict": self.verdict.value, "detail": self.detail}


def target_health(service: ServiceSnapshot | None, healthy_hosts: MetricSeries | None, since: datetime) -> PostDeployCheck:
    """Every desired task running (and, when the ALB's HealthyHostCount is polled, that many healthy targets)."""
    name = "target health"
    if service is None:
        return PostDeployCheck(name, CheckVerdict.UNAVAILABLE, "the service could not be described")
    if service.running < service.desired or service.pending:
        return PostDeployCheck(
            name, CheckVerdict.FAIL, f"{service.running}/{service.desired} tasks running, {service.pending} pending"
        )
    hosts = [v for t, v in zip(healthy_hosts.timestamps, healthy_hosts.values) if t >= since] if healthy_hosts else []
    if hosts:
        if min(hosts) < service.desired:
            return PostDeployCheck(name, CheckVerdict.FAIL, f"healthy targets fell to {min(hosts):.0f} of {service.desired}")
        return PostDeployCheck(
            name, CheckVerdict.PASS, f"{service.running}/{service.desired} running, {min(hosts):.0f} healthy targets"
        )
    return PostDeployCheck(name, CheckVerdict.PASS, f"{service.running}/{service.desired} tasks running, none pending")


def error_lines(count: int | None, since: datetime) -> PostDeployCheck:
    name = "new ERROR lines"
    if count is None:
        return PostDeployCheck(name, CheckVerdict.UNAVAILABLE, "the log could not be counted")
    if count:
        return PostDeployCheck(name, CheckVerdict.FAIL, f"{count:,} ERROR lines since {since:%H:%M:%S} UTC")
    return PostDeployCheck(name, CheckVerdict.PASS, f"none since {since:%H:%M:%S} UTC")


def metric_within_thresholds(reading: MetricReading, since: datetime, *, final: bool) -> PostDeployCheck:
    """The worst of the datapoints whose period starts at or after ``since`` (only after the rollout)."""
    name = reading.spec.title
    after = [v for t, v in zip(reading.timestamps, reading.values) if t >= since]
    if not after:
        verdict = CheckVerdict.UNAVAILABLE if final else CheckVerdict.PENDING
        return PostDeployCheck(name, verdict, f"no datapoint since {since:%H:%M:%S} UTC yet")
    worst_value = max(after)
    level = level_for(worst_value, reading.threshold)
    unit = f" {reading.spec.unit}" if reading.spec.unit else ""
    shown = f"worst {worst_value:.{reading.spec.decimals}f}{unit} over {len(after)} datapoint(s)"
    if level is Level.OK:
        return PostDeployCheck(name, CheckVerdict.PASS, f"{shown}, within warn {reading.threshold.warn:g}{unit}")
    return PostDeployCheck(name, CheckVerdict.FAIL, f"{shown}, above warn {reading.threshold.warn:g}{unit}")


def metric_checks(readings: Mapping[str, MetricReading], since: datetime, *, final: bool) -> tuple[PostDeployCheck, ...]:
    return tuple(metric_within_thresholds(r, since, final=final) for r in readings.values())


def all_passed(checks: tuple[PostDeployCheck, ...]) -> bool:
    return bool(checks) and all(c.verdict is CheckVerdict.PASS for c in checks)
