"""Trace a request: the fields of one JSON log line to pick from; the pick becomes the log tail's server-side
filter (``core.log_trace`` builds the pattern, or says why it cannot). Values are shown literally, cut to fit.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.log_trace import TraceField
from kojan_tui.core.logtext import make_visible, truncate
from kojan_tui.ui.screens.modal import FramedModal

VALUE_CHARS = 120  # of a value shown in the list (the pattern uses all of it)


def field_label(field: TraceField) -> Text:
    """``request_id = "9f3c…"``: name and value as plain Text (no markup), control characters made visible."""
    text = Text(make_visible(truncate(field.path, 60)), style="bold", no_wrap=True, overflow="ellipsis")
    value = field.value if isinstance(field.value, int) else f'"{truncate(field.value, VALUE_CHARS)}"'
    text.append(" = ")
    text.append(make_visible(str(value)))
    return text


class TracePickerScreen(FramedModal[TraceField | None]):
    """``TracePickerScreen(fields, language)``: dismisses with the field picked, or None."""

    BINDINGS = [Binding("escape,q", "cancel", N_("Cancel"))]
    DEFAULT_CSS = """
    TracePickerScreen #trace-fields { height: auto; max-height: 20; border: none; }
    TracePickerScreen #trace-help { color: $text-muted; }
    """

    def __init__(self, fields: list[TraceField], language: str = "en") -> None:
        super().__init__()
        self.fields = fields
        self.language = language

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame -narrow") as box:
            box.border_title = tr("Trace: filter the tail by one field of this line", self.language)
            yield OptionList(*(Option(field_label(f), id=str(i)) for i, f in enumerate(self.fields)), id="trace-fields")
            yield Static(
                Text(tr("Enter filters the tail server-side by the field's value · Escape cancels", self.language)),
                id="trace-help",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.fields[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
