"""Chart maths without a drawing library: the axis top, bucketing into columns, and the one-line sparkline.

The sparkline is (text, kind) runs, kinds ``ok`` / ``warning`` / ``alert`` / ``blank``; the widget maps kinds to
theme styles. plotext has no sparkline; the full-size chart is plotext's (``ui/widgets/plot.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from kojan_tui.core.levels import level_for
from kojan_tui.core.thresholds import Threshold

BLOCKS = " ▁▂▃▄▅▆▇█"

Run = tuple[str, str]  # (text, kind)


def resample(values: Sequence[float], width: int) -> list[float | None]:
    """``width`` columns, newest on the right: the max of each bucket, or left padding (None) when short."""
    if width <= 0:
        return []
    n = len(values)
    if n <= width:
        return [None] * (width - n) + list(values)
    return [max(values[i * n // width : (i + 1) * n // width]) for i in range(width)]


def scale_top(values: Sequence[float], threshold: Threshold, percent: bool) -> float:
    """The value at the top of the chart: room for the data and the alert line."""
    top = nice_ceiling(max([*values, threshold.alert, 1e-9]) * 1.15)
    if percent and max(values, default=0.0) <= 100.0:
        top = min(top, 100.0)
    return top


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above ``value`` (a readable axis top)."""
    exponent = math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        candidate = step * 10.0**exponent
        if candidate >= value * (1 - 1e-12):
            return candidate
    return 10.0 ** (exponent + 1)


def merge_runs(cells: list[Run]) -> list[Run]:
    """Neighbouring cells of one kind joined into one run."""
    runs: list[Run] = []
    for text, kind in cells:
        if runs and runs[-1][1] == kind:
            runs[-1] = (runs[-1][0] + text, kind)
        else:
            runs.append((text, kind))
    return runs


def sparkline(values: Sequence[float], width: int, threshold: Threshold, *, top: float) -> list[Run]:
    """One row: a block per column, each kind the level of its column's value."""
    cells: list[Run] = []
    top = top if top > 0 else 1.0
    for v in resample(values, width):
        if v is None:
            cells.append((" ", "blank"))
            continue
        index = max(1, min(8, round(v / top * 8)))
        cells.append((BLOCKS[index], level_for(v, threshold).value))
    return merge_runs(cells)
