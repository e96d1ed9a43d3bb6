"""A terminal bar chart and sparkline as rows of (text, kind) runs; the widget maps kinds to theme styles.

Kinds: ``ok`` / ``warning`` / ``alert`` (a bar, by its own value's level), ``warn-line`` / ``alert-line``
(the thresholds, drawn where no bar covers them), ``blank``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from kojan_tui.core.config import Threshold
from kojan_tui.core.levels import level_for

BLOCKS = " ▁▂▃▄▅▆▇█"
WARN_LINE = "┈"
ALERT_LINE = "━"

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


def _merge(cells: list[Run]) -> list[Run]:
    runs: list[Run] = []
    for text, kind in cells:
        if runs and runs[-1][1] == kind:
            runs[-1] = (runs[-1][0] + text, kind)
        else:
            runs.append((text, kind))
    return runs


def bar_chart(values: Sequence[float], width: int, height: int, threshold: Threshold, *, top: float) -> list[list[Run]]:
    """``height`` rows of ``width`` cells; bar heights in eighths of a cell, 0 at the bottom."""
    if width <= 0 or height <= 0:
        return []
    columns = resample(values, width)
    top = top if top > 0 else 1.0
    eighths = [None if v is None else max(0, min(height * 8, round(v / top * height * 8))) for v in columns]
    kinds = [None if v is None else level_for(v, threshold).value for v in columns]
    line_rows = {row: ("alert-line" if value == threshold.alert else "warn-line", ALERT_LINE if value == threshold.alert else WARN_LINE)
                 for row, value in threshold_rows(threshold, top, height).items()}
    rows: list[list[Run]] = []
    for r in range(height):
        bottom = (height - 1 - r) * 8
        cells: list[Run] = []
        for h, kind in zip(eighths, kinds):
            filled = 0 if h is None else max(0, min(8, h - bottom))
            if filled:
                cells.append((BLOCKS[filled], "ok" if kind == "ok" else kind))
            elif r in line_rows:
                line_kind, char = line_rows[r]
                cells.append((char, line_kind))
            else:
                cells.append((" ", "blank"))
        rows.append(_merge(cells))
    return rows


def threshold_rows(threshold: Threshold, top: float, height: int) -> dict[int, float]:
    """Row index (0 = top) → the threshold drawn on it; the alert line wins a shared row."""
    rows: dict[int, float] = {}
    for value in (threshold.alert, threshold.warn):
        row = _row_of(value, top, height)
        if row is not None:
            rows.setdefault(row, value)
    return rows


def _row_of(value: float, top: float, height: int) -> int | None:
    if value <= 0 or value >= top:
        return None
    return height - 1 - min(height - 1, int(value / top * height))


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
    return _merge(cells)
