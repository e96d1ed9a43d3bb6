"""Acknowledgements (issue 25): "I'm on it" on an alert, who and until when, on every console's alert bar.

Key ``a`` on the dashboard, palette ``Acknowledge alert``: pick the alert, 1–4 for how long, Enter. The
board (``kojan_tui/incidents/acks.py``) is installed on mount and re-reads the store at the service refresh;
with ``[team] table`` the store is the team's DynamoDB table, else this machine's SQLite.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kojan_tui.actions.lifecycle import words
from kojan_tui.core.acks import ACK_CHOICES_MINUTES, DEFAULT_ACK_MINUTES
from kojan_tui.core.alerts import Alert
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.i18n import N_
from kojan_tui.core.logtext import make_visible
from kojan_tui.incidents.acks import AckBoard
from kojan_tui.ui.capabilities import Capability, one_command
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.team_stores import app_stores

EXTENSION = "acks"
MINUTE_LABELS = {15: N_("15 min"), 30: N_("30 min"), 60: N_("60 min"), 120: N_("120 min")}  # the keys 1–4


def board_of(services: AppServices) -> AckBoard | None:
    return services.extensions.get(EXTENSION)


class AcknowledgeScreen(FramedModal[None]):
    BINDINGS = [
        Binding("escape,q", "leave", N_("Back")),
        *(Binding(str(i + 1), f"minutes({m})", MINUTE_LABELS.get(m, f"{m} min")) for i, m in enumerate(ACK_CHOICES_MINUTES)),
    ]
    DEFAULT_CSS = """
    AcknowledgeScreen {
        #ack-list { height: auto; max-height: 12; }
        #ack-how, #ack-message { height: auto; margin-top: 1; }
        #ack-message.-error { color: $text-error; }
    }
    """

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self.language = services.config.ui.language
        self.minutes = DEFAULT_ACK_MINUTES
        self.alerts: tuple[Alert, ...] = services.state.current.alerts.active

    def compose(self) -> ComposeResult:
        say = self.language
        with Vertical(classes="modal-frame -narrow") as box:
            box.border_title = words(say, "アラートに対応中と記録", "Acknowledge an alert")
            board = board_of(self.services)
            labels = board.labels(say) if board else {}
            options = [
                Option(Text.assemble(a.title, " ", make_visible(a.value_text), ("  " + labels.get(a.key, ""), "bold")), id=a.key)
                for a in self.alerts
            ]
            if options:
                yield OptionList(*options, id="ack-list")
            else:
                yield Static(words(say, "発生中のアラートはありません。", "No alert is active."), id="ack-list")
            yield Static(self._how(), id="ack-how")
            yield Static("", id="ack-message")

    def _how(self) -> Text:
        choices = " ".join(f"{i + 1}={m}" for i, m in enumerate(ACK_CHOICES_MINUTES))
        return Text(
            words(
                self.language,
                f"Enter: {self.minutes} 分間「対応中」と記録（{choices} 分で変更）· Esc: 戻る",
                f"Enter: I'm on it for {self.minutes} min ({choices} min to change) · Esc: back",
            )
        )

    def action_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.query_one("#ack-how", Static).update(self._how())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.acknowledge(event.option.id)

    @work(exclusive=True, group="acknowledge")
    async def acknowledge(self, alert_key: str) -> None:
        board = board_of(self.services)
        if board is None:
            return
        message = self.query_one("#ack-message", Static)
        try:
            ack = await board.acknowledge(alert_key, self.minutes)
        except (AwsFailure, OSError) as error:  # the team table (or SQLite) refused: said here, nothing recorded
            message.set_class(True, "-error")
            shown = make_visible(str(error))
            message.update(Text(words(self.language, f"記録できませんでした: {shown}", f"Not recorded: {shown}")))
            return
        self.app.notify(
            words(
                self.language, f"記録しました: {ack.who} {ack.until:%H:%M} まで", f"Recorded: {ack.who} until {ack.until:%H:%M}"
            ),
            markup=False,
        )
        self.dismiss(None)

    def action_leave(self) -> None:
        self.dismiss(None)


def open_acknowledge(app) -> None:
    if not isinstance(app.screen, AcknowledgeScreen):
        app.push_screen(AcknowledgeScreen(app.services))


def install(app) -> None:
    services: AppServices = app.services
    stores = app_stores(services)
    identity = lambda: i.arn if (i := services.state.current.data.identity) is not None else None  # noqa: E731
    board = AckBoard(stores.acks, services.clock, who=identity, team=stores.team)
    services.extensions[EXTENSION] = board
    refresh = lambda: app.run_worker(board.refresh(), group="acks-refresh", exit_on_error=False)  # noqa: E731
    refresh()
    app.set_interval(services.config.refresh.service_seconds, refresh)


ACKNOWLEDGE = Capability(
    name="acknowledge",
    description=N_("Ack"),
    key="a",
    show_in_footer=False,  # the footer is full; ? and the palette list it
    tooltip=N_("I'm on it: record who handles an alert and until when (every console shows it in team mode)"),
    open=open_acknowledge,
    install=install,
    commands=one_command(
        N_("Acknowledge alert"), N_("I'm on it: who handles an alert, until when (shown on the alert bar)"), open_acknowledge
    ),
)
