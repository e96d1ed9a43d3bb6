"""One text in full, wrapped and scrollable (a table cell cuts it): an audit record, an error's example.

The text is untrusted (AWS, log, file text): shown literally as ``Text`` with control characters made visible.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.screens.speaks import language_of


class TextDetailScreen(FramedModal[None]):
    """``TextDetailScreen(title, text)``: ``text`` in full; Escape, Enter or q closes, c copies it."""

    # The scrollbar's column always kept: a text that just fits would otherwise wrap differently once a resize has
    # shown the scrollbar (the layout after a tiny terminal must be the one before it).
    DEFAULT_CSS = "TextDetailScreen > .modal-frame { scrollbar-gutter: stable; }"
    BINDINGS = [Binding("escape,enter,q", "close", N_("Close")), Binding("c", "copy", N_("Copy"))]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-frame") as box:
            box.border_title = make_visible(self.title_text)
            yield Static(Text("\n".join(make_visible(line) for line in self.text.split("\n"))), id="detail-text")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify(tr("Copied ({n:,} characters)", language_of(self.app)).format(n=len(self.text)), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
