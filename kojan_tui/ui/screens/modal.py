"""The one modal frame every dialog shares: centred, a bordered box (``.modal-frame``) on the dimmed screen.

Subclasses put their content in a container with ``classes="modal-frame"`` (``-narrow`` for a small box).
"""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

from kojan_tui.core.i18n import N_
from kojan_tui.ui.error_policy import SurvivesHandlerErrors
from kojan_tui.ui.screens.speaks import SpeaksLanguage

ResultType = TypeVar("ResultType")


class FramedModal(SpeaksLanguage, SurvivesHandlerErrors, ModalScreen[ResultType]):
    # A modal screen hides the app's bindings: `?` lists this screen's keys, as it does on the dashboard.
    BINDINGS = [Binding("question_mark", "app.help", N_("Keys"), show=False)]
    DEFAULT_CSS = """
    FramedModal {
        align: center middle;
        & > .modal-frame {
            width: 90%;
            height: 80%;
            background: $surface;
            border: thick $primary;
            border-title-color: $primary;
            padding: 0 1;
        }
        & > .modal-frame.-narrow { width: 72; max-width: 95%; height: auto; max-height: 90%; border: round $primary; }
    }
    """
