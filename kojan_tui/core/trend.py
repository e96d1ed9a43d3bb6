"""A series' trend and when it will cross a level at that rate (S09: when does memory reach 95 %?).

The trend is the least-squares slope over the newest climb: the points after the last big drop (a task
replacement resets memory), so a sawtooth is judged by its current tooth, not by its average. Right after a
drop the new tooth has too few points: then the tooth that just ended gives the rate (the leak did not stop).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_HORIZON_HOURS = 24 * 366  # beyond a year at this rate is "never"
DROP_POINTS = 10.0  # a fall of this many points between two datapoints starts a new climb


@dataclass(frozen=True)
class Trend:
    per_hour: float  # units per hour (e.g. percentage points)
    latest: float
    latest_at: datetime
    points: int  # datapoints the slope is fitted on
    restarted_at: datetime | None = None  # set when the newest climb had just begun: the rate is the previous one's

    def crossing(self, level: float) -> datetime | None:
        """When the series reaches ``level`` at this rate (now if already there); None if it never will."""
        if self.latest >= level:
            return self.latest_at
        hours = (level - self.latest) / self.per_hour if self.per_hour > 0 else float("inf")
        return self.latest_at + timedelta(hours=hours) if hours <= MAX_HORIZON_HOURS else None


def current_climb(values: Sequence[float], drop: float = DROP_POINTS) -> int:
    """Index where the newest climb starts (after the last fall of at least ``drop``)."""
    start = 0
    for i in range(1, len(values)):
        if values[i - 1] - values[i] >= drop:
            start = i
    return start


def trend(timestamps: Sequence[datetime], values: Sequence[float], *, drop: float = DROP_POINTS) -> Trend | None:
    """The slope of the newest climb; None with fewer than two points in it."""
    if len(timestamps) != len(values) or not values:
        return None
    start, end, restarted_at = current_climb(values, drop), len(values), None
    if end - start < 2 and start > 0:  # memory just fell (tasks replaced): judge by the climb that led to it
        start, end, restarted_at = current_climb(values[:start], drop), start, timestamps[start]
    xs = [(t - timestamps[start]).total_seconds() / 3600 for t in timestamps[start:end]]
    ys = list(values[start:end])
    if len(xs) < 2 or xs[-1] == xs[0]:
        return None
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / var
    return Trend(slope, values[-1], timestamps[-1], len(xs), restarted_at)
