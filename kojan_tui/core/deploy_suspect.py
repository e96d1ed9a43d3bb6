"""Did it start with the deployment? An S03 metric that was fine before the newest deployment and breaches its
alert level after it points at the rollback (S26), even when none of S25's roll-back-at-once rules holds. Pure.

Judged on the metric's own datapoints, not on when the app first saw the alert: a console opened after the
deployment must reach the same answer. A datapoint's period that contains the deployment counts as after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kojan_tui.core.i18n import tr
from kojan_tui.core.levels import Level, level_for
from kojan_tui.core.models import ServiceSnapshot
from kojan_tui.core.readings import MetricReading
from kojan_tui.core.verdict import task_definition_label

RECENT = timedelta(hours=1)  # a deployment older than this is no longer the obvious suspect
BEFORE_POINTS = 5  # the datapoints just before the deployment that must all have been fine
MIN_BEFORE_POINTS = 3  # fewer than this before it: nothing to compare with, no claim


@dataclass(frozen=True)
class SuspectDeployment:
    revision: str  # ``family:12``
    deployed_at: datetime
    metrics: tuple[str, ...]  # the titles of the metrics that breached only after it

    def text(self, now: datetime, language: str = "en") -> str:
        ago = _short_age((now - self.deployed_at).total_seconds(), language)
        return tr("{metrics} began with deployment {revision} ({at:%H:%M:%S}, {ago} ago)", language).format(
            metrics=tr(", ", language).join(tr(m, language) for m in self.metrics),
            revision=self.revision,
            at=self.deployed_at,
            ago=ago,
        )

    def press_text(self, key: str, language: str = "en") -> str:
        return tr("Press {key} to roll back (S26): the previous revision, its diff, a typed confirmation.", language).format(
            key=key
        )


def _short_age(seconds: float, language: str) -> str:
    minutes = max(0, int(seconds // 60))
    if minutes:
        return tr("{minutes} min", language).format(minutes=minutes)
    return tr("{seconds} s", language).format(seconds=max(0, int(seconds)))


def newest_deployment_time(service: ServiceSnapshot | None) -> tuple[str, datetime] | None:
    """The newest deployment's revision label and createdAt."""
    dated = [d for d in (service.deployments if service else ()) if d.created_at is not None]
    if not dated:
        return None
    newest = max(dated, key=lambda d: d.created_at)  # type: ignore[arg-type, return-value]
    return task_definition_label(newest.task_definition), newest.created_at  # type: ignore[return-value]


def began_after(reading: MetricReading, deployed_at: datetime, period_s: float) -> bool:
    """Fine on every one of the last datapoints before ``deployed_at`` and at its alert level on one after it,
    and at its alert level now."""
    if reading.level is not Level.ALERT:
        return False
    period = timedelta(seconds=period_s)
    points = list(zip(reading.timestamps, reading.values))
    before = [v for t, v in points if t + period <= deployed_at][-BEFORE_POINTS:]
    after = [v for t, v in points if t + period > deployed_at]
    if len(before) < MIN_BEFORE_POINTS or not after:
        return False
    fine_before = all(level_for(v, reading.threshold) is Level.OK for v in before)
    return fine_before and any(level_for(v, reading.threshold) is Level.ALERT for v in after)


def suspect_deployment(
    readings: Iterable[MetricReading], service: ServiceSnapshot | None, now: datetime | None, period_s: float = 60.0
) -> SuspectDeployment | None:
    """The newest deployment when, within ``RECENT`` of it, a metric breached that was fine before it."""
    newest = newest_deployment_time(service)
    if newest is None:
        return None
    revision, deployed_at = newest
    if now is not None and now - deployed_at > RECENT:
        return None
    began = tuple(r.spec.title for r in readings if began_after(r, deployed_at, period_s))
    return SuspectDeployment(revision, deployed_at, began) if began else None
