"""The alert bar: every breached item with its level, value, since when, and the guide's action."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.text import Text

from kojan_tui.core.alerts import Alert
from kojan_tui.core.freshness import format_age
from kojan_tui.core.levels import Level
from kojan_tui.ui.widgets.status_base import StatusWidget, visible

MAX_LINES = 4


class AlertBar(StatusWidget):
    DEFAULT_CSS = """
    AlertBar { height: auto; max-height: 8; border: none; padding: 0 1; background: $panel; }
    AlertBar.-level-alert { background: $error-muted; border: none; }
    AlertBar.-level-warning { background: $warning-muted; border: none; }
    AlertBar:focus { border: none; background: $boost; }
    """

    def __init__(self, *, id: str | None = "alert-bar") -> None:
        super().__init__(id=id)
        self.alerts: tuple[Alert, ...] = ()
        self.now: datetime | None = None
        self.max_lines = MAX_LINES

    def show(self, alerts: tuple[Alert, ...], now: datetime) -> None:
        self.alerts, self.now = alerts, now
        worst = alerts[0].level if alerts else Level.OK
        self.set_level_class(worst)
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        if not self.alerts:
            return Text.assemble(self.marker(Level.OK), (" no alerts", self.style_for("muted")))
        lines: list[Text] = []
        shown = self.alerts[: self.max_lines if len(self.alerts) <= self.max_lines else self.max_lines - 1]
        for alert in shown:
            age = f" ({format_age((self.now - alert.since).total_seconds())})" if self.now else ""
            line = Text.assemble(
                self.marker(alert.level),
                " ",
                (alert.title, self.style_for("strong")),
                " ",
                visible(alert.value_text),
                ("  ▶ ", self.style_for(alert.level.value)),
                alert.action,
                (f"  since {alert.since:%H:%M:%S}{age}", self.style_for("muted")),
            )
            line.no_wrap, line.overflow = True, "ellipsis"
            lines.append(line)
        hidden = len(self.alerts) - len(shown)
        if hidden:
            lines.append(Text(f"… and {hidden} more", style=self.style_for("muted")))
        return Group(*lines)
