"""Issue 26: the fleet screen — one row per service (environment, verdict, the six S03 levels, S25, rollout),
worst first; Enter opens that service's dashboard. ``:`` opens it from anywhere; the palette switches service.

A fleet runs the app on one service at a time (every existing screen, unchanged, for that service): opening
another service ends this app with ``app.fleet.next_key`` set, and the command starts the app again on it
(``cli._run_app``). The fleet poll (``sources.fleet``) runs beside the open service's own sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kojan_tui.core.config import Config
from kojan_tui.core.fleet import FleetRow
from kojan_tui.core.fleet_config import fleet_of, member_of
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.levels import Level
from kojan_tui.core.logtext import make_visible
from kojan_tui.ui.capabilities import Capability, PaletteCommand
from kojan_tui.ui.screens.speaks import SpeaksLanguage
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.environment import environment_badge

FLEET_KEY = "colon"
LEVEL_WORDS = {Level.ALERT: N_("ALERT"), Level.WARNING: N_("WARN"), Level.UNKNOWN: N_("NO DATA"), Level.OK: N_("OK")}
LEVEL_STYLES = {Level.ALERT: "bold red", Level.WARNING: "bold yellow", Level.UNKNOWN: "dim", Level.OK: "green"}
SYMBOLS = {Level.ALERT: "✖", Level.WARNING: "▲", Level.UNKNOWN: "?", Level.OK: "✓"}


@dataclass
class FleetHome:
    """What a fleet app knows beyond its one service: the whole fleet's config, whether the fleet screen is its
    home at start, production's write rule, and which service the user asked to open next."""

    config: Config  # the whole fleet (the app's own config is the open service's)
    current: str  # environment/service of the open one
    home: bool = True  # start on the fleet screen (False: started on a chosen service's dashboard)
    allow_production_writes: bool = False
    next_key: str | None = None  # set when the user opened another service: the command restarts on it
    source: Any = None  # the FleetSource, once installed
    screens: list[Any] = field(default_factory=list)


