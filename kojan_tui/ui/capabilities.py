"""How a capability (a screen and what opens it) joins the app without growing ``ui/app.py``.

A capability module declares a ``Capability``: its dashboard key, its palette commands and how to open
it. The app binds the keys and lists the commands from ``CAPABILITIES`` (``ui/registry.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class _PaletteFields(NamedTuple):
    title: str
    help: str
    callback: Callable[[], Any]


class PaletteCommand(_PaletteFields):
    """``(title, help, callback)``; ``keywords``: what else finds it in the palette (its id, its title in the other
    language: ``ui/commands.py``), kept out of the tuple so ``title, help, callback = command`` still unpacks."""

    keywords: str

    def __new__(cls, title: str, help: str, callback: Callable[[], Any], keywords: str = "") -> PaletteCommand:
        command = super().__new__(cls, title, help, callback)
        command.keywords = keywords
        return command


@dataclass(frozen=True)
class Capability:
    name: str  # the action parameter: ``app.open('<name>')``
    description: str  # footer and help text of its key
    open: Callable[[Any], Any]  # open(app): push its screen (the app is passed, never imported)
    key: str | None = None  # the dashboard key, if it has one
    show_in_footer: bool = True
    tooltip: str = ""
    commands: Callable[[Any], list[PaletteCommand]] = field(default=lambda app: [])  # palette entries, given the app
    enabled: Callable[[Any], bool] = field(default=lambda app: True)  # e.g. demo-only, not in read-only mode
    install: Callable[[Any], Any] | None = None  # install(app) once on mount: listeners, resumed work


def open_once(screen_type: type[Any]) -> Callable[[Any], None]:
    """``open(app)`` for a screen made from the app's services: pushed unless one of its kind is on top already."""

    def open_screen(app: Any) -> None:
        if not isinstance(app.screen, screen_type):
            app.push_screen(screen_type(app.services))

    return open_screen


def one_command(title: str, help: str, open: Callable[[Any], Any]) -> Callable[[Any], list[PaletteCommand]]:
    """``commands`` for a capability whose one palette entry opens it."""
    return lambda app: [PaletteCommand(title, help, lambda: open(app))]
