"""The dashboard screen: decides what each panel shows from the app's data, and the layout per size.

It renders the app's published ``DashboardState`` (through ``AppServices``; it never knows the app class)
each time a new one arrives, and ages once a second; widgets only render what this screen hands them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Grid, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from kojan_tui.core.dashboard import no_data_text
from kojan_tui.core.deploy_markers import deploy_times
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.readings import METRIC_SPECS, RDS_STORAGE
from kojan_tui.core.state import DashboardState, SourceName
from kojan_tui.ui.error_policy import SurvivesHandlerErrors
from kojan_tui.ui.screens.speaks import SpeaksLanguage
from kojan_tui.ui.screens.what_changed import banner_line
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.widgets.alert_bar import AlertBar
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from kojan_tui.ui.widgets.log_pane import LogPane
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.rollback_banner import RollbackBanner
from kojan_tui.ui.widgets.service_panel import ServicePanel
from kojan_tui.ui.widgets.slo_panel import SloPanel

MEASURED_SOURCES = (SourceName.SERVICE, SourceName.METRICS, SourceName.ERRORS, SourceName.DATABASE)  # what verdicts judge
COMPACT_BELOW_WIDTH = 120
COMPACT_BELOW_HEIGHT = 36


def is_compact(width: int, height: int) -> bool:
    """Charts need room: below 120 columns or 36 rows the dashboard shows one line per metric."""
    return width < COMPACT_BELOW_WIDTH or height < COMPACT_BELOW_HEIGHT


@dataclass(frozen=True)
class Panels:
    """The screen's widgets, looked up once: ``show_ages`` runs every second and a DOM query walks the tree."""

    context: ContextBar
    banner: RollbackBanner
    alerts: AlertBar
    service: ServicePanel
    errors: ErrorsPanel
    slo: SloPanel
    metrics: tuple[MetricPanel, ...]


