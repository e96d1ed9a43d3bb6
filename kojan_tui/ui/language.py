"""The UI language of a running app: read from its config, switched live (``--lang``, ``[ui] language``, the
palette's "Language: 日本語 / English").

Every screen and panel reads ``services.config.ui.language`` (or ``ui_language_of(app)``) when it draws; a switch
(``KojanApp.set_language``) replaces the config's language, recomputes the view (alert titles, values, actions),
calls ``language_changed()`` on each screen in the stack that has one (a screen whose words are set when it is
composed, not fed by the state, redraws them there) and republishes the state, so every panel draws again.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kojan_tui.core.i18n import LANGUAGES, normalize

LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}  # each in its own language: found by who reads either


def ui_language_of(app: Any) -> str:
    """``ja`` or ``en``: the app's configured language (``en`` for an app without a kojan config)."""
    config = getattr(app, "config", None)
    language = getattr(getattr(config, "ui", None), "language", None)
    return normalize(language) if language else "en"


def with_language(config: Any, language: str) -> Any:
    """``config`` with ``[ui] language`` set (``ja`` or ``en``)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (known: {', '.join(LANGUAGES)})")
    return replace(config, ui=replace(config.ui, language=language))
