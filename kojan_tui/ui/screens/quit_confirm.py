"""Quitting while a mutation is in flight or watched asks first (ja/en): y quits (the next start resumes it),
n or Escape stays."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from kojan_tui.actions.lifecycle import words
from kojan_tui.core.i18n import N_
from kojan_tui.core.logtext import make_visible
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.services import AppServices


def unfinished_lines(services: AppServices) -> list[str]:
    """One line per mutation that is sent, unknown or watched (empty: quitting loses nothing)."""
    lines: list[str] = []
    if services.lifecycles is not None:
        lines += [lc.describe for lc in services.lifecycles.unfinished()]
    watch = services.rollout
    if watch is not None and watch.active and watch.status is not None and not lines:
        lines.append(watch.status.line(services.clock()))
    return lines


class QuitConfirmation(FramedModal[bool]):
    BINDINGS = [
        Binding("y", "leave", N_("Quit anyway")),
        Binding("n", "stay", N_("Stay")),
        Binding("escape", "stay", N_("Stay")),
        Binding("q", "stay", N_("Stay"), show=False),  # a second q does not quit by accident
    ]

    DEFAULT_CSS = """
    QuitConfirmation {
        #quit-what { height: auto; }
        #quit-keys { height: auto; margin-top: 1; text-style: bold; }
    }
    """

    def __init__(self, lines: list[str], language: str) -> None:
        super().__init__()
        self.lines = lines
        self.language = language

    def compose(self) -> ComposeResult:
        say = self.language
        with Vertical(classes="modal-frame -narrow") as box:
            box.border_title = words(say, "終了しますか？", "Quit now?")
            head = words(
                say,
                "次の変更がまだ終わっていません（送信済み・結果待ち・監視中）:",
                "These changes have not ended (sent, awaiting the outcome, or watched):",
            )
            tail = words(
                say,
                "終了しても AWS 側の処理は続きます。次回の起動時に状態を読み戻して確定し、監視を再開します。",
                "AWS goes on if you quit. The next start reads the state back, settles them and resumes the watch.",
            )
            body = Text(head + "\n")
            for line in self.lines:
                body.append(f"  • {make_visible(line)}\n")
            body.append(tail)
            yield Static(body, id="quit-what")
            yield Static(Text(words(say, "y: 終了する · n / Esc: 続ける", "y: quit anyway · n / Esc: stay")), id="quit-keys")

    def action_leave(self) -> None:
        self.dismiss(True)

    def action_stay(self) -> None:
        self.dismiss(False)
