"""Screens speak the UI language: their bindings' descriptions and tooltips (the footer, the keys help) too.

A screen's ``BINDINGS`` are written in English, marked ``N_("…")`` for the catalog; ``SpeaksLanguage`` puts the
instance's copy of them into the configured language when the screen mounts (the class's stay English, the
message ids), so the footer and ``?`` follow ``[ui] language``. ``language_of`` is where a screen reads it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import Binding, BindingsMap

from kojan_tui.core.i18n import normalize, tr


def language_of(app: Any) -> str:
    """The app's UI language (``ja``/``en``), from its services' config or its own. An app without a config (a
    test's host app for one screen) gets English, the source text."""
    services = getattr(app, "services", None)
    config = getattr(services, "config", None) or getattr(app, "config", None)
    language = getattr(getattr(config, "ui", None), "language", None)
    return "en" if language is None else normalize(language)


def translated(binding: Binding, language: str) -> Binding:
    description = tr(binding.description, language) if binding.description else binding.description
    tooltip = tr(binding.tooltip, language) if binding.tooltip else binding.tooltip
    return replace(binding, description=description, tooltip=tooltip)


def translate_bindings(node: Any, language: str) -> None:
    """``node``'s bindings in ``language`` (again after a switch: always from the class's English ones)."""
    english = type(node)._merged_bindings
    if english is None:
        return
    bindings = BindingsMap()
    bindings.key_to_bindings = {key: [translated(b, language) for b in found] for key, found in english.key_to_bindings.items()}
    node._bindings = bindings
    node.refresh_bindings()


class SpeaksLanguage:
    """Mixed into a screen: its bindings follow the UI language from the moment it mounts."""

    def _on_mount(self, event: Any) -> None:  # Textual calls each class's own handler: subclasses need not chain
        translate_bindings(self, language_of(self.app))  # type: ignore[attr-defined]
