"""Chart maths: bucketing, runs, the sparkline, the axis top (the plotext chart is tested in tests/ui/test_metric_chart.py)."""

from kojan_tui.core.chart import merge_runs, nice_ceiling, resample, scale_top, sparkline
from kojan_tui.core.thresholds import Threshold

T = Threshold(70, 80)


def text(row):
    return "".join(t for t, _ in row)


def test_resample_pads_left_and_buckets_by_max():
    assert resample([1, 2], 4) == [None, None, 1, 2]
    assert resample([1, 5, 2, 3], 2) == [5, 3]


def test_merge_runs_joins_neighbours_of_one_kind_only():
    cells = [("a", "ok"), ("b", "ok"), ("c", "alert"), ("d", "ok")]
    assert merge_runs(cells) == [("ab", "ok"), ("c", "alert"), ("d", "ok")]
    assert merge_runs([]) == []


def test_sparkline_kinds_and_width():
    runs = sparkline([10, 90], 4, T, top=100)
    assert text(runs)[:2] == "  " and [k for _, k in runs] == ["blank", "ok", "alert"]


def test_scale_top_keeps_room_for_the_alert_line():
    assert scale_top([1, 2], T, percent=True) == 100  # 80 × 1.15 = 92 → 100
    assert scale_top([99], T, percent=True) == 100
    assert scale_top([2000], Threshold(700, 1000), percent=False) == 2500
    assert scale_top([0.1], Threshold(0.5, 1), percent=True) == 1.2
    assert nice_ceiling(0.0042) == 0.005 and nice_ceiling(1150) == 1200
