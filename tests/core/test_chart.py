"""The bar chart and sparkline: sizes, bar colours by level, threshold lines."""

from kojan_tui.core.chart import ALERT_LINE, WARN_LINE, bar_chart, nice_ceiling, resample, scale_top, sparkline
from kojan_tui.core.config import Threshold

T = Threshold(70, 80)


def text(row):
    return "".join(t for t, _ in row)


def test_resample_pads_left_and_buckets_by_max():
    assert resample([1, 2], 4) == [None, None, 1, 2]
    assert resample([1, 5, 2, 3], 2) == [5, 3]


def test_chart_has_the_asked_size_and_threshold_lines():
    rows = bar_chart([10, 20, 30], 10, 5, T, top=100)
    assert len(rows) == 5 and all(len(text(r)) == 10 for r in rows)
    kinds = {k for r in rows for _, k in r}
    assert {"warn-line", "alert-line", "ok"} <= kinds
    assert any(ALERT_LINE in text(r) for r in rows) and any(WARN_LINE in text(r) for r in rows)


def test_bars_take_the_level_of_their_value():
    rows = bar_chart([50, 75, 95], 3, 4, T, top=100)
    bottom = rows[-1]
    assert [k for t, k in bottom for _ in t] == ["ok", "warning", "alert"]


def test_sparkline_kinds_and_width():
    runs = sparkline([10, 90], 4, T, top=100)
    assert text(runs)[:2] == "  " and [k for _, k in runs] == ["blank", "ok", "alert"]


def test_scale_top_keeps_room_for_the_alert_line():
    assert scale_top([1, 2], T, percent=True) == 100  # 80 × 1.15 = 92 → 100
    assert scale_top([99], T, percent=True) == 100
    assert scale_top([2000], Threshold(700, 1000), percent=False) == 2500
    assert scale_top([0.1], Threshold(0.5, 1), percent=True) == 1.2
    assert nice_ceiling(0.0042) == 0.005 and nice_ceiling(1150) == 1200
