"""The one worker error policy: an exception no worker, callback or screen caught never ends the app.

It is shown (a literal toast on the screen in front, in the UI language), logged once per kind and place
(the traceback without local variables), and the app goes on. ``KojanApp`` routes Textual's "unhandled
exception" hook here; tests keep Textual's strict behaviour unless they test this policy.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.secret_rule import mask_text

log = logging.getLogger("kojan_tui.ui.errors")
MAX_SHOWN_CHARS = 300
SHOW_AGAIN_AFTER_S = 60.0  # the same error from the same place (a render failing each repaint): one toast a minute

MESSAGE = N_("Internal error ({where}): {kind}: {detail} — the app goes on; details are in the log.")


@dataclass
class ErrorPolicy:
    """Counts what it handled; remembers where each kind of error was already logged."""

    language: str = "ja"
    handled: list[BaseException] = field(default_factory=list)
    _logged: set[tuple[str, str, int]] = field(default_factory=set)
    _shown_at: dict[tuple[str, str, int], float] = field(default_factory=dict)

    def message(self, error: BaseException) -> str:
        """The one line a person reads: where, what, and that the app goes on (literal, secrets masked)."""
        error = unwrap(error)
        frame = _innermost(error)
        where = f"{frame[1].rsplit('/', 1)[-1]}:{frame[2]}" if frame else "?"
        detail = make_visible(mask_text(" ".join(str(error).split())))[:MAX_SHOWN_CHARS]
        return tr(MESSAGE, self.language).format(where=where, kind=type(error).__name__, detail=detail or "-")

    def handle(self, error: BaseException, now: float | None = None) -> str | None:
        """Log (once per kind and place) and return the line to show (None: shown less than a minute ago)."""
        error = unwrap(error)
        self.handled.append(error)
        key = (type(error).__name__, *(_innermost(error) or ("", "", 0))[1:])
        if key not in self._logged:
            self._logged.add(key)
            text = "".join(traceback.format_exception(type(error), error, error.__traceback__))  # no locals
            log.error("uncaught %s in the app (it goes on):\n%s", type(error).__name__, mask_text(text))
        now = time.monotonic() if now is None else now
        if now - self._shown_at.get(key, float("-inf")) < SHOW_AGAIN_AFTER_S:
            return None
        self._shown_at[key] = now
        return self.message(error)


class SurvivesHandlerErrors:
    """A mixin for the app and its screens: Textual ends a message loop on the first exception from a handler
    or callback; this one hands it to the policy (``app._handle_exception``) and keeps the loop running."""

    async def _dispatch_message(self, message: Any) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:
            app = self.app  # type: ignore[attr-defined]
            if strict_errors() or not app.is_running:
                raise
            app._handle_exception(error)


def strict_errors() -> bool:
    """``KOJAN_STRICT_ERRORS=1`` (the test suite sets it): an uncaught exception ends the app, as in Textual."""
    return os.environ.get("KOJAN_STRICT_ERRORS") == "1"


def unwrap(error: BaseException) -> BaseException:
    """The exception a worker raised, not Textual's ``WorkerFailed`` around it."""
    from textual.worker import WorkerFailed

    return error.error if isinstance(error, WorkerFailed) and isinstance(error.error, BaseException) else error


def _innermost(error: BaseException) -> tuple[str, str, int] | None:
    tb = error.__traceback__
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    return code.co_name, code.co_filename, tb.tb_lineno


DATABASE_PROBLEM = N_("Database not used: {problem} — the file is left untouched; incidents and runs are not recorded this run.")


def database_problem_text(problem: str, language: str) -> str:
    return tr(DATABASE_PROBLEM, language).format(problem=make_visible(problem))
