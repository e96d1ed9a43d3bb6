"""The keys screen: every binding active on the screen below, generated from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from kojan_tui.core.i18n import N_, tr
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.screens.speaks import language_of


class HelpScreen(FramedModal[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", N_("Close"))]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        """``keys``: (key as displayed, what it does), in the order to show."""
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        language = language_of(self.app)
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, description in self.keys:
            table.add_row(Text(key), Text(description))
        scroll = VerticalScroll(
            Static(table, id="help-keys"),
            Static(Text(tr("escape, ? or q closes this screen", language), style="dim")),
            classes="modal-frame -narrow",
        )
        scroll.border_title = tr("Keys", language)
        yield scroll
