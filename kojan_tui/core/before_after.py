"""Before and after the newest deployment (issue 27): p99, 5XX rate, ECS memory and CPU over two equal windows
either side of its createdAt, from the series the dashboard already has. Pure.

The windows are as long as the data allows on both sides (at most ``MAX_WINDOW``): the series' oldest datapoint
bounds the one before, now bounds the one after. A datapoint's period that contains the deployment counts as
after it (as ``deploy_suspect`` judges). A window without datapoints has no value (None), never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.deploy_suspect import newest_deployment_time
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.models import MetricSeries, ServiceSnapshot

MAX_WINDOW = timedelta(minutes=30)  # S29's 30 minutes of stable running
SERIES_USED = (q.P99_LATENCY, q.ALB_5XX, q.ELB_5XX, q.ALB_REQUESTS, q.ECS_MEMORY, q.ECS_CPU)


@dataclass(frozen=True)
class Compared:
    name: str  # "p99", "5XX rate", "ECS memory", "ECS CPU"
    unit: str
    before: float | None  # None: no datapoint in the window
    after: float | None
    before_points: int
    after_points: int

    def cell(self, side: str, language: str = "en") -> str:
        value = self.before if side == "before" else self.after
        if value is None:
            return tr("no datapoints", language)
        return f"{value:.0f} {self.unit}" if self.unit == "ms" else f"{value:.1f} {self.unit}"


@dataclass(frozen=True)
class BeforeAfter:
    revision: str  # family:rev of the newest deployment
    deployed_at: datetime
    window: timedelta  # each side's length (0: no room on one side)
    rows: tuple[Compared, ...]

    def line(self, language: str = "en") -> str:
        """One line for the incident timeline."""
        minutes = int(self.window.total_seconds() // 60)
        cells = "; ".join(f"{tr(r.name, language)} {r.cell('before', language)} → {r.cell('after', language)}" for r in self.rows)
        return tr("before/after deployment {revision} ({at:%H:%M:%S}), {minutes} min each: {cells}", language).format(
            revision=self.revision, at=self.deployed_at, minutes=minutes, cells=cells
        )


def _points(series: MetricSeries | None, start: datetime, end: datetime, deployed_at: datetime, period: timedelta, after: bool):
    if series is None:
        return []
    chosen = []
    for t, v in zip(series.timestamps, series.values):
        if after and t + period > deployed_at and t < end:
            chosen.append(v)
        elif not after and t >= start and t + period <= deployed_at:
            chosen.append(v)
    return chosen


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def window_length(series: Mapping[str, MetricSeries], deployed_at: datetime, now: datetime) -> timedelta:
    """Equal windows clipped to the data: no longer than what lies after the deployment (up to now) and before it
    (back to the oldest datapoint of the series used), at most ``MAX_WINDOW``."""
    starts = [s.timestamps[0] for key in SERIES_USED if (s := series.get(key)) is not None and s.timestamps]
    if not starts:
        return timedelta(0)
    return max(timedelta(0), min(MAX_WINDOW, now - deployed_at, deployed_at - min(starts)))


def before_after(
    series: Mapping[str, MetricSeries], service: ServiceSnapshot | None, now: datetime, period_s: float = 60.0
) -> BeforeAfter | None:
    """The comparison around the newest deployment (None: no deployment with a createdAt)."""
    newest = newest_deployment_time(service)
    if newest is None:
        return None
    revision, deployed_at = newest
    window = window_length(series, deployed_at, now)
    period = timedelta(seconds=period_s)
    start, end = deployed_at - window, deployed_at + window

    def side(key: str, after: bool) -> list[float]:
        return _points(series.get(key), start, end, deployed_at, period, after) if window > timedelta(0) else []

    rows: list[Compared] = []
    p99 = [side(q.P99_LATENCY, False), side(q.P99_LATENCY, True)]
    rows.append(Compared("p99", "ms", *(_ms(_mean(p)) for p in p99), len(p99[0]), len(p99[1])))
    rates, counts = [], []
    for after in (False, True):
        requests, elb = side(q.ALB_REQUESTS, after), side(q.ELB_5XX, after)
        bad = sum(side(q.ALB_5XX, after)) + sum(elb)
        total = sum(requests) + sum(elb)  # the ALB's own 5XX are not in RequestCount
        rates.append(100.0 * bad / total if total > 0 else None)  # no request at all: no rate, never 0 %
        counts.append(len(requests) + len(elb))
    rows.append(Compared(N_("5XX rate"), "%", rates[0], rates[1], counts[0], counts[1]))
    for key, name in ((q.ECS_MEMORY, N_("ECS memory")), (q.ECS_CPU, N_("ECS CPU"))):
        before, after = side(key, False), side(key, True)
        rows.append(Compared(name, "%", _mean(before), _mean(after), len(before), len(after)))
    return BeforeAfter(revision, deployed_at, window, tuple(rows))


def _ms(seconds: float | None) -> float | None:
    return seconds * 1000.0 if seconds is not None else None


def dashboard_series(metrics: Mapping[str, MetricSeries], recent: Mapping[str, MetricSeries]) -> dict[str, MetricSeries]:
    """The longest of each series the dashboard holds: its 6 h (``slo_recent``) where kept, else the chart's."""
    merged = dict(metrics)
    for key, s in recent.items():
        if key not in merged or len(s.timestamps) >= len(merged[key].timestamps):
            merged[key] = s
    return merged


TIMELINE_MILESTONES_MIN = (1, 5, 15, 30)  # an incident's timeline gets the comparison as its windows reach these


def timeline_milestone(result: BeforeAfter | None) -> int | None:
    """The longest milestone (minutes) the windows have reached; None below the first."""
    if result is None:
        return None
    minutes = result.window.total_seconds() / 60
    reached = [m for m in TIMELINE_MILESTONES_MIN if minutes >= m]
    return reached[-1] if reached else None
