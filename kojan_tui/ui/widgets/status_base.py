"""The base of the dashboard's passive panels: level styles from theme variables, markers, stale text.

Every colour comes from a component class whose CSS uses theme variables ($success, $warning, $error…).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from kojan_tui.core.i18n import say
from kojan_tui.core.levels import Level
from kojan_tui.core.logtext import make_visible
from kojan_tui.ui.language import ui_language_of


def visible(untrusted: str) -> Text:
    """AWS-supplied text as plain ``Text``: never markup; control, C1, bidi and invisible characters
    shown the one way every log line shows them (``kojan_tui.core.logtext.make_visible``)."""
    return Text(make_visible(untrusted))


_NOTHING = object()  # no ``show`` yet


class StatusWidget(Widget):
    """A focusable panel that renders only what it was given (``show``/``set_stale``)."""

    can_focus = True

    COMPONENT_CLASSES = {
        "status--ok",
        "status--warning",
        "status--alert",
        "status--unknown",
        "status--warn-line",
        "status--alert-line",
        "status--muted",
        "status--stale",
        "status--strong",
    }

    DEFAULT_CSS = """
    StatusWidget {
        background: $surface;
        border: round $foreground 30%;
        border-title-color: $foreground;
        border-title-style: bold;
        padding: 0 1;
    }
    StatusWidget:focus { border: round $primary; }
    StatusWidget.-level-warning { border: round $warning; }
    StatusWidget.-level-alert { border: heavy $error; }
    /* A focused breached panel keeps its level's colour and changes its line: double, so which one has the
       focus shows without colour too (not only the title's colour). */
    StatusWidget.-level-warning:focus { border: double $warning; border-title-color: $primary; }
    StatusWidget.-level-alert:focus { border: double $error; border-title-color: $primary; }
    StatusWidget > .status--ok { color: $success; text-style: bold; }
    StatusWidget > .status--warning { color: $warning; text-style: bold; }
    StatusWidget > .status--alert { color: $error; text-style: bold; }
    StatusWidget > .status--unknown { color: $text-muted; }
    StatusWidget > .status--warn-line { color: $warning; }
    StatusWidget > .status--alert-line { color: $error; }
    StatusWidget > .status--muted { color: $text-muted; }
    StatusWidget > .status--stale { color: $text-error; background: $error-muted; text-style: bold; }
    StatusWidget > .status--strong { color: $foreground; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.stale_text: str | None = None
        self.compact = False  # the dashboard's small-terminal layout: one line instead of a panel
        self._shown: object = _NOTHING  # what the last ``show`` was given, as compared by ``given``

    def given(self, inputs: object) -> bool:
        """Remember what ``show`` was given; True when it differs from last time (only then repaint)."""
        if inputs == self._shown:
            return False
        self._shown = inputs
        return True

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.set_class(compact, "-compact")
            self.refresh()

    def style_for(self, kind: str) -> Style:
        """The theme style of a level or chart kind (``ok``, ``alert``, ``warn-line``, ``muted``…)."""
        kind = "unknown" if kind == "blank" else kind
        # Not partial: a partial style drops alpha blending, and "$text-muted" (auto 60 %) turns white.
        return self.get_component_rich_style(f"status--{kind}")

    def marker(self, level: Level) -> Text:
        """``✖ ALERT`` etc., coloured by level: readable with colour and without."""
        return Text(level.marker, style=self.style_for(level.value))

    def set_level_class(self, level: Level) -> None:
        for name in Level:
            self.set_class(name is level, f"-level-{name.value}")

    def set_stale(self, text: str | None) -> None:
        """Show ``STALE 42s — throttled`` (or nothing) on this panel."""
        if text != self.stale_text:
            self.stale_text = text
            self.set_class(text is not None, "-stale")
            self.refresh()

    def compact_line(self, label: str, level: Level, value: str, value_style: str = "strong") -> Text:
        """The compact layout's one line: ``label  ✓ OK  value`` (+ ``STALE``), aligned across panels."""
        line = Text(label + " " * max(1, 9 - cell_len(label)), style=self.style_for("muted"))  # cells: ja is wide
        line.append(self.marker(level))
        line.pad_right(max(1, 9 - len(level.marker)))  # "? NO DATA" is 9 wide: still one space before the value
        line.append(f"{value:>11}", style=self.style_for(value_style))
        if self.stale_text:
            line.append(" STALE", style=self.style_for("stale"))
        return line

    @property
    def ui_language(self) -> str:
        """The app's UI language (``[ui] language``, ``--lang``, the palette's switch); ``en`` outside a kojan app."""
        try:
            return ui_language_of(self.app)
        except Exception:  # noqa: BLE001 - not mounted yet
            return "en"

    def stale_line(self) -> Text | None:
        return Text(f" {say(self.stale_text, self.ui_language)} ", style=self.style_for("stale")) if self.stale_text else None
