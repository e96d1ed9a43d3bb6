"""Idle CPU (issue 21): the view is rebuilt on every source's answer; the forecasts' trend (Sen's slope, every pair
of points) is computed again only when a series changed, counted."""

from __future__ import annotations

from datetime import timedelta

from kojan_tui.core import forecast, trend
from kojan_tui.core.config import Config
from kojan_tui.core.dashboard import DashboardData, build_view
from kojan_tui.core.readings import ECS_MEMORY, RDS_STORAGE
from tests.fixtures import builders as b


def test_a_view_rebuilt_on_unchanged_metrics_computes_no_trend_again_and_a_new_datapoint_does(monkeypatch):
    slopes: list[int] = []
    original = trend.sen_slope
    monkeypatch.setattr(trend, "sen_slope", lambda xs, ys: slopes.append(len(xs)) or original(xs, ys))
    forecast.series_trend.cache_clear()
    metrics = b.healthy_metrics()
    metrics[b.q.RDS_FREE_STORAGE] = b.series(b.q.RDS_FREE_STORAGE, [(50 - m * 0.5) * b.GIB for m in range(60)])
    data = DashboardData(metrics=metrics, db_instance=b.db_instance(allocated_gib=100))
    first = build_view(data, Config(), b.NOW)
    computed = len(slopes)
    assert computed > 0 and first.forecasts[RDS_STORAGE.key].trend is not None

    again = build_view(DashboardData(metrics=metrics, db_instance=b.db_instance(allocated_gib=100), errors_last_hour=3),
                       Config(), b.NOW + timedelta(seconds=10))  # fmt: skip  # another source answered
    assert len(slopes) == computed
    assert again.forecasts[RDS_STORAGE.key].trend == first.forecasts[RDS_STORAGE.key].trend
    assert again.forecasts[ECS_MEMORY.key].trend == first.forecasts[ECS_MEMORY.key].trend

    newer = dict(metrics)
    newer[b.q.RDS_FREE_STORAGE] = b.series(b.q.RDS_FREE_STORAGE, [(50 - m * 0.5) * b.GIB for m in range(61)])
    build_view(DashboardData(metrics=newer, db_instance=b.db_instance(allocated_gib=100)), Config(), b.NOW)
    assert len(slopes) > computed  # the storage series changed: its trend again (memory's still remembered)
