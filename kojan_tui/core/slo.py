"""The availability SLO from the ALB series: error budget over the SLO window and multi-window burn rates.

A request is bad when it was answered 5XX, by a target (``HTTPCode_Target_5XX_Count``) or by the load
balancer itself (``HTTPCode_ELB_5XX_Count``, which ``RequestCount`` leaves out, so it is added to the total
too). ALB publishes no datapoint for a count of zero: a missing datapoint is no traffic (nothing counted on
either side), never "no errors" for requests that were made. A window with no request has no rate.

The burn rate of a window is its error ratio over the error budget's share (1 − objective): 1 spends the
budget exactly over the SLO window. The alerting rules are the SRE workbook's multi-window ones (chapter 5,
table 5-8): each fires only when both its long and its short window burn faster than its factor (the workbook's
``>``: a service failing exactly at its budget, 0.1 % against 99.9 %, spends it on time and fires nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.levels import Level
from kojan_tui.core.models import MetricSeries

SLO_SERIES = (q.ALB_REQUESTS, q.ALB_5XX, q.ELB_5XX)  # what the SLO is computed from


@dataclass(frozen=True)
class BurnRule:
    name: str  # "1h/5m"
    long: timedelta
    short: timedelta
    factor: float  # both windows above this burn rate: it fires
    level: Level  # ALERT pages, WARNING is a ticket
    budget_share: str  # what firing means in budget terms, for the explanation


BURN_RULES: tuple[BurnRule, ...] = (
    BurnRule("1h/5m", timedelta(hours=1), timedelta(minutes=5), 14.4, Level.ALERT, "2 % of a 30-day budget in 1 h"),
    BurnRule("6h/30m", timedelta(hours=6), timedelta(minutes=30), 6.0, Level.ALERT, "5 % of a 30-day budget in 6 h"),
    BurnRule("3d/6h", timedelta(days=3), timedelta(hours=6), 1.0, Level.WARNING, "10 % of a 30-day budget in 3 d"),
)
RECENT_SPAN = max(r.short for r in BURN_RULES)  # windows up to this long come from the dashboard's own series


@dataclass(frozen=True)
class Traffic:
    """One period's requests (targeted + answered by the load balancer itself) and how many were 5XX."""

    start: datetime
    total: float
    bad: float


def traffic(series: Mapping[str, MetricSeries]) -> tuple[Traffic, ...] | None:
    """Per period, oldest first; None when the requests series was not answered at all (not measured)."""
    requests = series.get(q.ALB_REQUESTS)
    if requests is None:
        return None
    req = dict(zip(requests.timestamps, requests.values))
    target = dict(zip(*_pairs(series.get(q.ALB_5XX))))
    elb = dict(zip(*_pairs(series.get(q.ELB_5XX))))
    periods = sorted(set(req) | set(elb) | set(target))
    return tuple(Traffic(ts, req.get(ts, 0.0) + elb.get(ts, 0.0), target.get(ts, 0.0) + elb.get(ts, 0.0)) for ts in periods)


def _pairs(series: MetricSeries | None) -> tuple[tuple[datetime, ...], tuple[float, ...]]:
    return (series.timestamps, series.values) if series is not None else ((), ())


@dataclass(frozen=True)
class WindowCount:
    total: float
    bad: float

    @property
    def ratio(self) -> float | None:
        """The share of bad requests; None with no request (no traffic is no rate, not 0 % nor 100 %)."""
        return min(1.0, self.bad / self.total) if self.total > 0 else None


def count(periods: tuple[Traffic, ...], end: datetime, span: timedelta) -> WindowCount:
    """The requests of the periods that start within ``span`` before ``end`` (at or after ``end − span``, before
    ``end``): a 5-minute window of 1-minute periods is 5 of them."""
    since = end - span
    chosen = [p for p in periods if since <= p.start < end]
    return WindowCount(sum(p.total for p in chosen), min(sum(p.bad for p in chosen), sum(p.total for p in chosen)))


def burn_rate(window: WindowCount, objective_percent: float) -> float | None:
    """The window's error ratio over the budget's share: 1 spends exactly the budget over the SLO window."""
    ratio = window.ratio
    return None if ratio is None else ratio / budget_share(objective_percent)


