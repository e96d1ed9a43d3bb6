"""The dashboard screen: decides what each panel shows from the app's data, and the layout per size.

It reads ``app.data`` / ``app.view`` / ``app.alert_state`` and source freshness whenever the app
publishes ``app.data_updated``; widgets only render what this screen hands them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Grid, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from kojan_tui.core.readings import METRIC_SPECS, RDS_STORAGE
from kojan_tui.ui.widgets.alert_bar import AlertBar
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from kojan_tui.ui.widgets.log_pane import LogPane
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.rollback_banner import RollbackBanner
from kojan_tui.ui.widgets.service_panel import ServicePanel

if TYPE_CHECKING:
    from kojan_tui.ui.app import KojanApp

COMPACT_BELOW_WIDTH = 120
COMPACT_BELOW_HEIGHT = 36


def is_compact(width: int, height: int) -> bool:
    """Charts need room: below 120 columns or 36 rows the dashboard shows one line per metric."""
    return width < COMPACT_BELOW_WIDTH or height < COMPACT_BELOW_HEIGHT


class DashboardScreen(Screen[None]):
    AUTO_FOCUS = "#service-panel"
    BINDINGS = [
        Binding("1", "app.set_window('1h')", "1h", tooltip="charts over the last hour"),
        Binding("2", "app.set_window('3h')", "3h", tooltip="charts over the last 3 hours"),
        Binding("3", "app.set_window('24h')", "24h", tooltip="charts over the last 24 hours"),
        Binding("left,up", "app.focus_previous", "Previous panel", show=False),
        Binding("right,down", "app.focus_next", "Next panel", show=False),
    ]

    @property
    def kojan(self) -> KojanApp:
        return cast("KojanApp", self.app)

    def compose(self) -> ComposeResult:
        yield ContextBar()
        yield RollbackBanner()
        yield AlertBar()
        with Container(id="main"):
            with Vertical(id="side"):
                yield ServicePanel()
                yield ErrorsPanel()
            with Grid(id="metrics"):
                for spec in METRIC_SPECS:
                    yield MetricPanel(spec)
        with Container(id="log-slot"):
            yield from self.compose_log_slot()
        yield Footer(show_command_palette=False)

    def compose_log_slot(self) -> ComposeResult:
        """``#log-slot``: the live tail of the app's one log feed (``l`` opens it full screen)."""
        yield LogPane(self.kojan.log_feed, id="log-pane")

    def on_mount(self) -> None:
        self.kojan.data_updated.subscribe(self, self.on_data_updated)
        self.apply_layout(self.app.size.width, self.app.size.height)
        self.show_all()
        self.set_interval(1.0, self.show_ages)

    def on_resize(self, event: events.Resize) -> None:
        self.apply_layout(event.size.width, event.size.height)

    def apply_layout(self, width: int, height: int) -> None:
        compact = is_compact(width, height)
        self.set_class(compact, "-compact")
        self.set_class(not compact, "-wide")
        for panel in self.query(MetricPanel):
            panel.set_compact(compact)
        self.query_one(ServicePanel).set_compact(compact)
        self.query_one(ErrorsPanel).set_compact(compact)
        alert_bar = self.query_one(AlertBar)
        alert_bar.max_lines = 3 if compact else 6
        alert_bar.refresh(layout=True)

    def on_data_updated(self, source: str) -> None:
        if source != "logs":  # the log pane follows its feed itself; panels need no repaint for it
            self.show_all()

    def show_all(self) -> None:
        app = self.kojan
        view = app.view
        for panel in self.query(MetricPanel):
            panel.show(view.readings[panel.spec.key], app.window)
        self.query_one(ServicePanel).show(app.data.service, app.data.task_definition, view.verdict)
        self.query_one(ErrorsPanel).show(view.errors)
        self.query_one(RollbackBanner).show(view.rollback)
        self.show_ages()  # stale marks, alert ages, context line

    def show_ages(self) -> None:
        """What changes with time alone: stale ages, "since" ages, the clock."""
        app = self.kojan
        self.query_one(ServicePanel).set_stale(app.stale_text("service"))
        self.query_one(ErrorsPanel).set_stale(app.stale_text("errors"))
        for panel in self.query(MetricPanel):
            extra = app.stale_text("database") if panel.spec is RDS_STORAGE else None
            panel.set_stale(app.stale_text("metrics") or extra)
        self.query_one(AlertBar).show(app.alert_state.active, app.now())
        self.query_one(ContextBar).show(app.context())
