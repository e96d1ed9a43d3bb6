"""Before/after the newest deployment (issue 27): equal windows clipped to the data, the period holding the
deployment counted after it, 5XX rate from counts (ELB 5XX included), and no datapoints said, never 0."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.before_after import MAX_WINDOW, before_after, dashboard_series, window_length
from tests.fixtures import builders as b


def service_deployed(minutes_ago: float):
    deployment = replace(b.deployment(), created_at=b.NOW - timedelta(minutes=minutes_ago))
    return replace(b.service(), deployments=(deployment,))


def rows(result):
    return {r.name: r for r in result.rows}


def test_step_at_the_deployment_is_seen_on_each_side() -> None:
    # 60 one-minute points ending at NOW; deployed 10 min ago: the last 10 points (and the one holding it) after
    p99 = [0.2] * 49 + [1.5] * 11
    errors = [0] * 49 + [30] * 11
    series = {
        q.P99_LATENCY: b.series(q.P99_LATENCY, p99),
        q.ALB_REQUESTS: b.flat(q.ALB_REQUESTS, 100),
        q.ALB_5XX: b.series(q.ALB_5XX, errors),
        q.ECS_MEMORY: b.flat(q.ECS_MEMORY, 40),
        q.ECS_CPU: b.series(q.ECS_CPU, [20] * 49 + [80] * 11),
    }
    result = before_after(series, service_deployed(10), b.NOW + timedelta(seconds=30))
    assert result.window == timedelta(minutes=10, seconds=30)  # now − createdAt: the after side is the shorter
    r = rows(result)
    assert r["p99"].before == pytest.approx(200) and r["p99"].after == pytest.approx(1500)
    assert r["5XX rate"].before == 0 and r["5XX rate"].after == 30.0
    assert r["ECS CPU"].before == pytest.approx(20) and r["ECS CPU"].after == pytest.approx(80)
    assert r["ECS memory"].before == r["ECS memory"].after == 40
    assert (r["p99"].before_points, r["p99"].after_points) == (10, 11)  # the minute holding it counts after
    assert "1500 ms" in result.line() and "30.0 %" in result.line()


def test_window_clipped_to_the_oldest_datapoint_and_to_at_most_max_window() -> None:
    series = {q.ECS_CPU: b.flat(q.ECS_CPU, 30, n=60)}  # one hour of data
    deployed = b.NOW - timedelta(minutes=55)  # 5 min of data before it
    assert window_length(series, deployed, b.NOW) == timedelta(minutes=4)  # first point at NOW − 59 min
    long = {q.ECS_CPU: b.flat(q.ECS_CPU, 30, n=360)}
    assert window_length(long, b.NOW - timedelta(hours=2), b.NOW) == MAX_WINDOW


def test_a_window_without_datapoints_says_so_never_zero() -> None:
    series = {q.ALB_REQUESTS: b.series(q.ALB_REQUESTS, [100] * 20, end=b.NOW - timedelta(minutes=10))}  # none after
    result = before_after(series, service_deployed(8), b.NOW)
    r = rows(result)
    assert r["5XX rate"].before == 0.0 and r["5XX rate"].after is None
    assert r["p99"].before is None and r["p99"].cell("before") == "no datapoints" and r["p99"].cell("after", "ja") == "データなし"
    assert r["ECS memory"].after is None


def test_load_balancer_5xx_count_when_no_target_answers() -> None:
    series = {
        q.ALB_REQUESTS: b.series(q.ALB_REQUESTS, [100] * 10, end=b.NOW - timedelta(minutes=11)),
        q.ELB_5XX: b.series(q.ELB_5XX, [50] * 10),  # after: every request an ELB 503, none in RequestCount
    }
    result = before_after(series, service_deployed(10), b.NOW + timedelta(minutes=1))
    assert rows(result)["5XX rate"].after == 100.0 and rows(result)["5XX rate"].before == 0.0


def test_no_deployment_no_comparison_and_the_longer_series_is_used() -> None:
    assert before_after({}, b.service().__class__(**{**b.service().__dict__, "deployments": ()}), b.NOW) is None
    short, long = b.flat(q.ECS_CPU, 1, n=60), b.flat(q.ECS_CPU, 1, n=360)
    assert dashboard_series({q.ECS_CPU: short}, {q.ECS_CPU: long})[q.ECS_CPU] is long
    assert dashboard_series({q.ECS_MEMORY: short}, {})[q.ECS_MEMORY] is short