def budget_share(objective_percent: float) -> float:
    """1 − objective, rounded so that 99.9 % is exactly 0.001 (not 0.0010000000000000009)."""
    return round(1 - objective_percent / 100, 12)


@dataclass(frozen=True)
class Burn:
    rule: BurnRule
    long_rate: float | None  # None: no traffic in that window, or the series it needs was not measured
    short_rate: float | None

    @property
    def firing(self) -> bool:
        return (
            self.long_rate is not None
            and self.short_rate is not None
            and self.long_rate > self.rule.factor
            and self.short_rate > self.rule.factor
        )


@dataclass(frozen=True)
class SloStatus:
    objective_percent: float
    window: timedelta  # the SLO window (e.g. 30 days)
    burns: tuple[Burn, ...] = ()
    budget_remaining: float | None = None  # share of the window's error budget left (negative: overspent)
    availability_percent: float | None = None  # over the data held in the window
    covered: timedelta = timedelta(0)  # how much of the window the long series covers (a new service: less)
    long_age_s: float | None = None  # seconds since the long window was fetched (it is fetched less often)
    latency_good_percent: float | None = None  # share of the recent periods whose p99 met the latency objective
    latency_ms: float = 1000.0
    measured: bool = False  # the recent series were answered with at least one datapoint
    notes: tuple[str, ...] = field(default=())

    @property
    def level(self) -> Level:
        """ALERT when a paging rule fires, WARNING for the ticket rule or an overspent budget, OK when measured,
        else NO DATA."""
        firing = [b.rule.level for b in self.burns if b.firing]
        if Level.ALERT in firing:
            return Level.ALERT
        if firing or (self.budget_remaining is not None and self.budget_remaining < 0):
            return Level.WARNING
        return Level.OK if self.measured else Level.UNKNOWN

    @property
    def firing(self) -> tuple[Burn, ...]:
        return tuple(b for b in self.burns if b.firing)


def slo_status(
    recent: Mapping[str, MetricSeries],
    long: Mapping[str, MetricSeries] | None,
    end: datetime,
    *,
    objective_percent: float,
    window: timedelta,
    latency_ms: float,
    long_fetched_at: datetime | None = None,
) -> SloStatus:
    """Budget and burn rates at ``end``: windows up to ``RECENT_SPAN`` from ``recent`` (the dashboard's own
    series, at its period), longer ones and the budget from ``long`` (coarse periods, fetched less often)."""
    recent_periods = traffic(recent)
    long_periods = traffic(long) if long is not None else None

    def rate(span: timedelta) -> float | None:
        periods = recent_periods if span <= RECENT_SPAN else long_periods
        return None if periods is None else burn_rate(count(periods, end, span), objective_percent)

    burns = tuple(Burn(rule, rate(rule.long), rate(rule.short)) for rule in BURN_RULES)
    budget = availability = None
    covered = timedelta(0)
    if long_periods:
        whole = count(long_periods, end, window)
        if whole.ratio is not None:
            availability = 100 * (1 - whole.ratio)
            budget = 1 - whole.bad / (whole.total * budget_share(objective_percent))
        held = [p.start for p in long_periods if p.start >= end - window]
        covered = min(window, end - held[0]) if held else timedelta(0)
    age = (end - long_fetched_at).total_seconds() if long_fetched_at is not None else None
    return SloStatus(
        objective_percent,
        window,
        burns,
        budget,
        availability,
        covered,
        None if age is None else max(0.0, age),
        latency_good(recent.get(q.P99_LATENCY), latency_ms),
        latency_ms,
        # not one datapoint in 6 h is NO DATA, as on the 5XX panel (a wrong dimension looks just like that), not OK
        measured=bool(recent_periods),
    )


def latency_good(p99: MetricSeries | None, latency_ms: float) -> float | None:
    """The share of periods whose p99 (seconds, as ALB publishes it) was within ``latency_ms``; None without any."""
    if p99 is None or not p99.values:
        return None
    return 100 * sum(v * 1000 <= latency_ms for v in p99.values) / len(p99.values)
