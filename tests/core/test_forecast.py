"""Forecasts on the memory and storage readings: words (ja/en), the horizon's warning, never over NO DATA or ALERT."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kojan_tui.core.config import Config, ForecastSettings
from kojan_tui.core.dashboard import DashboardData, build_view
from kojan_tui.core.forecast import forecast_for
from kojan_tui.core.levels import Level
from kojan_tui.core.models import MetricSeries
from kojan_tui.core.readings import ECS_MEMORY, RDS_STORAGE, MetricReading
from kojan_tui.core.thresholds import Threshold
from tests.fixtures import builders as b

T0 = datetime(2026, 11, 29, tzinfo=UTC)
MEMORY = Threshold(75, 85)


def memory(values, minutes=None) -> MetricReading:
    stamps = tuple(T0 + timedelta(minutes=m) for m in (minutes or range(len(values))))
    return MetricReading(ECS_MEMORY, MEMORY, stamps, tuple(values), values[-1])


def test_a_climb_forecasts_its_alert_level_in_both_languages():
    reading = memory([40 + 0.25 * m for m in range(60)])  # +15 points an hour, 54.75 at minute 59: 85 in 2 h 1 m
    forecast = forecast_for(reading, reading.timestamps[-1], warn_within_hours=6)
    assert forecast is not None and forecast.eta == timedelta(hours=(85 - 54.75) / 15)
    assert forecast.text("en") == "alert 85 % in ~2 h 1 m · 60 pts / 59 min"
    assert forecast.text("ja") == "約2時間1分で85 %に到達 · 60点/59分"
    assert forecast.warns
    assert not forecast_for(reading, reading.timestamps[-1], warn_within_hours=1).warns  # beyond a 1 h horizon


def test_flat_says_not_rising_and_few_points_say_so():
    flat = forecast_for(memory([50.0, 50.5, 49.5] * 20), T0 + timedelta(minutes=59), 6)
    assert flat is not None and flat.eta is None and not flat.warns
    assert flat.text("en") == "not rising · 60 pts / 59 min" and flat.text("ja") == "上昇傾向なし · 60点/59分"
    few = forecast_for(memory([50, 52, 54]), T0, 6)
    assert few is not None and few.text("en") == "too few points for a trend (3 pts / 2 min)"
    assert few.text("ja") == "傾向を見るには点が不足 (3点/2分)"


def test_right_after_a_drop_the_forecast_says_its_rate_is_the_climb_before():
    values = [50 + m for m in range(30)] + [42.0]  # climbed 60 points an hour to 79, tasks replaced: back to 42
    forecast = forecast_for(memory(values), T0 + timedelta(minutes=30), 6)
    assert forecast is not None and forecast.trend is not None and forecast.trend.restarted_at is not None
    assert forecast.text("en") == "alert 85 % in ~43 m · 30 pts / 30 min before the drop"  # (85 − 42) / 60 per hour
    assert forecast.text("ja") == "約43分で85 %に到達 · 30点/30分（低下前の上昇）"


def test_no_current_value_forecasts_nothing():
    stale = replace(memory([40 + m for m in range(30)]), stale=True)
    assert forecast_for(stale, T0, 6) is None
    assert forecast_for(MetricReading(ECS_MEMORY, MEMORY, note="no data"), T0, 6) is None


def climbing_storage(n: int = 60) -> dict[str, MetricSeries]:
    """Free storage falling 1 GiB a minute of 100 GiB: used % climbs 60 points an hour, from 50 %."""
    metrics = b.healthy_metrics(n)
    metrics[b.q.RDS_FREE_STORAGE] = b.series(b.q.RDS_FREE_STORAGE, [(50 - m * 0.5) * b.GIB for m in range(n)])
    return metrics


def test_falling_free_storage_is_a_forecast_warning_of_its_own_beside_the_readings_level():
    data = DashboardData(metrics=climbing_storage(), db_instance=b.db_instance(allocated_gib=100))
    config = replace(Config(), forecast=ForecastSettings(warn_within_hours=1))
    view = build_view(data, config, b.NOW)
    storage = view.forecasts[RDS_STORAGE.key]
    assert view.readings[RDS_STORAGE.key].level is Level.OK  # 79.5 % used: below the 80 % warning
    assert storage.eta is not None and timedelta(minutes=20) < storage.eta < timedelta(minutes=22)  # (90-79.5)/30 per h
    items = {i.key: i for i in view.alert_inputs()}
    assert items[f"forecast.{RDS_STORAGE.key}"].level is Level.WARNING
    assert items[RDS_STORAGE.key].level is Level.OK  # the reading keeps its own level
    assert items[f"forecast.{ECS_MEMORY.key}"].level is Level.OK  # flat memory: measured, not rising
    assert items[f"forecast.{RDS_STORAGE.key}"].title == "RDS ストレージ使用率 予測"  # the default language is ja


def test_a_forecast_never_hides_an_alert_nor_turns_no_data_into_ok():
    metrics = climbing_storage(85)  # up to 92 % used
    view = build_view(DashboardData(metrics=metrics, db_instance=b.db_instance(allocated_gib=100)), Config(), b.NOW)
    items = {i.key: i for i in view.alert_inputs()}
    assert items[RDS_STORAGE.key].level is Level.ALERT  # 92 % used
    assert items[f"forecast.{RDS_STORAGE.key}"].level is Level.OK  # already there: the reading's ALERT says it
    old = {k: replace(s, timestamps=tuple(t - timedelta(hours=2) for t in s.timestamps)) for k, s in climbing_storage().items()}
    view = build_view(DashboardData(metrics=old, db_instance=b.db_instance(allocated_gib=100)), Config(), b.NOW)
    items = {i.key: i for i in view.alert_inputs()}
    assert items[RDS_STORAGE.key].level is Level.UNKNOWN and f"forecast.{RDS_STORAGE.key}" not in items
