"""Memory trend over the newest climb and the time it crosses a level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kojan_tui.core.trend import current_climb, trend

T0 = datetime(2026, 11, 29, tzinfo=UTC)


def at(minutes):
    return [T0 + timedelta(minutes=m) for m in minutes]


def test_a_steady_climb_crosses_95_at_its_rate():
    stamps = at(range(0, 65, 5))  # 13 points, 1 hour
    values = [50 + 10 * i / 12 for i in range(13)]  # +10 points per hour, ends at 60
    result = trend(stamps, values)
    assert result is not None and abs(result.per_hour - 10) < 1e-9 and result.points == 13
    assert result.crossing(95) == T0 + timedelta(hours=1) + timedelta(hours=3.5)


def test_a_sawtooth_is_judged_by_its_newest_tooth():
    values = [40, 60, 80, 95, 41, 45, 49]  # replaced after 95, climbing again at 4 per 5 minutes
    assert current_climb(values) == 4
    result = trend(at(range(0, 35, 5)), values)
    assert result is not None and abs(result.per_hour - 48) < 1e-9 and result.points == 3


def test_flat_or_falling_never_crosses_and_above_is_now():
    flat = trend(at(range(0, 30, 5)), [50, 50, 50, 50, 50, 50])
    assert flat is not None and flat.crossing(95) is None
    above = trend(at([0, 5]), [94, 96])
    assert above is not None and above.crossing(95) == T0 + timedelta(minutes=5)
    assert trend(at([0]), [50]) is None and trend([], []) is None


@given(st.lists(st.floats(0, 100), min_size=2, max_size=50), st.floats(-5, 5))
def test_the_crossing_is_never_before_the_latest_point(noise, _):
    result = trend(at(range(len(noise))), noise)
    if result is not None:
        crossing = result.crossing(95)
        assert crossing is None or crossing >= result.latest_at


def test_right_after_a_drop_the_climb_that_led_to_it_gives_the_rate():
    # a leak's sawtooth: 60 → 95 over 35 min, the task replaced (memory back to 40), one point since
    values = [60, 65, 70, 75, 80, 85, 90, 95, 40]
    stamps = at(range(0, 45, 5))
    result = trend(stamps, values)
    assert result is not None and result.restarted_at == stamps[-1]
    assert result.per_hour == pytest.approx(60.0) and result.latest == 40 and result.points == 8
    assert trend(stamps[:2], [95, 40]) is None  # nothing before the drop to judge by
