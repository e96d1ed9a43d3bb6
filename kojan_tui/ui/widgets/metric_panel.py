"""One S03 metric: value with unit, level (colour and text marker), trend chart, action when breached."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from kojan_tui.core.chart import Run, bar_chart, scale_top, sparkline, threshold_rows
from kojan_tui.core.levels import Level
from kojan_tui.core.readings import MetricReading, MetricSpec
from kojan_tui.ui.widgets.status_base import StatusWidget

AXIS_WIDTH = 6


class MetricPanel(StatusWidget):
    """Full: a bordered panel with a chart. Compact (``compact = True``): one line with a sparkline."""

    DEFAULT_CSS = """
    MetricPanel { height: 1fr; min-height: 6; }
    MetricPanel.-compact { height: 1; min-height: 1; border: none; padding: 0 1 0 0; background: $background; }
    MetricPanel.-compact:focus { background: $boost; text-style: bold; }
    """

    def __init__(self, spec: MetricSpec, *, id: str | None = None) -> None:
        super().__init__(id=id or f"metric-{spec.key}")
        self.spec = spec
        self.reading: MetricReading | None = None
        self.window_label = "1h"
        self.compact = False
        self.border_title = spec.title

    def show(self, reading: MetricReading, window_label: str) -> None:
        self.reading, self.window_label = reading, window_label
        self.set_level_class(reading.level)
        self.refresh()

    def set_compact(self, compact: bool) -> None:
        self.compact = compact
        self.set_class(compact, "-compact")
        self.refresh()

    @property
    def level(self) -> Level:
        return self.reading.level if self.reading else Level.UNKNOWN

    def _runs(self, runs: list[Run]) -> Text:
        text = Text()
        for chunk, kind in runs:
            text.append(chunk, style=self.style_for(kind))
        return text

    def render(self) -> RenderableType:
        return self._render_compact() if self.compact else self._render_full()

    def _headline(self) -> Text:
        reading = self.reading
        value = reading.value_text if reading else "loading…"
        return Text.assemble((value, self.style_for("strong")), "  ", self.marker(self.level))

    def _render_compact(self) -> Text:
        width = self.content_size.width
        line = Text(f"{self.spec.short:<9}", style=self.style_for("muted"))
        line.append(self.marker(self.level))
        line.pad_right(9 - len(self.level.marker))
        line.append(f"{self.reading.value_text if self.reading else '…':>11}", style=self.style_for("strong"))
        if self.stale_text:
            line.append(" STALE", style=self.style_for("stale"))
        room = width - line.cell_len - 1
        if self.reading and self.reading.values and room >= 4:
            top = scale_top(self.reading.values, self.reading.threshold, self.spec.unit == "%")
            line.append(" ")
            line.append(self._runs(sparkline(self.reading.values, min(room, 16), self.reading.threshold, top=top)))
        return line

    def _render_full(self) -> Group:
        reading = self.reading
        width, height = self.content_size.width, self.content_size.height
        lines: list[RenderableType] = [self._headline()]
        breached = reading is not None and reading.level in (Level.WARNING, Level.ALERT)
        stale = self.stale_line()
        action = self._action_line() if breached else None
        action_lines = len(action.wrap(self.app.console, max(1, width))) if action is not None else 0
        reserved = 1 + action_lines + (1 if stale else 0) + 1  # headline, action, stale, x axis
        chart_height = height - reserved
        if reading and reading.values and chart_height >= 2 and width > AXIS_WIDTH + 4:
            lines.extend(self._chart(reading, width - AXIS_WIDTH, chart_height))
        elif chart_height >= 1:
            lines.append(Text(reading.note if reading and reading.note else "no datapoints in this window", style=self.style_for("muted")))
        if action is not None:
            lines.append(action)
        if stale:
            lines.append(stale)
        return Group(*lines)

    def _action_line(self) -> Text:
        assert self.reading is not None
        return Text.assemble(("▶ ", self.style_for(self.reading.level.value)), (self.spec.action, self.style_for("strong")))

    def _chart(self, reading: MetricReading, width: int, height: int) -> list[Text]:
        top = scale_top(reading.values, reading.threshold, self.spec.unit == "%")
        rows = bar_chart(reading.values, width, height, reading.threshold, top=top)
        lines = threshold_rows(reading.threshold, top, height)
        muted = self.style_for("muted")
        out: list[Text] = []
        for index, runs in enumerate(rows):
            if index in lines:
                kind = "alert-line" if lines[index] == reading.threshold.alert else "warn-line"
                label = Text(f"{_short(lines[index]):>{AXIS_WIDTH - 1}}┤", style=self.style_for(kind))
            elif index in (0, height - 1):
                label = Text(f"{_short(top if index == 0 else 0):>{AXIS_WIDTH - 1}}┤", style=muted)
            else:
                label = Text(" " * (AXIS_WIDTH - 1) + "│", style=muted)
            out.append(label + self._runs(runs))
        axis = f"-{self.window_label}".ljust(width - 3) + "now"
        out.append(Text(" " * AXIS_WIDTH + axis, style=muted))
        return out


def _short(value: float) -> str:
    """An axis label of at most 5 characters: 0.5, 85, 1000, 12.3k."""
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 100 or value == int(value):
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 1 else f"{value:.2g}"
