"""Memory trend over the newest climb and the time it crosses a level."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kojan_tui.core.trend import MAX_POINTS, current_climb, trend

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


# -- robust and significant: synthetic series (seeded noise, so each case is the same on every run) ----------


def noisy(values, seed, amplitude):
    rng = random.Random(seed)
    return [v + rng.uniform(-amplitude, amplitude) for v in values]


def test_a_noisy_flat_series_is_not_rising_and_forecasts_nothing():
    stamps = at(range(60))  # an hour of minutes at 50 % ± 3
    claimed = [s for s in range(100) if (t := trend(stamps, noisy([50.0] * 60, s, 3.0))) is not None and t.rising]
    assert len(claimed) <= 1  # a one-sided 99.9 % bound, and the newest half must rise too: hardly ever fooled by noise
    result = trend(stamps, noisy([50.0] * 60, 1, 3.0))
    assert result is not None and result.enough and not result.rising and result.crossing(85) is None


def test_a_noisy_linear_climb_forecasts_its_crossing_within_tolerance():
    stamps = at(range(60))  # +12 points per hour from 40, ± 2 of noise: 52 after an hour, 85 in 2 h 45 min more
    result = trend(stamps, noisy([40 + 12 * m / 60 for m in range(60)], 7, 2.0))
    assert result is not None and result.rising and result.points == 60
    assert result.per_hour == pytest.approx(12, rel=0.15)
    assert 0 < result.low_per_hour < result.per_hour
    expected = T0 + timedelta(minutes=59) + timedelta(hours=(85 - 40 - 12 * 59 / 60) / 12)
    assert abs(result.crossing(85) - expected) < timedelta(minutes=30)


def test_a_few_wild_points_do_not_move_sens_slope():
    values = [40 + 12 * m / 60 for m in range(60)]
    for i in (10, 30, 50):
        values[i] = 99.0  # three spikes (a least-squares slope would move; the median of pairwise slopes hardly)
    result = trend(at(range(60)), values)
    assert result is not None and result.per_hour == pytest.approx(12, rel=0.05)


def test_a_step_up_is_not_a_climb():
    values = noisy([50.0] * 40 + [62.0] * 20, 3, 0.5)  # a level that jumped and stayed, 20 minutes ago
    result = trend(at(range(60)), values)
    assert result is not None and result.points == 20 and not result.rising and result.crossing(85) is None
    just_stepped = trend(at(range(43)), values[:43])  # three points since the step: too few to say anything
    assert just_stepped is not None and not just_stepped.enough and just_stepped.crossing(85) is None


def test_a_spike_that_comes_back_is_not_a_step():
    values = noisy([40 + 12 * m / 60 for m in range(60)], 5, 0.5)
    values[55] += 8  # one wild minute
    result = trend(at(range(60)), values)
    assert result is not None and result.points == 60 and result.rising


def test_a_noisy_sawtooth_forecasts_from_its_newest_tooth():
    teeth = [42 + 3 * (m % 15) for m in range(60)]  # +3 per minute from 42, replaced every 15 minutes
    values = noisy(teeth[:57], 11, 0.5)  # the newest tooth has 12 points, 42 → 75
    result = trend(at(range(57)), values)
    assert result is not None and result.points == 12 and result.rising
    assert result.per_hour == pytest.approx(180, rel=0.1)
    eta = result.crossing(85) - result.latest_at
    assert abs(eta - timedelta(minutes=(85 - values[-1]) / 3)) < timedelta(minutes=1)


def test_too_few_points_or_too_short_a_span_is_no_forecast():
    short = trend(at(range(5)), [40, 45, 50, 55, 60])  # 5 points: a clean climb, but too few to claim one
    assert short is not None and short.per_hour == pytest.approx(60 * 5) and not short.enough and short.crossing(85) is None
    seconds = [T0 + timedelta(seconds=20 * i) for i in range(10)]  # 10 points over 3 minutes: too short a time
    quick = trend(seconds, [40 + i for i in range(10)])
    assert quick is not None and not quick.enough and quick.crossing(85) is None


def test_a_climb_that_stopped_is_not_rising():
    values = noisy([40 + m for m in range(30)] + [69.0] * 30, 2, 0.3)  # climbed for half an hour, flat since
    result = trend(at(range(60)), values)
    assert result is not None and result.per_hour > 0 and result.recent_per_hour < result.per_hour / 4
    assert not result.rising and result.crossing(85) is None


def test_a_long_series_is_thinned_to_the_cap():
    stamps = [T0 + timedelta(seconds=10 * i) for i in range(2000)]
    result = trend(stamps, [40 + i / 200 for i in range(2000)])
    assert result is not None and result.points <= MAX_POINTS and result.latest_at == stamps[-1]
    assert result.per_hour == pytest.approx(1.8) and result.rising  # 360 points an hour, +1/200 each
