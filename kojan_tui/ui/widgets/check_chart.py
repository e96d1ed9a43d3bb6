"""A check's chart (S09 memory over 24 h, S10 response time over 1 h) drawn like the dashboard's panels."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from kojan_tui.core.chart import scale_top
from kojan_tui.core.thresholds import Threshold
from kojan_tui.ui.widgets.plot import chart_lines
from kojan_tui.ui.widgets.status_base import StatusWidget


class CheckChart(StatusWidget):
    DEFAULT_CSS = """
    CheckChart { height: 12; border: round $foreground 30%; }
    CheckChart.-empty { display: none; }
    """
    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chart: dict[str, Any] | None = None
        self.add_class("-empty")

    def show(self, chart: dict[str, Any] | None) -> None:
        self.chart = chart if chart and chart.get("values") else None
        self.set_class(self.chart is None, "-empty")
        if self.chart is not None:
            unit = self.chart.get("unit", "")
            self.border_title = f"{self.chart.get('label', '')} ({unit})" if unit else str(self.chart.get("label", ""))
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        if self.chart is None:
            return Text("")
        values = tuple(self.chart["values"])
        warn, alert = self.chart.get("threshold") or (max(values), max(values))
        threshold = Threshold(warn, alert)
        top = scale_top(values, threshold, self.chart.get("unit") == "%")
        width, height = self.content_region.width, self.content_region.height
        lines = chart_lines(
            values, width, height, threshold, top=top, window_label=self.chart.get("window", ""), style_for=self.style_for
        )
        return Group(*lines) if lines else Text(f"latest {values[-1]:.1f}", style=self.style_for("muted"))