class DashboardScreen(SpeaksLanguage, SurvivesHandlerErrors, Screen[None]):
    AUTO_FOCUS = "#service-panel"
    BINDINGS = [
        Binding("1", "app.set_window('1h')", "1h", tooltip=N_("charts over the last hour")),
        Binding("2", "app.set_window('3h')", "3h", tooltip=N_("charts over the last 3 hours")),
        Binding("3", "app.set_window('24h')", "24h", tooltip=N_("charts over the last 24 hours")),
        Binding("left,up", "app.focus_previous", N_("Previous panel"), show=False),
        Binding("right,down", "app.focus_next", N_("Next panel"), show=False),
    ]

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self._shown_view: object = None  # the view the panels show now
        self._panels: Panels | None = None

    def compose(self) -> ComposeResult:
        yield ContextBar()
        yield RollbackBanner()
        yield AlertBar()
        with Container(id="main"):
            with Vertical(id="side"):
                yield ServicePanel()
                yield ErrorsPanel(language=self.services.config.ui.language)
                yield SloPanel()
            with Grid(id="metrics"):
                for spec in METRIC_SPECS:
                    yield MetricPanel(spec)
        with Container(id="log-slot"):
            yield from self.compose_log_slot()
        yield Footer(show_command_palette=False)

    def compose_log_slot(self) -> ComposeResult:
        """``#log-slot``: the live tail of the app's one log feed (``l`` opens it full screen)."""
        yield LogPane(self.services.log_feed, id="log-pane")

    @property
    def panels(self) -> Panels:
        if self._panels is None:
            self._panels = Panels(
                self.query_one(ContextBar),
                self.query_one(RollbackBanner),
                self.query_one(AlertBar),
                self.query_one(ServicePanel),
                self.query_one(ErrorsPanel),
                self.query_one(SloPanel),
                tuple(self.query(MetricPanel)),
            )
        return self._panels

    def on_mount(self) -> None:
        self.services.state.subscribe(self, self.on_state)
        self.apply_layout(self.app.size.width, self.app.size.height)
        self.show_all()
        self.set_interval(1.0, self.show_ages)

    def on_resize(self, event: events.Resize) -> None:
        self.apply_layout(event.size.width, event.size.height)

    def apply_layout(self, width: int, height: int) -> None:
        compact = is_compact(width, height)
        self.set_class(compact, "-compact")
        self.set_class(not compact, "-wide")
        panels = self.panels
        for panel in panels.metrics:
            panel.set_compact(compact)
        panels.service.set_compact(compact)
        panels.errors.set_compact(compact)
        panels.slo.set_compact(compact)  # hidden when compact: no room for its seven lines
        alert_bar = panels.alerts
        alert_bar.max_lines = 3 if compact else 6
        alert_bar.refresh(layout=True)

    def on_state(self, state: DashboardState) -> None:
        # The log pane follows its feed itself; a log poll repaints the panels only when it changed the view
        # (the errors count follows the feed's ERROR lines between its scans).
        if state.changed != SourceName.LOGS or state.view is not self._shown_view:
            self.show_all()

    def show_all(self) -> None:
        state = self.services.state.current
        view = self._shown_view = state.view
        deploys = deploy_times(state.data.service)
        language = self.services.config.ui.language
        panels = self.panels
        for panel in panels.metrics:
            key = panel.spec.key
            panel.show(view.readings[key], state.window, deploys, view.forecasts.get(key), language)
        activities = state.data.scaling_activities
        panels.service.show(
            state.data.service,
            state.data.task_definition,
            view.verdict,
            view.health,
            self.no_data_reason((SourceName.SERVICE,)),
            scaling=activities[0] if activities else None,
            scaling_problem=next(iter(self.failing_reasons((SourceName.SCALING,))), ""),
            stops=state.data.task_stops,
            language=self.services.config.ui.language,
        )
        panels.errors.show(view.errors)
        slo = self.services.config.slo
        panels.slo.show(view.slo, language, slo.availability, slo.window_days)
        self.show_ages()  # stale marks, alert ages, context line

    def failing_reasons(self, names: tuple[SourceName, ...]) -> list[str]:
        freshness = self.services.state.current.freshness
        return [freshness[n].failure_reason for n in names if n in freshness and freshness[n].stale]

    def waiting(self, names: tuple[SourceName, ...]) -> bool:
        """Some source has not answered its first poll yet."""
        freshness = self.services.state.current.freshness
        return any(n not in freshness or freshness[n].polls == 0 for n in names)

    def no_data_reason(self, names: tuple[SourceName, ...]) -> str:
        """The failing source's reason, else "first poll running" before its first answer."""
        reasons = self.failing_reasons(names)
        first = tr("first poll running", self.services.config.ui.language)
        return reasons[0] if reasons else first if self.waiting(names) else ""

    def show_ages(self) -> None:
        """What changes with time alone: stale ages, "since" ages, the clock."""
        state, now, panels = self.services.state.current, self.services.clock(), self.panels
        panels.service.set_stale(state.stale_text(SourceName.SERVICE, now))
        panels.service.set_stops_stale(state.stale_text(SourceName.TASKS, now))
        panels.errors.set_stale(state.stale_text(SourceName.ERRORS, now))
        panels.slo.set_stale(state.panel_stale_text((SourceName.METRICS, SourceName.SLO), now))
        metrics_stale = state.stale_text(SourceName.METRICS, now)
        storage_stale = state.panel_stale_text((SourceName.METRICS, SourceName.DATABASE), now)  # fed by both
        for panel in panels.metrics:
            panel.set_stale(storage_stale if panel.spec is RDS_STORAGE else metrics_stale)
        no_data = no_data_text(state.view, state.stale_reasons(MEASURED_SOURCES, now), self.waiting(MEASURED_SOURCES))
        board, language = self.services.extensions.get("acks"), self.services.config.ui.language  # ui/screens/acknowledge.py
        acks, team = (board.labels(language), board.problem_line(language)) if board is not None else ({}, "")
        panels.alerts.show(state.alerts.active, now, no_data, acks, team)
        banner = panels.banner
        what_changed = banner_line(self.services) if state.view.rollback or state.view.suspect else None
        banner.show(state.view.rollback, state.view.suspect, now, language, what_changed)
        panels.context.show(self.services.context())
