"""The S29 checks after a rollout, as verdicts: targets healthy, no new ERROR lines, every S03 metric within
its thresholds on the datapoints measured after the rollout completed. Pure: the watch gathers the inputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from kojan_tui.core.i18n import N_, Phrase
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
        name = self.name if isinstance(self.name, Phrase) else Phrase(self.name)  # a metric title: a message id
        return Phrase(N_("{marker}  {name}: {detail}"), marker=self.verdict.marker, name=name, detail=self.detail)

    def record(self) -> dict[str, str]:
        return {"check": self.name, "verdict": self.verdict.value, "detail": self.detail}


def target_health(service: ServiceSnapshot | None, healthy_hosts: MetricSeries | None, since: datetime) -> PostDeployCheck:
    """Every desired task running (and, when the ALB's HealthyHostCount is polled, that many healthy targets)."""
    name = Phrase(N_("target health"))
    running, desired = service.running if service else 0, service.desired if service else 0
    if service is None:
        return PostDeployCheck(name, CheckVerdict.UNAVAILABLE, Phrase(N_("the service could not be described")))
    if service.running < service.desired or service.pending:
        text = Phrase(
            N_("{running}/{desired} tasks running, {pending} pending"), running=running, desired=desired, pending=service.pending
        )
        return PostDeployCheck(name, CheckVerdict.FAIL, text)
    hosts = [v for t, v in zip(healthy_hosts.timestamps, healthy_hosts.values) if t >= since] if healthy_hosts else []
    if hosts:
        if min(hosts) < service.desired:
            fell = Phrase(N_("healthy targets fell to {n} of {desired}"), n=f"{min(hosts):.0f}", desired=desired)
            return PostDeployCheck(name, CheckVerdict.FAIL, fell)
        text = Phrase(
            N_("{running}/{desired} running, {n} healthy targets"), running=running, desired=desired, n=f"{min(hosts):.0f}"
        )
        return PostDeployCheck(name, CheckVerdict.PASS, text)
    return PostDeployCheck(
        name, CheckVerdict.PASS, Phrase(N_("{running}/{desired} tasks running, none pending"), running=running, desired=desired)
    )


def error_lines(count: int | None, since: datetime) -> PostDeployCheck:
    name = Phrase(N_("new ERROR lines"))
    at = f"{since:%H:%M:%S}"
    if count is None:
        return PostDeployCheck(name, CheckVerdict.UNAVAILABLE, Phrase(N_("the log could not be counted")))
    if count:
        return PostDeployCheck(name, CheckVerdict.FAIL, Phrase(N_("{n} ERROR lines since {at} UTC"), n=f"{count:,}", at=at))
    return PostDeployCheck(name, CheckVerdict.PASS, Phrase(N_("none since {at} UTC"), at=at))


def metric_within_thresholds(reading: MetricReading, since: datetime, *, final: bool) -> PostDeployCheck:
    """The worst of the datapoints whose period starts at or after ``since`` (only after the rollout)."""
    name = reading.spec.title
    after = [v for t, v in zip(reading.timestamps, reading.values) if t >= since]
    if not after:
        verdict = CheckVerdict.UNAVAILABLE if final else CheckVerdict.PENDING
        return PostDeployCheck(name, verdict, Phrase(N_("no datapoint since {at} UTC yet"), at=f"{since:%H:%M:%S}"))
    worst_value = max(after)
    level = level_for(worst_value, reading.threshold)
    unit = f" {reading.spec.unit}" if reading.spec.unit else ""
    worst, warn = f"{worst_value:.{reading.spec.decimals}f}{unit}", f"{reading.threshold.warn:g}{unit}"
    if level is Level.OK:
        text = N_("worst {worst} over {n} datapoint(s), within warn {warn}")
        return PostDeployCheck(name, CheckVerdict.PASS, Phrase(text, worst=worst, n=len(after), warn=warn))
    text = N_("worst {worst} over {n} datapoint(s), above warn {warn}")
    return PostDeployCheck(name, CheckVerdict.FAIL, Phrase(text, worst=worst, n=len(after), warn=warn))


def metric_checks(readings: Mapping[str, MetricReading], since: datetime, *, final: bool) -> tuple[PostDeployCheck, ...]:
    return tuple(metric_within_thresholds(r, since, final=final) for r in readings.values())


def all_passed(checks: tuple[PostDeployCheck, ...]) -> bool:
    return bool(checks) and all(c.verdict is CheckVerdict.PASS for c in checks)
