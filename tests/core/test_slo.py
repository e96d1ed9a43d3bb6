"""The availability SLO: burn rates and budget against worked examples (the arithmetic is in each test)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.levels import Level
from kojan_tui.core.models import MetricSeries
from kojan_tui.core.slo import BURN_RULES, WindowCount, burn_rate, count, slo_status, traffic

END = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
OBJECTIVE = 99.9  # budget share 1 − 0.999 = 0.001


def series(query_id: str, points: dict[datetime, float]) -> MetricSeries:
    stamps = tuple(sorted(points))
    return MetricSeries(query_id, query_id, stamps, tuple(points[t] for t in stamps))


def minutes(n: int, value: float) -> dict[datetime, float]:
    """``value`` in each of the last ``n`` minutes, newest at END − 1 min."""
    return {END - timedelta(minutes=m): value for m in range(1, n + 1)}


def status(recent, long=None, objective=OBJECTIVE):
    return slo_status(recent, long, END, objective_percent=objective, window=timedelta(days=30), latency_ms=1000)


def test_burn_rate_worked_examples():
    # 1,000 requests, 2 bad: ratio 0.002; over a budget share of 0.001 that is a burn rate of 2
    assert burn_rate(WindowCount(1000, 2), 99.9) == pytest.approx(2.0)
    # 14.4 is the page line of 1 h/5 min: 14.4 × 0.001 = 1.44 % of requests failing
    assert burn_rate(WindowCount(10_000, 144), 99.9) == pytest.approx(14.4)
    # a 99 % objective has a budget share of 0.01: 3 % failing burns at 3
    assert burn_rate(WindowCount(100, 3), 99.0) == pytest.approx(3.0)
    assert burn_rate(WindowCount(0, 0), 99.9) is None  # no traffic: no rate


def test_the_rules_are_the_workbooks():
    assert [(r.name, r.long, r.short, r.factor, r.level) for r in BURN_RULES] == [
        ("1h/5m", timedelta(hours=1), timedelta(minutes=5), 14.4, Level.ALERT),
        ("6h/30m", timedelta(hours=6), timedelta(minutes=30), 6.0, Level.ALERT),
        ("3d/6h", timedelta(days=3), timedelta(hours=6), 1.0, Level.WARNING),
    ]
    # each factor spends its share of a 30-day budget in its long window: 14.4 × 1 h / 720 h = 2 %,
    # 6 × 6 h / 720 h = 5 %, 1 × 72 h / 720 h = 10 %
    assert [r.factor * r.long / timedelta(days=30) for r in BURN_RULES] == pytest.approx([0.02, 0.05, 0.10])


def test_elb_5xx_counts_on_both_sides_and_missing_points_are_no_traffic():
    t1, t2, t3 = END - timedelta(minutes=3), END - timedelta(minutes=2), END - timedelta(minutes=1)
    periods = traffic(
        {
            q.ALB_REQUESTS: series(q.ALB_REQUESTS, {t1: 100, t3: 50}),  # t2: no datapoint = no targeted request
            q.ALB_5XX: series(q.ALB_5XX, {t1: 1}),  # no datapoint elsewhere = zero 5XX
            q.ELB_5XX: series(q.ELB_5XX, {t2: 10}),  # the load balancer answered 10 itself at t2
        }
    )
    assert [(p.total, p.bad) for p in periods] == [(100, 1), (10, 10), (50, 0)]
    window = count(periods, END, timedelta(minutes=5))
    assert (window.total, window.bad) == (160, 11)  # 11 bad of 160: the ELB's own 503s are requests too
    assert traffic({q.ALB_5XX: series(q.ALB_5XX, {t1: 1})}) is None  # no requests series at all: not measured


def test_a_short_burst_pages_on_1h_5m_but_not_on_6h_30m():
    # 100 requests a minute for 6 h; the last 4 minutes 30 of them failed (120 bad).
    requests = minutes(360, 100)
    bad = {END - timedelta(minutes=m): 30 for m in range(1, 5)}
    s = status({q.ALB_REQUESTS: series(q.ALB_REQUESTS, requests), q.ALB_5XX: series(q.ALB_5XX, bad)})
    burns = {b.rule.name: b for b in s.burns}
    # 5 min: 120 bad of 500 = 0.24 → burn 240; 1 h: 120 of 6,000 = 0.02 → 20 ≥ 14.4: both above, it pages
    assert burns["1h/5m"].short_rate == pytest.approx(240) and burns["1h/5m"].long_rate == pytest.approx(20)
    assert burns["1h/5m"].firing
    # 30 min: 120 of 3,000 → 40; 6 h: 120 of 36,000 → 3.33 < 6: the slow page does not fire
    assert burns["6h/30m"].short_rate == pytest.approx(40) and burns["6h/30m"].long_rate == pytest.approx(10 / 3)
    assert not burns["6h/30m"].firing
    assert burns["3d/6h"].long_rate is None and not burns["3d/6h"].firing  # the long series is not fetched yet
    assert s.level is Level.ALERT and [b.rule.name for b in s.firing] == ["1h/5m"]


def test_a_long_slow_burn_opens_a_ticket_and_the_budget_is_spent_accordingly():
    # 3 days of hourly points, 6,000 requests an hour, 9 failing (0.15 %: burn 1.5); the recent 6 h the same rate
    hourly = {END - timedelta(hours=h): 6000 for h in range(1, 73)}
    hourly_bad = {END - timedelta(hours=h): 9 for h in range(1, 73)}
    long = {q.ALB_REQUESTS: series(q.ALB_REQUESTS, hourly), q.ALB_5XX: series(q.ALB_5XX, hourly_bad)}
    recent = {q.ALB_REQUESTS: series(q.ALB_REQUESTS, minutes(360, 100)), q.ALB_5XX: series(q.ALB_5XX, minutes(360, 0.15))}
    s = status(recent, long)
    burns = {b.rule.name: b for b in s.burns}
    assert burns["3d/6h"].long_rate == pytest.approx(1.5) and burns["3d/6h"].short_rate == pytest.approx(1.5)
    assert burns["3d/6h"].firing and not burns["1h/5m"].firing and s.level is Level.WARNING
    assert not burns["3d/6h"].firing or burns["3d/6h"].long_rate > 1  # the workbook's ">": exactly 1 spends it on time
    # budget: 72 h × 6,000 = 432,000 requests, 648 bad; allowed 0.1 % = 432: 1 − 648/432 = −0.5 (overspent by half)
    assert s.budget_remaining == pytest.approx(-0.5)
    assert s.availability_percent == pytest.approx(99.85)
    assert s.covered == timedelta(hours=72)  # of the 30-day window: a young history, said as such


def test_no_traffic_is_no_rate_and_unmeasured_is_no_data():
    # requests 5 hours ago, none since (no datapoint: no traffic): the last hour's windows have no rate
    quiet = status({q.ALB_REQUESTS: series(q.ALB_REQUESTS, {END - timedelta(hours=5): 100})})
    burns = {b.rule.name: b for b in quiet.burns}
    assert burns["1h/5m"].long_rate is None and burns["1h/5m"].short_rate is None
    assert burns["6h/30m"].long_rate == 0 and burns["6h/30m"].short_rate is None
    assert quiet.level is Level.OK  # measured: nobody asked lately, nothing failed
    assert status({}).level is Level.UNKNOWN  # nothing answered: never OK
    # not one datapoint in 6 h: NO DATA, as on the 5XX panel (a wrong dimension looks the same), never OK
    assert status({q.ALB_REQUESTS: series(q.ALB_REQUESTS, {})}).level is Level.UNKNOWN
