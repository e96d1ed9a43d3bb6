"""KojanApp: the wiring. It builds the sources, the poller, the event bus and the audited actions, publishes
one frozen ``DashboardState`` whenever anything changes, and routes keys to screens and capabilities.

It holds no AWS call, time window or filter pattern: those live in ``kojan_tui.sources``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any, Protocol

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from kojan_tui.actions.audit_copy import audit_copy_for
from kojan_tui.actions.audited import AuditedActions
from kojan_tui.actions.lifecycle import Lifecycles
from kojan_tui.aws.protocol import Gateway
from kojan_tui.core.alerts import AlertTracker, AlertUpdate
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.clock import Clock, utc_now
from kojan_tui.core.config import Config
from kojan_tui.core.dashboard import DashboardData, build_view
from kojan_tui.core.endpoints import endpoint_label
from kojan_tui.core.events import EventBus, alert_events
from kojan_tui.core.fleet_config import environment_of
from kojan_tui.core.freshness import SourceFreshness
from kojan_tui.core.i18n import LANGUAGES, N_, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.state import AppContext, DashboardState, SourceName, freeze_freshness
from kojan_tui.core.windows import WINDOWS
from kojan_tui.sources.dashboard import DashboardSources
from kojan_tui.sources.poller import Poller
from kojan_tui.sources.rollout import RolloutWatch
from kojan_tui.store.database import LazyDatabase
from kojan_tui.store.mutations import SqliteMutations
from kojan_tui.ui.capabilities import PaletteCommand
from kojan_tui.ui.commands import KojanCommands
from kojan_tui.ui.error_policy import ErrorPolicy, SurvivesHandlerErrors, database_problem_text, strict_errors
from kojan_tui.ui.language import LANGUAGE_NAMES, with_language
from kojan_tui.ui.notifier import AlertNotifier
from kojan_tui.ui.registry import CAPABILITIES
from kojan_tui.ui.screens.dashboard import DashboardScreen
from kojan_tui.ui.screens.help import HelpScreen
from kojan_tui.ui.services import AppServices, StateChannel
from kojan_tui.ui.themes import DEFAULT_THEME, load_themes


class Demo(Protocol):
    scenario: str

    def scenarios(self) -> list[Any]: ...  # objects with .name and .description

    def set_scenario(self, name: str) -> None: ...  # blocking HTTP


# Textual's own bindings' words that the footer and the keys help show: in the catalog, so they follow the language.
TEXTUAL_WORDS = (N_("Quit the app and return to the command prompt."),)


class KojanApp(SurvivesHandlerErrors, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "kojan-tui"
    COMMANDS = App.COMMANDS | {KojanCommands}
    BINDINGS = [  # descriptions are English message ids: the footer and the keys screen show them translated
        Binding("q", "quit", N_("Quit")),
        Binding("r", "refresh", N_("Refresh now")),
        Binding("question_mark", "help", N_("Keys")),
        Binding("slash", "command_palette", N_("Commands")),
        Binding("ctrl+p", "command_palette", N_("Commands"), show=False),
        Binding("t", "next_theme", N_("Theme")),
        Binding("tab", "focus_next", N_("Next panel"), show=False),
        Binding("shift+tab", "focus_previous", N_("Previous panel"), show=False),
    ]

    def __init__(
        self,
        config: Config,
        gateway: Gateway,
        *,
        demo: Demo | None = None,
        clock: Clock | None = None,
        audit: AuditTrail | None = None,
        database: LazyDatabase | None = None,
        notices: tuple[str, ...] = (),  # lines the command printed before the screen opened (an ignored config)
        fleet: Any = None,  # issue 26: a FleetHome (ui/screens/fleet.py) when the config names several services
    ) -> None:
        super().__init__()
        self.config = config
        self.fleet = fleet
        self.gateway = gateway
        self.demo = demo
        self.demo_scenario: str | None = "…" if demo is not None else None  # cached: demo.scenario is HTTP
        self._endpoint = endpoint_label(gateway.endpoint_settings())  # the context bar's (None: AWS's own)
        self.error_policy = ErrorPolicy(language=config.ui.language)
        database = database or LazyDatabase(None)
        database.on_problem = self._database_problem
        self.now: Clock = clock or utc_now
        self.events = EventBus(on_error=lambda error: self.log.error(f"event listener: {error!r}"))
        self.alerts = AlertTracker(clear_after_seconds=config.alerts.clear_after_seconds)
        self.sources = DashboardSources(gateway, config, clock=self.now, on_change=self._data_changed)
        self.poller = Poller(clock=self.now, on_freshness=self._source_polled, on_internal_error=self._internal_error)
        self.sources.register(self.poller)
        self.log_feed = self.sources.log_feed
        data = self.sources.data
        view = build_view(data, config, self.now())
        trail = audit or AuditTrail()
        copy = audit_copy_for(gateway, config.audit.log_group, trail, read_only=config.ui.read_only, on_warning=self._warn)
        actions = AuditedActions(
            gateway, trail, read_only=config.ui.read_only, profile=config.aws.profile, region=config.aws.region, copy=copy
        )
        rollout = RolloutWatch(
            gateway,
            config,
            self.poller,
            clock=self.now,
            state=lambda: self.services.state.current,
            record=lambda request, outcome, extra: lifecycles.watch_ended(request, outcome, extra),
            on_change=lambda _status: self._publish("rollout"),
        )
        database = database or LazyDatabase(None)
        lifecycles = Lifecycles(
            actions,
            clock=self.now,
            store=SqliteMutations(database),
            deploy_watch=rollout,
            language=config.ui.language,
            export_interval_s=config.actions.watch_seconds,
            on_change=lambda: self._publish("lifecycles"),
        )
        self.services = AppServices(
            config=config,
            gateway=gateway,
            clock=self.now,
            log_feed=self.log_feed,
            state=StateChannel(self, DashboardState(data, view, AlertUpdate((), ()), self._app_context())),
            events=self.events,
            actions=actions,
            database=database,
            demo=demo,
            rollout=rollout,
            lifecycles=lifecycles,
        )
        self.notifier = AlertNotifier(self, config.ui, self.events, current_settings=lambda: self.config.ui)
        self.kojan_themes = load_themes()
        for theme in self.kojan_themes.values():
            self.register_theme(theme)
        self.theme = config.ui.theme if config.ui.theme in self.available_themes else DEFAULT_THEME
        self._startup_warnings: list[str] = [make_visible(notice) for notice in notices]
        if self.theme != config.ui.theme:
            known = ", ".join(self.kojan_themes)
            self._startup_warnings.append(
                tr("unknown theme {theme}; using {default} (known: {known})", config.ui.language).format(
                    theme=repr(config.ui.theme), default=DEFAULT_THEME, known=known
                )
            )
        for capability in CAPABILITIES:
            if capability.key:  # a capability's own key, with its tooltip for the help screen
                binding = Binding(
                    capability.key,
                    f"open('{capability.name}')",
                    capability.description,
                    show=capability.show_in_footer,
                    tooltip=capability.tooltip,
                )
                self._bindings.key_to_bindings.setdefault(capability.key, []).append(binding)
        for key in ("t", "tab", "shift+tab"):  # keep the footer's order: screens first, then the theme
            self._bindings.key_to_bindings[key] = self._bindings.key_to_bindings.pop(key)
        self._binding_words: dict[tuple[str, str], tuple[str, str]] = {}  # (key, action) → English (description, tooltip)
        self._word_bindings(config.ui.language)

    @property
    def state(self) -> DashboardState:
        return self.services.state.current

    @property
    def read_only(self) -> bool:
        return self.config.ui.read_only or bool(getattr(self.gateway, "read_only", False))

    # ---- the published state ------------------------------------------------------------------

    def _data_changed(self, data: DashboardData, source: SourceName) -> None:
        """A source delivered: recompute the view and tell the bus what fired or cleared."""
        state = self.state
        now = self.now()
        view = build_view(data, self.config, now)
        alerts = self.alerts.update(view.alert_inputs(), now)
        self.services.state.current = DashboardState(data, view, alerts, self._app_context(), state.freshness, source)
        self.events.publish_all(alert_events(state.view.rollback, view.rollback, alerts, now))

    def _source_polled(self, name: str, _freshness: SourceFreshness) -> None:
        self._publish(name)

    def _publish(self, changed: str) -> None:
        state = self.state
        freshness = freeze_freshness({n: s.freshness for n, s in self.poller.sources.items()})
        self.services.state.publish(
            DashboardState(self.sources.data, state.view, state.alerts, self._app_context(), freshness, changed)
        )

    def _app_context(self) -> AppContext:
        identity = self.sources.data.identity
        return AppContext(
            profile=self.config.aws.profile,
            account=identity.account if identity else None,
            region=self.config.aws.region,
            cluster=self.config.service.cluster,
            service=self.config.service.name,
            read_only=self.read_only,
            demo_scenario=self.demo_scenario,
            window=self.sources.window,
            config_source=self.config.source,
            endpoint=self._endpoint,
            environment=environment_of(self.config),
        )

    def _internal_error(self, name: str, error: BaseException) -> None:
        self.log.error(f"source {name}: {error!r}")
        if self.poller.freshness(name).consecutive_failures == 1:  # once per run of failures, not every poll
            text = tr("{source}: internal error {kind} (see the log)", self.config.ui.language)
            self.notify(text.format(source=name, kind=type(error).__name__), severity="error", markup=False)

    def _warn(self, text: str) -> None:
        """A warning from a background job (the audit copy): AWS text shown as text, never as markup."""
        self.log.warning(text)
        self.notify(make_visible(text), severity="warning", markup=False, timeout=10)

    # ---- the one error policy (ui/error_policy.py) -------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Textual's hook for an exception nothing caught (a worker, a handler, a render): shown, logged once,
        the app goes on. Before the app runs, or under ``KOJAN_STRICT_ERRORS=1`` (tests), Textual's exit."""
        if strict_errors() or not self.is_running:
            super()._handle_exception(error)
            return
        shown = self.error_policy.handle(error)
        if shown is not None:
            self.notify(shown, severity="error", markup=False, timeout=15)

    def _database_problem(self, problem: str) -> None:
        """The database file cannot be used (corrupt, newer schema, unreadable): named, untouched, run goes on."""
        self.log.error(f"database: {problem}")
        self.notify(database_problem_text(problem, self.config.ui.language), severity="error", markup=False, timeout=20)

    def _fatal_error(self) -> None:
        """Textual's fatal exit, with a crash dump that never prints local variables (they can hold secrets)."""
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        dump = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(Segments(self.console.render(dump, self.console.options)))
        self._close_messages_no_wait()

    # ---- lifecycle -----------------------------------------------------------------------------

    def base_screen(self) -> Screen:
        """The screen under every other one: the dashboard (tests of one screen mount a blank one instead)."""
        return DashboardScreen(self.services)

    def on_mount(self) -> None:
        self.push_screen(self.base_screen())
        self.poller.start()
        for capability in CAPABILITIES:
            if capability.install is not None:
                capability.install(self)
        for warning in self._startup_warnings:
            self.notify(warning, severity="warning", markup=False, timeout=20)  # read before the first poll ends
        if self.demo is not None:
            self._read_scenario()
        self._resume_mutations()

    @work(group="lifecycles-resume", exit_on_error=False)
    async def _resume_mutations(self) -> None:
        """What the last run left unfinished (a crash, kill or quit): shown, read back, settled or watched."""
        lifecycles = self.services.lifecycles
        assert lifecycles is not None
        resumed = await lifecycles.resume()
        if resumed:
            language = self.config.ui.language
            listed = "; ".join(make_visible(lc.describe) for lc in resumed)
            text = tr("Unfinished from the last run: {listed} — reading the state back to settle it", language).format(
                listed=listed
            )
            self.notify(text, severity="warning", markup=False, timeout=30)

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
        self._publish("context")

    async def on_unmount(self) -> None:
        if self.services.lifecycles is not None:
            await self.services.lifecycles.close()
        await self.poller.stop()
        await self.sources.close()
        if self.services.actions.copy is not None:
            await self.services.actions.copy.close()
        await self.gateway.close()
        if self.services.database is not None:
            await self.services.database.close()

    # ---- actions -------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """``q`` / ``ctrl+q``: with a mutation in flight or watched, ask first (it would be resumed at the next start)."""
        from kojan_tui.ui.screens.quit_confirm import QuitConfirmation, unfinished_lines

        lines = unfinished_lines(self.services)
        if not lines:
            self.exit()
            return
        if isinstance(self.screen, QuitConfirmation):
            return
        self.push_screen(QuitConfirmation(lines, self.config.ui.language), lambda leave: self.exit() if leave else None)

    async def action_refresh(self) -> None:
        await self.poller.refresh_now()

    async def action_set_window(self, name: str) -> None:
        if self.sources.set_window(name):
            self._publish("context")
            await self.poller.refresh_now([SourceName.METRICS])

    def action_open(self, name: str) -> None:
        """Open a capability's screen (keys and palette entries come from ``ui/registry.py``)."""
        capability = next((c for c in CAPABILITIES if c.name == name), None)
        if capability is not None and capability.enabled(self):
            capability.open(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open" and parameters:
            capability = next((c for c in CAPABILITIES if c.name == parameters[0]), None)
            return capability is not None and capability.enabled(self)
        return True

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.key_list()))

    def _word_bindings(self, language: str) -> None:
        """The app's own keys (and the capabilities' it binds) described in ``language`` in the footer."""
        for key, bindings in self._bindings.key_to_bindings.items():
            worded = []
            for binding in bindings:
                english = self._binding_words.setdefault((key, binding.action), (binding.description, binding.tooltip))
                worded.append(replace(binding, description=tr(english[0], language), tooltip=tr(english[1], language)))
            self._bindings.key_to_bindings[key] = worded

    def key_list(self) -> list[tuple[str, str]]:
        """Every binding active on the current screen (app's included), as (key, description), in the UI language
        (a description that is a message of the catalog is translated)."""
        say = self.config.ui.language
        own = {b.action: tr(b.description, say) for b in self.BINDINGS if isinstance(b, Binding)}
        rows: dict[str, tuple[list[str], str]] = {}
        for active in self.screen.active_bindings.values():
            if not active.enabled:
                continue
            binding = active.binding
            action = binding.action.removeprefix("app.")
            description = own.get(action) or tr(binding.description, say) or action
            tooltip = tr(binding.tooltip, say) if binding.tooltip else ""
            if tooltip and not tooltip.lower().startswith(description.lower()):
                description = f"{description} — {tooltip}"
            keys, description = rows.setdefault(action, ([], description))
            display = self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        return [(", ".join(keys), description) for keys, description in rows.values()]

    def action_next_theme(self) -> None:
        names = list(self.kojan_themes)
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        self.notify(tr("theme {name}", self.config.ui.language).format(name=self.theme), timeout=2, markup=False)

    def switch_scenario(self, name: str) -> None:
        self._set_scenario(name)

    @work(thread=True, exclusive=True, group="demo-scenario")
    def _set_scenario(self, name: str) -> None:
        """Blocking HTTP to the embedded AWS, in a thread; then refresh every source."""
        assert self.demo is not None
        try:
            self.demo.set_scenario(name)
        except Exception as error:  # the embedded AWS gone or refusing: say so, keep running
            text = tr("demo scenario {name}: {error}", self.config.ui.language).format(name=name, error=error)
            self.call_from_thread(self.notify, text, severity="error", markup=False)
            return
        self.call_from_thread(self._scenario_switched, name)

    async def _scenario_switched(self, name: str) -> None:
        self.demo_scenario = name
        self.notify(tr("demo scenario: {name}", self.config.ui.language).format(name=name), timeout=3, markup=False)
        self._publish("context")
        await self.poller.refresh_now()

    def palette_commands(self) -> list[PaletteCommand]:
        """The command palette: the app's own commands, then every enabled capability's (each found in both
        languages: ``ui/commands.py``)."""
        say = self.config.ui.language

        def own(title: str, help_text: str, callback: Any, **values: str) -> PaletteCommand:
            shown = tr(title, say).format(**values)
            other = tr(title, "en" if say == "ja" else "ja").format(**values)
            return PaletteCommand(shown, tr(help_text, say).format(**values), callback, keywords=other)

        commands = [
            own(N_("Dashboard"), N_("The live dashboard"), self.switch_to_dashboard),
            own(N_("Keys (help)"), N_("Every key of this screen"), self.action_help),
            own(N_("Refresh now"), N_("Poll every source at once"), self.action_refresh),
        ]
        for name in WINDOWS:
            commands.append(
                own(
                    N_("Chart window: {name}"),
                    N_("Charts over the last {name}"),
                    partial(self.action_set_window, name),
                    name=name,
                )
            )
        for name in self.kojan_themes:
            commands.append(
                own(N_("Theme: {name}"), N_("Switch the colour theme"), partial(setattr, self, "theme", name), name=name)
            )
        for language in LANGUAGES:
            commands.append(
                PaletteCommand(
                    f"Language: {LANGUAGE_NAMES[language]}" if say == "en" else f"言語: {LANGUAGE_NAMES[language]}",
                    tr("Switch the whole UI to {name} (overrides [ui] language until quit)", say).format(
                        name=LANGUAGE_NAMES[language]
                    ),
                    partial(self.set_language, language),
                    keywords=f"Language 言語 language {language} 日本語 English Japanese",
                )
            )
        for capability in CAPABILITIES:
            if capability.enabled(self):
                commands.extend(capability.commands(self))
        commands.append(own(N_("Quit"), N_("Leave kojan-tui"), self.action_quit))
        return commands

    # ---- the UI language (ui/language.py) -------------------------------------------------------

    def set_language(self, language: str) -> None:
        """Switch the whole UI to ``language`` (``ja``/``en``) now: every screen draws its words again."""
        if language == self.config.ui.language:
            return
        config = with_language(self.config, language)
        self.config = config
        self.services.replace_config(config)
        self.error_policy.language = language
        if self.services.lifecycles is not None:
            self.services.lifecycles.language = language
        for extension in self.services.extensions.values():  # the incident recorder words its timeline
            if hasattr(extension, "language"):
                try:
                    extension.language = language
                except AttributeError:
                    pass
        self._data_changed(self.sources.data, SourceName.IDENTITY)  # the view's words (alerts, values) in the language
        for screen in list(self.screen_stack):  # a screen that words things outside the state redraws them itself
            changed = getattr(screen, "language_changed", None)
            if callable(changed):
                changed()
        self._publish("context")  # every panel fed by the state draws again, in the language
        self._word_bindings(language)
        self.refresh_bindings()
        self.notify(tr("Language: {name}", language).format(name=LANGUAGE_NAMES[language]), timeout=3, markup=False)

    def switch_to_dashboard(self) -> None:
        while len(self.screen_stack) > 2 and not isinstance(self.screen, DashboardScreen):
            self.pop_screen()
