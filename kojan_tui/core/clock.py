"""The one clock type of the app: a callable returning an aware UTC ``datetime`` (tests freeze it).

``ShiftedClock`` is that type for the embedded AWS's simulated time: the wall clock plus how far a test
advanced the world. The server's world and an app under test each hold one and agree on the offset.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def epoch_ms(moment: datetime) -> int:
    """Milliseconds since the epoch, as CloudWatch Logs counts time."""
    return int(moment.timestamp() * 1000)


class ShiftedClock:
    """A ``Clock`` that runs with ``base`` (the wall clock), ``offset_seconds`` ahead of it.

    Nobody advancing it, it is real time (the demo); a test moves it on with ``advance`` and never back,
    except through ``follow`` (the copy of another process's clock, e.g. a world that was reset).
    """

    def __init__(self, offset_seconds: float = 0.0, base: Clock = utc_now) -> None:
        self.offset_seconds = offset_seconds
        self.base = base

    def __call__(self) -> datetime:
        return self.base() + timedelta(seconds=self.offset_seconds)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"time only moves on: cannot advance by {seconds} s")
        self.offset_seconds += seconds

    def follow(self, offset_seconds: float) -> None:
        """Take the offset the owner of the real clock reports (the embedded AWS's answer to a control call)."""
        self.offset_seconds = float(offset_seconds)
