"""The S03 series maths: 5XX rate from two Sums, p99 in ms, storage used %, and each reading's level."""

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.levels import Level
from kojan_tui.core.readings import METRIC_SPECS, compute_readings, error_rate_percent, errors_reading, storage_used_percent
from kojan_tui.core.thresholds import Thresholds
from tests.fixtures.builders import GIB, db_instance, healthy_metrics, series


def test_error_rate_is_5xx_over_requests_per_period():
    stamps, values, latest, note = error_rate_percent(series(q.ALB_5XX, [1, 5, 0]), series(q.ALB_REQUESTS, [100, 200, 50]))
    assert values == (1.0, 2.5, 0.0)
    assert latest == 0.0 and note == ""
    assert len(stamps) == 3


def test_zero_requests_gives_no_rate_not_a_division_error():
    _, values, latest, note = error_rate_percent(series(q.ALB_5XX, [1, 0]), series(q.ALB_REQUESTS, [100, 0]))
    assert values == (1.0,)
    assert latest is None and note == "no requests"


def test_missing_5xx_datapoints_count_as_zero():
    requests = series(q.ALB_REQUESTS, [100, 100, 100])
    five_xx = series(q.ALB_5XX, [3])  # only the newest period had errors
    _, values, latest, _ = error_rate_percent(five_xx, requests)
    assert values == (0.0, 0.0, 3.0) and latest == 3.0


def test_no_request_series_means_no_data():
    assert error_rate_percent(None, None)[2:] == (None, "no data")


def test_storage_used_percent_from_free_space_and_allocated():
    _, values, note = storage_used_percent(series(q.RDS_FREE_STORAGE, [10 * GIB, 5 * GIB]), db_instance(allocated_gib=100))
    assert values == (90.0, 95.0) and note == ""


def test_storage_needs_the_instance_size():
    _, values, note = storage_used_percent(series(q.RDS_FREE_STORAGE, [10 * GIB]), None)
    assert values == () and note == "size unknown"


def test_p99_is_shown_in_milliseconds():
    readings = compute_readings({q.P99_LATENCY: series(q.P99_LATENCY, [0.25, 1.2])}, None, Thresholds())
    p99 = readings["p99_latency_ms"]
    assert p99.values == (250.0, 1200.0)
    assert p99.value_text == "1200 ms" and p99.level is Level.ALERT


def test_healthy_metrics_are_all_ok_in_display_order():
    readings = compute_readings(healthy_metrics(), db_instance(), Thresholds())
    assert list(readings) == [spec.key for spec in METRIC_SPECS]
    assert {key: r.level for key, r in readings.items()} == {spec.key: Level.OK for spec in METRIC_SPECS}


def test_missing_series_are_unknown_with_a_note():
    readings = compute_readings({}, None, Thresholds())
    assert all(r.level is Level.UNKNOWN for r in readings.values())
    assert readings["ecs_cpu_percent"].value_text == "no data"


def test_errors_last_hour_levels():
    assert errors_reading(None, Thresholds()).level is Level.UNKNOWN
    assert errors_reading(0, Thresholds()).level is Level.OK
    assert errors_reading(3, Thresholds()).level is Level.WARNING
    assert errors_reading(11, Thresholds()).level is Level.ALERT
    assert errors_reading(11, Thresholds()).value_text == "11"
