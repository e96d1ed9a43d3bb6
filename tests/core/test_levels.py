"""Levels follow the config's boundaries exactly: above alert ⇒ alert, above warn ⇒ warning."""

import pytest

from kojan_tui.core.levels import Level, level_for, worst
from kojan_tui.core.thresholds import Threshold

T = Threshold(70, 80)


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (None, Level.UNKNOWN),
        (0, Level.OK),
        (70, Level.OK),
        (70.01, Level.WARNING),
        (80, Level.WARNING),
        (80.01, Level.ALERT),
        (500, Level.ALERT),
    ],
)
def test_boundaries_are_exactly_the_config(value, level):
    assert level_for(value, T) is level


def test_zero_warn_threshold_makes_one_error_a_warning():
    assert level_for(0, Threshold(0, 10)) is Level.OK
    assert level_for(1, Threshold(0, 10)) is Level.WARNING
    assert level_for(11, Threshold(0, 10)) is Level.ALERT


def test_every_level_has_a_distinct_text_marker():
    markers = {level.marker for level in Level}
    assert len(markers) == len(Level)
    assert "ALERT" in Level.ALERT.marker and "WARN" in Level.WARNING.marker and "OK" in Level.OK.marker


def test_worst():
    assert worst([Level.OK, Level.ALERT, Level.WARNING]) is Level.ALERT
    assert worst([]) is Level.UNKNOWN
