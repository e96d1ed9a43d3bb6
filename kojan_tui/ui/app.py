"""KojanApp: owns the gateway and the poller, keeps the newest data of every source, runs the screens.

Screens read ``app.data`` / ``app.view`` / ``app.alert_state`` and freshness when ``app.data_updated``
(a Signal carrying the source name) fires. New sources register on ``app.poller``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.signal import Signal

from kojan_tui.aws.protocol import Gateway
from kojan_tui.core import metrics_catalog
from kojan_tui.core.alerts import AlertTracker, AlertUpdate
from kojan_tui.core.config import Config
from kojan_tui.core.dashboard import DashboardData, DashboardView, build_view
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.freshness import SourceFreshness
from kojan_tui.core.models import CallerIdentity, DbInstance, MetricSeries, ServiceSnapshot, TaskDefinition
from kojan_tui.feeds.logs import LogFeed
from kojan_tui.ui.commands import KojanCommands
from kojan_tui.ui.poller import Poller, utc_now
from kojan_tui.ui.screens.dashboard import DashboardScreen
from kojan_tui.ui.screens.error_summary import ErrorSummaryScreen
from kojan_tui.ui.screens.help import HelpScreen
from kojan_tui.ui.screens.logs import LogScreen
from kojan_tui.ui.themes import DEFAULT_THEME, load_themes
from kojan_tui.ui.widgets.context_bar import AppContext

# Source names on the poller (also the keys of freshness and of ``data_updated``).
SERVICE, METRICS, DATABASE, ERRORS, IDENTITY, LOGS = "service", "metrics", "database", "errors", "identity", "logs"
DATABASE_INTERVAL_S = 60.0  # size changes rarely, but its status is an S25 "database down" signal
IDENTITY_INTERVAL_S = 3600.0
DB_CONNECTION_WINDOW = timedelta(minutes=10)  # S25 "database down": recent "database connection" errors
DB_CONNECTION_PATTERN = '"database connection"'


class Demo(Protocol):
    scenario: str

    def scenarios(self) -> list[Any]: ...  # objects with .name and .description

    def set_scenario(self, name: str) -> None: ...  # blocking HTTP


class KojanApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "kojan-tui"
    COMMANDS = App.COMMANDS | {KojanCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("r", "refresh", "Refresh now"),
        Binding("question_mark", "help", "Keys"),
        Binding("slash", "command_palette", "Commands"),
        Binding("ctrl+p", "command_palette", "Commands", show=False),
        Binding("l", "open_logs", "Logs", tooltip="the log tail full screen: filter, presets, range, copy, save"),
        Binding("e", "error_summary", "Error summary", tooltip="S05: ERROR lines counted by message (Logs Insights)"),
        Binding("t", "next_theme", "Theme"),
        Binding("s", "pick_scenario", "Scenario", tooltip="demo only: switch the embedded AWS scenario"),
        Binding("tab", "focus_next", "Next panel", show=False),
        Binding("shift+tab", "focus_previous", "Previous panel", show=False),
    ]

    def __init__(
        self, config: Config, gateway: Gateway, *, demo: Demo | None = None, clock: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__()
        self.config = config
        self.gateway = gateway
        self.demo = demo
        self.demo_scenario: str | None = "…" if demo is not None else None  # cached: demo.scenario is HTTP
        self.now: Callable[[], datetime] = clock or utc_now
        self.data = DashboardData()
        self.window = config.ui.chart_window if config.ui.chart_window in metrics_catalog.WINDOWS else "1h"
        self.data.metrics_period = metrics_catalog.WINDOWS[self.window].period
        self.view: DashboardView = build_view(self.data, config)
        self.alerts = AlertTracker()
        self.alert_state = AlertUpdate((), ())
        self.data_updated: Signal[str] = Signal(self, "data-updated")
        # One log feed for the dashboard pane and the full-screen view: switching never re-fetches.
        self.log_feed = LogFeed(
            gateway, config.service.log_group, buffer_lines=config.ui.log_buffer_lines, clock=lambda: self.now().timestamp()
        )
        self.poller = Poller(clock=self.now, on_freshness=self._source_polled, on_internal_error=self._internal_error)
        self.kojan_themes = load_themes()
        for theme in self.kojan_themes.values():
            self.register_theme(theme)
        self.theme = config.ui.theme if config.ui.theme in self.available_themes else DEFAULT_THEME
        self._startup_warnings: list[str] = []
        if self.theme != config.ui.theme:
            self._startup_warnings.append(
                f"unknown theme {config.ui.theme!r}; using {DEFAULT_THEME} (known: {', '.join(self.kojan_themes)})"
            )
        self._register_sources()

    # ---- sources -------------------------------------------------------------------------------

    def _register_sources(self) -> None:
        refresh = self.config.refresh
        self.poller.register(IDENTITY, IDENTITY_INTERVAL_S, self.gateway.caller_identity, self._got_identity)
        self.poller.register(SERVICE, refresh.service_seconds, self._fetch_service, self._got_service)
        self.poller.register(METRICS, refresh.metrics_seconds, self._fetch_metrics, self._got_metrics)
        self.poller.register(DATABASE, DATABASE_INTERVAL_S, self._fetch_db, self._got_db)
        self.poller.register(ERRORS, refresh.errors_seconds, self._fetch_errors, self._got_errors)
        # The feed tells its own views (LogPane, LogScreen) about new lines itself.
        self.poller.register(LOGS, refresh.logs_seconds, self.log_feed.poll, self._got_logs)

    async def _fetch_service(self) -> tuple[ServiceSnapshot, TaskDefinition | None]:
        service = await self.gateway.describe_service(self.config.service.cluster, self.config.service.name)
        task_definition = self.data.task_definition
        if task_definition is None or task_definition.arn != service.task_definition:
            try:  # only when the service's task definition changed; the image tag is a detail
                task_definition = await self.gateway.describe_task_definition(service.task_definition)
            except AwsFailure as failure:
                self.log.warning(f"describe_task_definition: {failure}")
                task_definition = None
        return service, task_definition

    async def _fetch_metrics(self) -> tuple[int, dict[str, MetricSeries]]:
        window = metrics_catalog.WINDOWS[self.window]
        end = self.now()
        queries = metrics_catalog.s03_queries(self.config.service, window.period)
        return window.period, await self.gateway.get_metric_data(queries, end - timedelta(seconds=window.seconds), end)

    async def _fetch_db(self) -> DbInstance:
        return await self.gateway.describe_db_instance(self.config.service.db_instance)

    async def _fetch_errors(self) -> tuple[int, int]:
        end = self.now()
        end_ms = int(end.timestamp() * 1000)
        group = self.config.service.log_group
        errors = await self.gateway.count_log_events(group, pattern="ERROR", start_ms=end_ms - 3_600_000, end_ms=end_ms)
        db_errors = await self.gateway.count_log_events(
            group,
            pattern=DB_CONNECTION_PATTERN,
            start_ms=end_ms - int(DB_CONNECTION_WINDOW.total_seconds() * 1000),
            end_ms=end_ms,
        )
        return errors, db_errors

    def _got_logs(self, _lines: object) -> None:
        if self.log_feed.behind:  # the poll stopped at its page limit: catch up now, not in an interval
            self.poller.poll_soon(LOGS)

    def _got_identity(self, identity: CallerIdentity) -> None:
        self.data.identity = identity

    def _got_service(self, result: tuple[ServiceSnapshot, TaskDefinition | None]) -> None:
        self.data.service, self.data.task_definition = result
        self._rebuild()

    def _got_metrics(self, result: tuple[int, dict[str, MetricSeries]]) -> None:
        self.data.metrics_period, self.data.metrics = result
        self._rebuild()

    def _got_db(self, db: DbInstance) -> None:
        self.data.db_instance = db
        self._rebuild()

    def _got_errors(self, result: tuple[int, int]) -> None:
        self.data.errors_last_hour, self.data.db_connection_errors = result
        self._rebuild()

    def _rebuild(self) -> None:
        """Recompute the view; ring and notify for alerts that just fired and new S25 reasons."""
        before = {r.code for r in self.view.rollback}
        self.view = build_view(self.data, self.config)
        self.alert_state = self.alerts.update(self.view.alert_inputs(), self.now())
        new_rollback = [r for r in self.view.rollback if r.code not in before]
        if not (self.alert_state.fired or new_rollback):
            return
        if self.config.ui.bell:
            self.bell()
        if self.config.ui.notify:
            for reason in new_rollback:
                self.notify(reason.text, title="ROLL BACK NOW (S25)", severity="error", markup=False)
            for alert in self.alert_state.fired:
                self.notify(f"{alert.title}: {alert.value_text} — {alert.action}", title="Alert", severity="error", markup=False)

    def _source_polled(self, name: str, freshness: SourceFreshness) -> None:
        self.data_updated.publish(name)

    def _internal_error(self, name: str, error: BaseException) -> None:
        self.log.error(f"source {name}: {error!r}")
        if self.poller.freshness(name).consecutive_failures == 1:  # once per run of failures, not every poll
            self.notify(f"{name}: internal error {type(error).__name__} (see the log)", severity="error", markup=False)

    def stale_text(self, name: str) -> str | None:
        """``STALE 42s — throttled`` for a source whose newest poll failed, else None."""
        source = self.poller.sources.get(name)
        return source.freshness.stale_text(self.now()) if source else None

    def context(self) -> AppContext:
        identity = self.data.identity
        return AppContext(
            profile=self.config.aws.profile,
            account=identity.account if identity else None,
            region=self.config.aws.region,
            cluster=self.config.service.cluster,
            service=self.config.service.name,
            read_only=self.config.ui.read_only or getattr(self.gateway, "read_only", False),
            demo_scenario=self.demo_scenario,
            window=self.window,
            clock_text=f"{self.now():%H:%M:%S} UTC",
        )

    # ---- lifecycle -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen())
        self.poller.start()
        for warning in self._startup_warnings:
            self.notify(warning, severity="warning", markup=False)
        if self.demo is not None:
            self._read_scenario()

    @work(thread=True, group="demo-scenario")
    def _read_scenario(self) -> None:
        """``demo.scenario`` asks the embedded AWS over HTTP: never on the event loop."""
        assert self.demo is not None
        try:
            name = self.demo.scenario
        except Exception as error:
            name = f"? ({type(error).__name__})"
        self.call_from_thread(self._scenario_known, name)

    def _scenario_known(self, name: str) -> None:
        self.demo_scenario = name
        self.data_updated.publish("demo")

    async def on_unmount(self) -> None:
        await self.poller.stop()
        await self.gateway.close()

    # ---- actions -------------------------------------------------------------------------------

    async def action_refresh(self) -> None:
        await self.poller.refresh_now()

    async def action_set_window(self, name: str) -> None:
        if name not in metrics_catalog.WINDOWS or name == self.window:
            return
        self.window = name
        self.data_updated.publish(METRICS)
        await self.poller.refresh_now([METRICS])

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.key_list()))

    def key_list(self) -> list[tuple[str, str]]:
        """Every binding active on the current screen (app's included), as (key, description)."""
        own = {b.action: b.description for b in self.BINDINGS if isinstance(b, Binding)}
        rows: dict[str, tuple[list[str], str]] = {}
        for active in self.screen.active_bindings.values():
            if not active.enabled:
                continue
            binding = active.binding
            action = binding.action.removeprefix("app.")
            description = own.get(action) or binding.description or action
            if binding.tooltip and not binding.tooltip.lower().startswith(description.lower()):
                description = f"{description} — {binding.tooltip}"
            keys, description = rows.setdefault(action, ([], description))
            display = self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        return [(", ".join(keys), description) for keys, description in rows.values()]

    def action_open_logs(self) -> None:
        if not isinstance(self.screen, LogScreen):
            self.push_screen(LogScreen(self.log_feed, context=self.context))

    def action_error_summary(self) -> None:
        """S05 from anywhere; choosing a message opens the log view filtered to it."""
        if isinstance(self.screen, ErrorSummaryScreen):
            return
        summary = ErrorSummaryScreen(self.gateway, self.config.service.log_group, clock=lambda: self.now().timestamp())
        self.push_screen(summary, self._filter_logs_to)

    def _filter_logs_to(self, message: str | None) -> None:
        if not message:
            return
        if not isinstance(self.screen, LogScreen):
            self.push_screen(LogScreen(self.log_feed, context=self.context))
        screen = self.screen
        assert isinstance(screen, LogScreen)
        screen.filter_to_message(message)

    def action_next_theme(self) -> None:
        names = list(self.kojan_themes)
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        self.notify(f"theme {self.theme}", timeout=2, markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_scenario":
            return self.demo is not None
        return True

    def action_pick_scenario(self) -> None:
        if self.demo is None:
            return
        self.search_commands(
            [(f"{s.name} — {s.description}", partial(self.switch_scenario, s.name)) for s in self.demo.scenarios()],
            placeholder="Demo scenario…",
        )

    def switch_scenario(self, name: str) -> None:
        self._set_scenario(name)

    @work(thread=True, exclusive=True, group="demo-scenario")
    def _set_scenario(self, name: str) -> None:
        """Blocking HTTP to the embedded AWS, in a thread; then refresh every source."""
        assert self.demo is not None
        try:
            self.demo.set_scenario(name)
        except Exception as error:  # the embedded AWS gone or refusing: say so, keep running
            self.call_from_thread(self.notify, f"demo scenario {name}: {error}", severity="error", markup=False)
            return
        self.call_from_thread(self._scenario_switched, name)

    async def _scenario_switched(self, name: str) -> None:
        self.demo_scenario = name
        self.notify(f"demo scenario: {name}", timeout=3, markup=False)
        self.data_updated.publish("demo")
        await self.poller.refresh_now()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """(title, help, callback) for the command palette: every screen and action."""
        commands: list[tuple[str, str, Callable[[], Any]]] = [
            ("Dashboard", "The live dashboard", lambda: self.switch_to_dashboard()),
            ("Keys (help)", "Every key of this screen", self.action_help),
            ("Refresh now", "Poll every source at once", self.action_refresh),
            ("Logs", "The log tail full screen (filter, presets, range, copy, save)", self.action_open_logs),
            ("Error summary (S05)", "ERROR lines counted by message over 1 h / 24 h", self.action_error_summary),
        ]
        for name in metrics_catalog.WINDOWS:
            commands.append((f"Chart window: {name}", f"Charts over the last {name}", partial(self.action_set_window, name)))
        for name in self.kojan_themes:
            commands.append((f"Theme: {name}", "Switch the colour theme", partial(setattr, self, "theme", name)))
        if self.demo is not None:
            for scenario in self.demo.scenarios():
                commands.append(
                    (f"Demo scenario: {scenario.name}", scenario.description, partial(self.switch_scenario, scenario.name))
                )
        commands.append(("Quit", "Leave kojan-tui", self.action_quit))
        return commands

    def switch_to_dashboard(self) -> None:
        while len(self.screen_stack) > 2 and not isinstance(self.screen, DashboardScreen):
            self.pop_screen()
