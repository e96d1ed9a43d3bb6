"""The alert bar: every breached item with its level, value, since when, and the guide's action.

Unknown is not OK: while something is unmeasured, or a source is stale, it says ``? NO DATA — why``, never ``✓ OK no alerts``.
"""

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
        self.no_data = ""  # "credentials missing or expired", "first poll running"…; "" when everything is measured

    def show(self, alerts: tuple[Alert, ...], now: datetime, no_data: str = "") -> None:
        ages = tuple(format_age((now - alert.since).total_seconds()) for alert in alerts)  # what ``now`` changes on screen
        if not self.given((alerts, ages, no_data, self.max_lines)):
            return
        resized = (len(alerts), bool(no_data)) != (len(self.alerts), bool(self.no_data)) or self.now is None
        self.alerts, self.now, self.no_data = alerts, now, no_data
        worst = alerts[0].level if alerts else Level.UNKNOWN if no_data else Level.OK
        self.set_level_class(worst)
        self.refresh(layout=resized)  # its height is its line count: a new layout only when that may change

    def _no_data_line(self) -> Text:
        line = Text.assemble(self.marker(Level.UNKNOWN), " — ", visible(self.no_data))
        line.no_wrap, line.overflow = True, "ellipsis"
        return line

    def _held_line(self, alert: Alert, age: str) -> Text:
        """An alert in its anti-flap hold: what is held (the level since when) and what is measured now, apart:
        "▲ held ✖ ALERT ECS service since 12:01:00 · now ✓ OK HEALTHY · clears 12:03:30 if it stays"."""
        measured = alert.measured or Level.UNKNOWN
        clears = f" · clears {alert.clears_at:%H:%M:%S} if it stays" if alert.clears_at else ""
        line = Text.assemble(
            self.marker(alert.level),
            (" held ", self.style_for("muted")),
            (alert.title, self.style_for("strong")),
            (f" since {alert.since:%H:%M:%S}{age}", self.style_for("muted")),
            " · now ",
            self.marker(measured),
            " ",
            visible(alert.value_text),
            (clears, self.style_for("muted")),
        )
        line.no_wrap, line.overflow = True, "ellipsis"
        return line

    def render(self) -> RenderableType:
        if not self.alerts:
            if self.no_data:
                return self._no_data_line()
            return Text.assemble(self.marker(Level.OK), (" no alerts", self.style_for("muted")))
        lines: list[Text] = []
        room = self.max_lines - (1 if self.no_data else 0)
        shown = self.alerts[: room if len(self.alerts) <= room else room - 1]
        for alert in shown:
            age = f" ({format_age((self.now - alert.since).total_seconds())})" if self.now else ""
            if alert.clearing:
                lines.append(self._held_line(alert, age))
                continue
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
        if self.no_data:
            lines.append(self._no_data_line())
        return Group(*lines)
