"""``ShiftedClock``: the embedded AWS's time as the app's one clock type, ahead of the wall clock by what tests advanced."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kojan_tui.core.clock import ShiftedClock
from tests.fixtures import builders as b


def test_it_runs_with_its_base_until_advanced_then_ahead_by_the_sum():
    base = b.NOW
    clock = ShiftedClock(base=lambda: base)
    assert clock() == base
    clock.advance(60)
    clock.advance(0.5)
    assert clock() == base + timedelta(seconds=60.5)
    assert clock().tzinfo is not None  # aware UTC, like every clock of the app


def test_it_never_goes_back_by_advance_but_follows_the_offset_its_owner_reports():
    clock = ShiftedClock(base=lambda: b.NOW)
    with pytest.raises(ValueError, match="only moves on"):
        clock.advance(-1)
    clock.advance(300)
    clock.follow(0.0)  # the world was reset: back on the wall clock
    assert clock() == b.NOW
