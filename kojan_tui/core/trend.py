"""A series' trend and when it will cross a level at that rate (S09: when does memory reach 95 %?).

The rate is Sen's slope (Theil–Sen: the median of every pairwise slope), so a few wild points do not
move it; it counts as rising only when it is significant: enough points over enough time, the lower
bound of the slope's one-sided 99.9 % confidence interval (Sen's, from the Mann–Kendall variance) above
zero, and the newest half of the points rising at least half as fast. A flat noisy series is "not rising", never a forecast.

The trend is judged over the newest climb: the points after the last big drop (a task replacement resets
memory) or the last step up (a level that jumped and stayed is not a climb), so a sawtooth is judged by its
current tooth. Right after a drop the new tooth has too few points: then the tooth that just ended gives
the rate (the leak did not stop).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

MAX_HORIZON_HOURS = 24 * 366  # beyond a year at this rate is "never"
DROP_POINTS = 10.0  # a fall of this many points between two datapoints starts a new climb
MIN_POINTS = 6  # fewer points than this in the climb: no trend is claimed
MIN_SPAN = timedelta(minutes=5)  # nor when they span less time than this
MAX_POINTS = 240  # pairwise slopes are O(n²): a longer climb is thinned evenly (the newest point always kept)
Z_ONE_SIDED = 3.09  # 99.9 %: a flat noisy hour of minutes claims a rise about once in 2,000 (95 % would: 1 in 35)
STEP_MIN_POINTS = 3.0  # a rise smaller than this between two datapoints is never a step
STEP_SIGMAS = 6.0  # a rise this many robust standard deviations above the typical change is a step


@dataclass(frozen=True)
class Trend:
    per_hour: float  # Sen's slope: units per hour (e.g. percentage points)
    latest: float
    latest_at: datetime
    points: int  # datapoints the slope is fitted on
    restarted_at: datetime | None = None  # set when the newest climb had just begun: the rate is the previous one's
    low_per_hour: float = -math.inf  # lower bound of the slope's one-sided 99.9 % confidence interval
    first_at: datetime | None = None  # the first datapoint fitted
    recent_per_hour: float = 0.0  # Sen's slope of the newest half of those points

    @property
    def span(self) -> timedelta:
        return self.latest_at - self.first_at if self.first_at is not None else timedelta(0)

    @property
    def enough(self) -> bool:
        """Enough points over enough time to claim any trend."""
        return self.points >= MIN_POINTS and self.span >= MIN_SPAN

    @property
    def rising(self) -> bool:
        """Significantly rising: enough points and time, the confidence bound above 0, and the rate holding
        (the newest half of the points rises at least half as fast: a climb that stopped is not one)."""
        return self.enough and self.low_per_hour > 0 and self.recent_per_hour >= self.per_hour / 2

    def crossing(self, level: float) -> datetime | None:
        """When the series reaches ``level`` at this rate (now if already there); None if it is not rising."""
        if self.latest >= level:
            return self.latest_at
        if not self.rising:
            return None
        hours = (level - self.latest) / self.per_hour
        return self.latest_at + timedelta(hours=hours) if hours <= MAX_HORIZON_HOURS else None


def current_climb(values: Sequence[float], drop: float = DROP_POINTS) -> int:
    """Index where the newest climb starts (after the last fall of at least ``drop``)."""
    start = 0
    for i in range(1, len(values)):
        if values[i - 1] - values[i] >= drop:
            start = i
    return start


def last_step_up(values: Sequence[float]) -> int:
    """Index after the newest step up: a rise far above the series' typical change that the next point keeps
    (a single spike that comes back is not a step); 0 when there is none."""
    diffs = [b - a for a, b in zip(values, values[1:])]
    if len(diffs) < 3:
        return 0
    typical = median(diffs)
    spread = median(abs(d - typical) for d in diffs) * 1.4826  # the median absolute deviation, as a standard deviation
    limit = max(STEP_MIN_POINTS, STEP_SIGMAS * spread)
    for i in range(len(diffs) - 1, -1, -1):
        kept = i + 2 >= len(values) or values[i + 2] - values[i] - 2 * typical > limit
        if diffs[i] - typical > limit and kept:
            return i + 1
    return 0


def sen_slope(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """(Sen's slope, the lower bound of its one-sided 99.9 % confidence interval) of ``ys`` over ``xs``.

    The bound is the slope ranked (N − C) / 2 among the N pairwise slopes, C = 3.09 √Var(S), with
    Var(S) the Mann–Kendall statistic's variance corrected for ties (Gilbert 1987, ch. 16)."""
    slopes = sorted((ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(len(xs)) for j in range(i + 1, len(xs)) if xs[j] != xs[i])
    if not slopes:
        return 0.0, -math.inf
    n = len(ys)
    ties: dict[float, int] = {}
    for y in ys:
        ties[y] = ties.get(y, 0) + 1
    variance = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties.values())) / 18
    rank = (len(slopes) - Z_ONE_SIDED * math.sqrt(max(variance, 0.0))) / 2  # 1-based
    low = slopes[max(0, math.ceil(rank) - 1)] if rank >= 1 else -math.inf
    return median(slopes), low


def _thinned(indices: range) -> list[int]:
    if len(indices) <= MAX_POINTS:
        return list(indices)
    step = (len(indices) - 1) / (MAX_POINTS - 1)
    return sorted({indices[round(k * step)] for k in range(MAX_POINTS)})


def trend(timestamps: Sequence[datetime], values: Sequence[float], *, drop: float = DROP_POINTS) -> Trend | None:
    """The trend of the newest climb; None with fewer than two points in it."""
    if len(timestamps) != len(values) or not values:
        return None
    step = last_step_up(values)
    start, end, restarted_at = max(current_climb(values, drop), step), len(values), None
    if end - start < 2 and start > 0 and start != step:  # memory just fell (tasks replaced): judge by the climb before
        start, end, restarted_at = current_climb(values[:start], drop), start, timestamps[start]
    chosen = _thinned(range(start, end))
    xs = [(timestamps[i] - timestamps[start]).total_seconds() / 3600 for i in chosen]
    ys = [values[i] for i in chosen]
    if len(xs) < 2 or xs[-1] == xs[0]:
        return None
    slope, low = sen_slope(xs, ys)
    half = len(xs) // 2
    recent, _ = sen_slope(xs[half:], ys[half:]) if len(xs) - half >= 2 else (slope, low)
    return Trend(slope, values[-1], timestamps[-1], len(xs), restarted_at, low, timestamps[start], recent)
