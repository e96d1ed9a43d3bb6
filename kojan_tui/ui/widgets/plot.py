"""The full-size metric chart drawn by plotext: bars by level, warn/alert lines, y and time axes, in theme styles.

plotext paints each kind in a sentinel colour; those cells get the widget's theme style for the kind.
(plotext has no one-line sparkline: the compact layout keeps ``core.chart.sparkline``.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from rich.style import Style
from rich.text import Text

from kojan_tui.core.chart import Run, merge_runs, resample
from kojan_tui.core.levels import level_for
from kojan_tui.core.thresholds import Threshold

BAR_KINDS = ("ok", "warning", "alert")
LINE_STYLES = {"warn-line": "dotted", "alert-line": "heavy"}  # ┈ and ━: told apart without colour too
SENTINELS = {kind: (1, 2, 3 + index) for index, kind in enumerate((*BAR_KINDS, *LINE_STYLES))}
KIND_OF_SENTINEL = {rgb: kind for kind, rgb in SENTINELS.items()}
X_AXIS_ROWS = 2  # the axis line and its -1h … now labels
MIN_HEIGHT = X_AXIS_ROWS + 2  # two rows of bars at least
MIN_CANVAS_WIDTH = 6

StyleFor = Callable[[str], Style]


def axis_label(value: float) -> str:
    """A y-axis label of at most 5 characters: 0.5, 85, 1000, 12k."""
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 100 or value == int(value):
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 1 else f"{value:.2g}"


def value_row(value: float, top: float, rows: int) -> int:
    """The canvas row (0 = bottom) of ``value`` on a 0…``top`` axis of ``rows`` rows, row centres evenly spaced."""
    return max(0, min(rows - 1, round(value / top * (rows - 1))))


def y_ticks(threshold: Threshold, top: float, rows: int) -> list[tuple[int, str, str]]:
    """(row, label, kind) of the y ticks: alert, warn, top, 0 — a row keeps the first that claims it.

    Both lines stay visible: a warn line that falls on the alert line's row goes one row below it.
    """
    ticks: dict[int, tuple[str, str]] = {}
    if 0 < threshold.alert < top:
        ticks[value_row(threshold.alert, top, rows)] = (axis_label(threshold.alert), "alert-line")
    if 0 < threshold.warn < top:
        row = value_row(threshold.warn, top, rows)
        row = row - 1 if row in ticks and row > 0 else row
        ticks.setdefault(row, (axis_label(threshold.warn), "warn-line"))
    for value in (top, 0.0):
        ticks.setdefault(value_row(value, top, rows), (axis_label(value), "muted"))
    return [(row, label, kind) for row, (label, kind) in ticks.items()]


DEPLOY_MARK = "┃"  # a deployment's createdAt: a vertical line through the bars (``deploy`` style)


def chart_lines(
    values: Sequence[float],
    width: int,
    height: int,
    threshold: Threshold,
    *,
    top: float,
    window_label: str,
    style_for: StyleFor,
    markers: Sequence[float] = (),
) -> list[Text]:
    """``height`` lines of exactly ``width`` cells (none when too small); every colour via ``style_for(kind)``."""
    if height < MIN_HEIGHT or top <= 0:
        return []
    ticks = y_ticks(threshold, top, height - X_AXIS_ROWS)
    canvas_width = width - max(len(label) for _, label, _ in ticks) - 1
    if canvas_width < MIN_CANVAS_WIDTH:
        return []
    columns = tuple(resample([v for v in values if math.isfinite(v)], canvas_width))
    rows = _draw(columns, width, height, threshold.warn, threshold.alert, top, window_label)
    if markers:
        rows = _with_markers(rows, [width - canvas_width + round(f * (canvas_width - 1)) for f in markers], height)
    return [Text.assemble(*((chunk, style_for(kind)) for chunk, kind in runs)) for runs in rows]


def _with_markers(rows: tuple[tuple[Run, ...], ...], cells: list[int], height: int) -> tuple[tuple[Run, ...], ...]:
    """A ``DEPLOY_MARK`` in each of ``cells`` on every canvas row (the x axis rows keep their labels)."""
    marked = []
    for index, runs in enumerate(rows):
        if index >= height - X_AXIS_ROWS:
            marked.append(runs)
            continue
        chars = [(char, kind) for chunk, kind in runs for char in chunk]
        for cell in cells:
            if 0 <= cell < len(chars):
                chars[cell] = (DEPLOY_MARK, "deploy")
        marked.append(tuple(merge_runs(chars)))
    return tuple(marked)


@lru_cache(maxsize=64)
def _draw(
    columns: tuple[float | None, ...], width: int, height: int, warn: float, alert: float, top: float, window_label: str
) -> tuple[tuple[Run, ...], ...]:
    """plotext's chart as rows of (text, kind) runs; cached, as the widget re-renders far more often than data changes."""
    import plotext  # here, not at the top: its import takes ~0.2 s (its docs), which the first screen need not wait for

    threshold, canvas_rows = Threshold(warn, alert), height - X_AXIS_ROWS
    ticks = y_ticks(threshold, top, canvas_rows)
    label_width = max(len(label) for _, label, _ in ticks)
    # A fresh terminal and figure per chart: plotext's module-level figure keeps state between uses.
    terminal = type(plotext.terminal)()
    terminal.limit(False, False)  # the panel's size, not the real terminal's
    figure = terminal._master
    figure.plot_size(width, height).theme("colorless")
    figure.axes(False, axis="x", side="upper").axes(False, axis="y", side="right")
    at_row = {row: row * top / (canvas_rows - 1) for row in range(canvas_rows)}  # row centres: no rounding at edges
    for row, _, kind in ticks:
        if kind in LINE_STYLES:
            figure.line(at_row[row], pixel=plotext.pixel(foreground=SENTINELS[kind]), style=LINE_STYLES[kind])
    for kind in BAR_KINDS:
        bars = [
            (x, min(v, top)) for x, v in enumerate(columns) if v is not None and v > 0 and level_for(v, threshold).value == kind
        ]
        if bars:
            xs, ys = zip(*bars)
            marker = plotext.marker("full", plotext.pixel(foreground=SENTINELS[kind]))
            figure.draw(figure.signal(list(xs), list(ys), marker=marker).lines(False).fillx().density("full", scope="fill"))
    figure.ruler("y").lim(0, top).ticks([at_row[row] for row, _, _ in ticks], labels=[label for _, label, _ in ticks])
    figure.ruler("x").lim(0, len(columns) - 1).ticks([0, len(columns) - 1], labels=[f"-{window_label}", "now"])
    drawn = Text.from_ansi(figure.build().string(), end="")  # plotext's own output from numbers and our labels
    label_kinds = {canvas_rows - 1 - row: kind for row, _, kind in ticks if kind in LINE_STYLES}
    rows: list[tuple[Run, ...]] = []
    for index, line in enumerate(drawn.split("\n")[:height]):
        kinds = ["muted"] * width
        for span in line.spans:
            color = Style.parse(span.style).color if isinstance(span.style, str) else span.style.color
            kind = KIND_OF_SENTINEL.get(tuple(color.triplet)) if color is not None and color.triplet else None
            for cell in range(span.start, min(span.end, width)):
                kinds[cell] = kind or "muted"
        if index in label_kinds:  # the threshold's value and its axis tick in the line's style
            kinds[: label_width + 1] = [label_kinds[index]] * (label_width + 1)
        plain = line.plain.ljust(width)[:width]
        rows.append(tuple(merge_runs(list(zip(plain, kinds)))))
    return tuple(rows)