class FleetScreen(SpeaksLanguage, Screen[None]):
    DEFAULT_CSS = """
    FleetScreen { layout: vertical; }
    FleetScreen #fleet-summary { height: auto; padding: 0 1; color: $text-muted; }
    FleetScreen DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "close", N_("Dashboard"))]

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.kojan = app
        self.home: FleetHome = app.fleet
        self.language = app.config.ui.language
        self.rows: list[FleetRow] = []

    def compose(self) -> ComposeResult:
        yield ContextBar()
        yield Static(id="fleet-summary")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="fleet-table")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.home.screens.append(self)
        table = self.query_one(DataTable)
        tr_ = self.language
        for title in (
            tr("environment", tr_),
            tr("service", tr_),
            tr("level", tr_),
            tr("verdict", tr_),
            "p99",
            "5XX",
            "ECS CPU",
            "ECS mem",
            "RDS CPU",
            "RDS disk",
            "S25",
            tr("rollout", tr_),
        ):
            table.add_column(title)
        self.query_one(ContextBar).show(self.kojan.services.context())
        source = self.home.source
        self.show(source.rows if source is not None else [])
        table.focus()

    def on_unmount(self) -> None:
        if self in self.home.screens:
            self.home.screens.remove(self)

    def show(self, rows: list[FleetRow]) -> None:
        """The rows, worst first, the cursor kept on the service it was on."""
        self.rows = rows
        table = self.query_one(DataTable)
        selected = self.selected_key()
        table.clear()
        language = self.language
        for row in rows:
            table.add_row(*self.cells(row), key=row.member.key)
        if selected is not None and any(r.member.key == selected for r in rows):
            table.move_cursor(row=[r.member.key for r in rows].index(selected))
        self.query_one(ContextBar).show(self.kojan.services.context())
        counts = {level: sum(1 for r in rows if r.level is level) for level in LEVEL_WORDS}
        if rows:
            summary = tr("{n} services · {alert} ALERT · {warn} WARN · {unknown} NO DATA · {ok} OK", language).format(
                n=len(rows),
                alert=counts[Level.ALERT],
                warn=counts[Level.WARNING],
                unknown=counts[Level.UNKNOWN],
                ok=counts[Level.OK],
            )
        else:
            summary = tr("{n} services · first fleet poll running", language).format(n=len(fleet_of(self.home.config)))
        hint = tr("Enter: open its dashboard · Escape: the open service ({key})", language).format(key=self.home.current)
        self.query_one("#fleet-summary", Static).update(Text(f"{summary}   {make_visible(hint)}"))

    def cells(self, row: FleetRow) -> tuple[Text, ...]:
        language = self.language
        name = Text(make_visible(row.member.service.name), style="bold" if row.member.key == self.home.current else "")
        level = Text(f"{SYMBOLS[row.level]} {tr(LEVEL_WORDS[row.level], language)}", style=LEVEL_STYLES[row.level])
        verdict = Text(make_visible(row.verdict_text[:40]), style=LEVEL_STYLES[row.verdict])
        metrics = [Text(f"{SYMBOLS[lv]} {make_visible(text)}", style=LEVEL_STYLES[lv]) for _, lv, text in row.levels]
        s25 = (
            Text(f"✖ {make_visible('; '.join(row.rollback))[:40]}", style="bold red")
            if row.rollback
            else Text(tr("none holds", language) if row.verdict is not Level.UNKNOWN else "?", style="dim")
        )
        rollout = Text(make_visible(row.rollout) or "?", style="dim" if not row.rollout else "")
        return (environment_badge(row.member.environment), name, level, verdict, *metrics, s25, rollout)

    def selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row].member.key

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            open_member(self.kojan, str(event.row_key.value))

    def action_close(self) -> None:
        self.dismiss(None)


def open_member(app: Any, key: str) -> None:
    """Open ``key``'s dashboard: the open service's is under this screen; another one restarts the app on it."""
    home: FleetHome = app.fleet
    if key == home.current:
        while isinstance(app.screen, FleetScreen):
            app.pop_screen()
        return
    from kojan_tui.ui.screens.quit_confirm import unfinished_lines

    if unfinished_lines(app.services):  # a mutation in flight or watched belongs to the open service
        app.notify(
            tr("Finish or quit the open service's change first: {key} has a mutation in flight", app.config.ui.language).format(
                key=home.current
            ),
            severity="warning",
            markup=False,
        )
        return
    home.next_key = key
    app.exit()


def open_fleet(app: Any) -> None:
    if getattr(app, "fleet", None) is None:  # a config of one service has no fleet to show
        app.notify(tr("This config names one service: there is no fleet to show", app.config.ui.language), markup=False)
        return
    if not isinstance(app.screen, FleetScreen):
        app.push_screen(FleetScreen(app))


def install(app: Any) -> None:
    """Once on mount: the fleet poll beside the open service's sources, and the fleet screen when it is home."""
    home: FleetHome | None = getattr(app, "fleet", None)
    if home is None:
        return
    from kojan_tui.sources.fleet import FleetSource

    home.source = FleetSource(app.gateway, home.config, clock=app.now, on_change=lambda rows: _delivered(home, rows))
    home.source.register(app.poller)
    if home.home:
        open_fleet(app)


def _delivered(home: FleetHome, rows: list[FleetRow]) -> None:
    for screen in list(home.screens):
        screen.show(rows)


def commands(app: Any) -> list[PaletteCommand]:
    home: FleetHome = app.fleet
    language = app.config.ui.language
    entries = [
        PaletteCommand(tr("Fleet", language), tr("Every service of the fleet, worst first", language), lambda: open_fleet(app))
    ]
    for member in fleet_of(home.config):
        if member.key != home.current:
            entries.append(
                PaletteCommand(
                    tr("Switch service: {key}", language).format(key=member.key),
                    tr("Open the dashboard of {key}", language).format(key=member.key),
                    lambda key=member.key: open_member(app, key),
                )
            )
    return entries


def current_key(config: Config) -> str:
    return member_of(config).key


FLEET = Capability(
    name="fleet",
    description=N_("Fleet"),
    open=open_fleet,
    key=FLEET_KEY,
    tooltip="every service of the fleet, worst first; Enter opens one",
    commands=commands,
    enabled=lambda app: getattr(app, "fleet", None) is not None,
    install=install,
)
