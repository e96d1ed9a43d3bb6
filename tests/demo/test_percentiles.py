"""Percentile maths (nearest rank) and the metric store's statistics, without any server."""

from __future__ import annotations

import pytest

from kojan_tui.demo.metric_store import MetricStore, compute_stat, series_key
from kojan_tui.demo.percentiles import parse_percentile, percentile

# 1..100 ms shuffled, plus two outliers: 102 samples.
KNOWN = [((i * 37) % 100 + 1) / 1000 for i in range(100)] + [2.5, 3.0]


def test_nearest_rank_on_a_known_sample_set():
    assert sorted(KNOWN)[:3] == [0.001, 0.002, 0.003]
    # rank ceil(0.99 * 102) = 101 -> the 101st smallest value is the first outlier
    assert percentile(KNOWN, 99) == 2.5
    assert percentile(KNOWN, 50) == 0.051  # rank 51
    assert percentile(KNOWN, 90) == 0.092  # rank ceil(91.8) = 92
    assert percentile(KNOWN, 100) == 3.0
    assert percentile(KNOWN, 0) == 0.001
    assert percentile(KNOWN, 99.9) == 3.0  # rank ceil(101.898) = 102


def test_percentile_of_nothing_is_none_and_out_of_range_is_an_error():
    assert percentile([], 99) is None
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([1.0], 101)


@pytest.mark.parametrize(
    ("stat", "expected"), [("p99", 99.0), ("p50", 50.0), ("p99.9", 99.9), ("p99.99", 99.99), ("p0", 0.0), ("p100", 100.0)]
)
def test_parse_percentile_accepts_cloudwatch_forms(stat, expected):
    assert parse_percentile(stat) == expected


@pytest.mark.parametrize("stat", ["P99", "p101", "p99.999", "tm99", "Average", "p", "p-1"])
def test_parse_percentile_rejects_other_forms(stat):
    assert parse_percentile(stat) is None


def test_basic_statistics_include_statistic_sets():
    values = [1.0, 2.0, 3.0]
    sets = [(10.0, 2.0, 4.0, 6.0)]  # sum, count, min, max
    assert compute_stat("Sum", values, sets) == 16.0
    assert compute_stat("SampleCount", values, sets) == 5.0
    assert compute_stat("Average", values, sets) == pytest.approx(3.2)
    assert compute_stat("Minimum", values, sets) == 1.0
    assert compute_stat("Maximum", values, sets) == 6.0
    assert compute_stat("Sum", [], []) is None


def test_store_buckets_by_period_and_prunes_old_points():
    store = MetricStore()
    key = series_key("AWS/ApplicationELB", "TargetResponseTime", [("LoadBalancer", "app/x/1")])
    for second in range(0, 180):
        store.put(key, 1_000_000 + second, [second / 100], unit="Seconds")
    buckets = store.buckets(key, ["p99", "SampleCount", "Maximum"], 1_000_000, 1_000_180, 60)
    assert [b[0] for b in buckets] == [1_000_000, 1_000_060, 1_000_120]
    assert [b[1]["SampleCount"] for b in buckets] == [60.0, 60.0, 60.0]
    assert buckets[0][1]["p99"] == 0.59 and buckets[2][1]["Maximum"] == 1.79
    assert store.buckets(key, ["Sum"], 1_000_000, 1_000_180, 60, unit="Count") == []  # unit mismatch: no data
    store.prune(1_000_120)
    assert store.datapoint_count() == 60
    # an out-of-order put keeps the series sorted
    store.put(key, 1_000_130.5, [9.0])
    assert store.buckets(key, ["Maximum"], 1_000_130, 1_000_131, 1)[0][1]["Maximum"] == 9.0
