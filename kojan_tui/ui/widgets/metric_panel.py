"""One S03 metric: value with unit, level (colour and text marker), trend chart, action when breached, and for
memory and storage the forecast of when it reaches its alert level ("alert 85 % in ~3 h 10 m · 42 pts / 58 min").

A stale reading (its newest datapoint older than the configured periods) shows greyed with its age and NO DATA.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from rich.console import Group, RenderableType
from rich.text import Text

from kojan_tui.core.chart import Run, scale_top, sparkline
from kojan_tui.core.deploy_markers import marker_fractions
from kojan_tui.core.forecast import Forecast
from kojan_tui.core.i18n import say, tr
from kojan_tui.core.levels import Level
from kojan_tui.core.readings import MetricReading, MetricSpec
from kojan_tui.ui.widgets.plot import chart_lines
from kojan_tui.ui.widgets.status_base import StatusWidget


class MetricPanel(StatusWidget):
    """Full: a bordered panel with a chart. Compact (``compact = True``): one line with a sparkline."""

    COMPONENT_CLASSES = {"status--deploy"}

    DEFAULT_CSS = """
    MetricPanel { height: 1fr; min-height: 6; }
    MetricPanel > .status--deploy { color: $accent; text-style: bold; }
    MetricPanel.-compact { height: 1; min-height: 1; border: none; padding: 0 1 0 0; background: $background; }
    MetricPanel.-compact:focus { background: $boost; text-style: bold; }
    MetricPanel.-compact.-level-warning:focus, MetricPanel.-compact.-level-alert:focus { border: none; }  /* one row */
    """

    def __init__(self, spec: MetricSpec, *, id: str | None = None) -> None:
        super().__init__(id=id or f"metric-{spec.key}")
        self.spec = spec
        self.reading: MetricReading | None = None
        self.window_label = "1h"
        self.deploys: tuple[datetime, ...] = ()  # deployments' createdAt: vertical markers on the chart
        self.forecast_text = ""  # "" on the panels that forecast nothing (and while there is no current value)
        self.forecast_warns = False
        self.language = "en"
        self.border_title = spec.title

    def show(
        self,
        reading: MetricReading,
        window_label: str,
        deploys: tuple[datetime, ...] = (),
        forecast: Forecast | None = None,
        language: str = "en",
    ) -> None:
        # What is drawn, not all the reading holds: the age only through ``value_text``, the timestamps only through
        # the deployment markers' places. A newer age alone, or a poll whose window slid over the same values
        # (a flat 0 % error rate), repaints nothing (nor the chart).
        forecast_text = forecast.text(language) if forecast is not None else ""
        warns = forecast is not None and forecast.warns
        drawn = replace(reading, age_s=None, timestamps=())
        markers = marker_fractions(reading.timestamps, deploys)
        if not self.given((drawn, reading.value_in(language), window_label, markers, forecast_text, warns, language)):
            return
        self.reading, self.window_label, self.deploys, self.language = reading, window_label, deploys, language
        self.border_title = tr(self.spec.title, language)
        self.forecast_text, self.forecast_warns = forecast_text, warns
        self.set_level_class(reading.level)
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

    def _value_style(self) -> str:
        return "muted" if self.reading is not None and self.reading.stale else "strong"

    def _headline(self) -> Text:
        reading = self.reading
        value = reading.value_in(self.language) if reading else tr("loading…", self.language)
        return Text.assemble((value, self.style_for(self._value_style())), "  ", self.marker(self.level))

    def _render_compact(self) -> Text:
        width = self.content_size.width
        value = self.reading.value_in(self.language) if self.reading else "…"
        line = self.compact_line(tr(self.spec.short, self.language), self.level, value, self._value_style())
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
        if reading is not None and reading.detail and height >= 3:  # the 5XX rate's two parts
            detail = Text(say(reading.detail, self.language), style=self.style_for("muted"))
            detail.no_wrap, detail.overflow = True, "ellipsis"
            lines.append(detail)
        if self.forecast_text and height >= 4:
            lines.append(self._forecast_line())
        breached = reading is not None and reading.level in (Level.WARNING, Level.ALERT)
        stale = self.stale_line()
        action = self._action_line() if breached else None
        action_lines = len(action.wrap(self.app.console, max(1, width))) if action is not None else 0
        chart_height = height - len(lines) - action_lines - (1 if stale else 0)  # headline (+ detail), action, stale
        if reading and reading.values:
            lines.extend(self._chart(reading, width, chart_height))  # nothing when it does not fit
        elif chart_height >= 1:
            lines.append(
                Text(
                    tr(reading.note if reading and reading.note else "no datapoints in this window", self.language),
                    style=self.style_for("muted"),
                )
            )
        if action is not None:
            lines.append(action)
        if stale:
            lines.append(stale)
        return Group(*lines)

    def _forecast_line(self) -> Text:
        style = self.style_for(Level.WARNING.value if self.forecast_warns else "muted")
        line = Text.assemble(("↗ " if self.forecast_warns else "→ ", style), (self.forecast_text, style))
        line.no_wrap, line.overflow = True, "ellipsis"
        return line

    def _action_line(self) -> Text:
        assert self.reading is not None
        return Text.assemble(
            ("▶ ", self.style_for(self.reading.level.value)), (tr(self.spec.action, self.language), self.style_for("strong"))
        )

    def _chart(self, reading: MetricReading, width: int, height: int) -> list[Text]:
        """plotext's bar chart with its y axis (thresholds) and time axis, or nothing when it does not fit."""
        top = scale_top(reading.values, reading.threshold, self.spec.unit == "%")
        return chart_lines(
            reading.values,
            width,
            height,
            reading.threshold,
            top=top,
            window_label=self.window_label,
            style_for=self.style_for,
            markers=marker_fractions(reading.timestamps, self.deploys),
        )
