"""The typed confirmation every mutating action goes through: says what will happen, asks for a typed word.

``ConfirmationDialog(Confirmation(...), run)`` runs ``run()`` once the typed text matches exactly and
dismisses with its result (``None``: cancelled). Escape cancels; Enter while ``run`` is in flight does
nothing; with ``disabled_reason`` set (read-only mode) nothing can confirm it, by key, palette or mouse.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.ui.language import ui_language_of
from kojan_tui.ui.screens.modal import FramedModal


@dataclass(frozen=True)
class Confirmation:
    """What a dialog asks: a title, what will happen (plain lines or a renderable), the word to type."""

    title: str  # e.g. "Roll back kojan-map-business"
    what_happens: Sequence[str] | RenderableType
    expected: str  # the text the engineer must type exactly (the service name, the parameter name…)
    confirm_label: str = N_("Confirm")  # shown through ``tr``: a label in English is translated when it is a message
    disabled_reason: str | None = None  # e.g. "read-only mode": shown, and nothing can confirm


class ConfirmationDialog(FramedModal[Any]):
    """A typed confirmation; dismisses with ``run()``'s result once confirmed, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    ConfirmationDialog {
        /* The explanation scrolls; the controls are docked at the bottom of the box, so at any terminal size
           (80x24 with a long diff) the input, both buttons and why OK is disabled stay on screen. */
        #confirm-scroll { height: auto; max-height: 100%; }
        #confirm-controls { dock: bottom; height: auto; }
        #confirm-what { height: auto; margin-bottom: 1; }
        #confirm-prompt { height: auto; }
        #confirm-status { height: auto; color: $text-muted; }
        #confirm-status.-error { color: $text-error; }
        #confirm-disabled { height: auto; color: $text-warning; text-style: bold; }
        #confirm-buttons { height: auto; align-horizontal: right; margin-top: 1; }
        #confirm-buttons Button { margin-left: 1; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, confirmation: Confirmation, run: Callable[[], Awaitable[Any]] | None = None) -> None:
        super().__init__()
        self.confirmation = confirmation
        self.run = run
        self.in_flight = False
        self.runs = 0  # how many times ``run`` was started (tests: a double Enter starts it once)

    @property
    def disabled(self) -> bool:
        return self.confirmation.disabled_reason is not None

    @property
    def language(self) -> str:
        return ui_language_of(self.app)

    def compose(self) -> ComposeResult:
        say = self.language
        with Vertical(classes="modal-frame -narrow") as box:
            box.border_title = Text(make_visible(self.confirmation.title))  # AWS names: never markup
            with VerticalScroll(id="confirm-scroll"):
                yield Static(self._what_happens(), id="confirm-what")
            with Vertical(id="confirm-controls"):
                if self.disabled:
                    reason = make_visible(self.confirmation.disabled_reason or "")
                    yield Static(Text(tr("✖ Disabled: {reason}", say).format(reason=reason)), id="confirm-disabled")
                before, _, after = tr("Type {word} to confirm:", say).partition("{word}")
                prompt = Text(before)
                prompt.append(make_visible(self.confirmation.expected), style="bold")
                prompt.append(after)
                yield Static(prompt, id="confirm-prompt")
                yield Input(placeholder=make_visible(self.confirmation.expected), id="confirm-input", disabled=self.disabled)
                yield Static(id="confirm-status")
                with Horizontal(id="confirm-buttons"):
                    yield Button(tr("Cancel", say), id="confirm-cancel")
                    yield Button(tr(self.confirmation.confirm_label, say), id="confirm-ok", variant="error", disabled=True)

    def _what_happens(self) -> RenderableType:
        what = self.confirmation.what_happens
        if isinstance(what, (list, tuple)):
            return Group(*(Text(make_visible(line)) for line in what))
        return what  # type: ignore[return-value]

    def on_mount(self) -> None:
        if not self.disabled:
            self.query_one("#confirm-input", Input).focus()
        else:
            self.query_one("#confirm-cancel", Button).focus()

    @property
    def typed(self) -> str:
        return self.query_one("#confirm-input", Input).value

    @property
    def matches(self) -> bool:
        return self.typed == self.confirmation.expected

    @on(Input.Changed, "#confirm-input")
    def _typed_changed(self) -> None:
        self.query_one("#confirm-ok", Button).disabled = self.disabled or self.in_flight or not self.matches
        self._status("")

    @on(Input.Submitted, "#confirm-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#confirm-ok")
    def _ok_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#confirm-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_confirm(self) -> None:
        """Confirm if allowed: never when disabled, never twice, never on a near-miss of the typed text."""
        if self.in_flight:
            return
        if self.disabled:
            self._status(tr("Not possible: {reason}", self.language).format(reason=self.confirmation.disabled_reason), error=True)
            return
        if not self.matches:
            self._status(
                tr("Type {word} exactly to confirm (nothing was sent).", self.language).format(
                    word=repr(self.confirmation.expected)
                ),
                error=True,
            )
            return
        self.in_flight = True
        self.runs += 1
        self.query_one("#confirm-ok", Button).disabled = True
        self.query_one("#confirm-input", Input).disabled = True
        self.query_one("#confirm-cancel", Button).disabled = True
        self._status(tr("Sending…", self.language))
        self._execute()

    @work(group="confirmation")
    async def _execute(self) -> None:
        try:
            result = True if self.run is None else await self.run()
        except Exception as error:  # an unexpected failure: shown, the dialog stays (a new Enter is deliberate)
            self.in_flight = False
            self.query_one("#confirm-input", Input).disabled = False
            self.query_one("#confirm-cancel", Button).disabled = False
            self._typed_changed()
            self._status(tr("Failed: {kind}: {error}", self.language).format(kind=type(error).__name__, error=error), error=True)
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        if self.in_flight:  # the request is out: wait for its answer rather than lose it
            self._status(tr("Sending… the answer is awaited; it cannot be cancelled now.", self.language))
            return
        self.dismiss(None)

    def _status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#confirm-status", Static)
        status.set_class(error, "-error")
        status.update(Text(make_visible(message)))
