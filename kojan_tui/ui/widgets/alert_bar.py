"""The alert bar: every breached item with its level, value, since when, and the guide's action.

Unknown is not OK: while something is unmeasured, or a source is stale, it says ``? NO DATA — why``, never ``✓ OK no alerts``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from rich.console import Group, RenderableType
from rich.text import Text

from kojan_tui.core.alerts import Alert
from kojan_tui.core.freshness import format_age
from kojan_tui.core.i18n import tr
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
        self.acks: dict[str, str] = {}  # alert key → its acknowledgement's words
        self.team = ""  # the team table's failure ("" when it answers, or team mode is off)
        self.language = "en"

    def show(
        self, alerts: tuple[Alert, ...], now: datetime, no_data: str = "", acks: Mapping[str, str] | None = None, team: str = ""
    ) -> None:
        """``acks``: alert key → "ack: alice until 14:30"; ``team``: the team table's failure, on a line of its own."""
        ages = tuple(format_age((now - alert.since).total_seconds()) for alert in alerts)  # what ``now`` changes on screen
        acks = dict(acks or {})
        self.language = self.ui_language
        if not self.given((alerts, ages, no_data, self.max_lines, tuple(sorted(acks.items())), team, self.language)):
            return
        resized = (len(alerts), bool(no_data), bool(team)) != (
            len(self.alerts),
            bool(self.no_data),
            bool(self.team),
        ) or self.now is None
        self.alerts, self.now, self.no_data, self.acks, self.team = alerts, now, no_data, acks, team
        worst = alerts[0].level if alerts else Level.UNKNOWN if no_data else Level.OK
        self.set_level_class(worst)
        self.refresh(layout=resized)  # its height is its line count: a new layout only when that may change

    def _no_data_line(self) -> Text:
        line = Text.assemble(self.marker(Level.UNKNOWN), " — ", visible(self.no_data))
        line.no_wrap, line.overflow = True, "ellipsis"
        return line

    def _team_line(self) -> Text:
        line = Text.assemble(self.marker(Level.WARNING), " ", visible(self.team))
        line.no_wrap, line.overflow = True, "ellipsis"
        return line

    def _ack(self, alert: Alert) -> Text:
        label = self.acks.get(alert.key)
        return Text.assemble(("  ", ""), (label, self.style_for("strong"))) if label else Text("")

    def _held_line(self, alert: Alert, age: str) -> Text:
        """An alert in its anti-flap hold: what is held (the level since when) and what is measured now, apart:
        "▲ held ✖ ALERT ECS service since 12:01:00 · now ✓ OK HEALTHY · clears 12:03:30 if it stays"."""
        measured, say = alert.measured or Level.UNKNOWN, self.language
        clears = tr(" · clears {at:%H:%M:%S} if it stays", say).format(at=alert.clears_at) if alert.clears_at else ""
        line = Text.assemble(
            self.marker(alert.level),
            (tr(" held ", say), self.style_for("muted")),
            (alert.title, self.style_for("strong")),
            (tr(" since {at:%H:%M:%S}", say).format(at=alert.since) + age, self.style_for("muted")),
            tr(" · now ", say),
            self.marker(measured),
            " ",
            visible(alert.value_text),
            (clears, self.style_for("muted")),
            self._ack(alert),
        )
        line.no_wrap, line.overflow = True, "ellipsis"
        return line

    def render(self) -> RenderableType:
        team = [self._team_line()] if self.team else []
        if not self.alerts:
            if self.no_data:
                return Group(self._no_data_line(), *team) if team else self._no_data_line()
            calm = Text.assemble(self.marker(Level.OK), (tr(" no alerts", self.language), self.style_for("muted")))
            return Group(calm, *team) if team else calm
        lines: list[Text] = []
        room = self.max_lines - (1 if self.no_data else 0) - len(team)
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
                self._ack(alert),
                ("  ▶ ", self.style_for(alert.level.value)),
                alert.action,
                (" " + tr(" since {at:%H:%M:%S}", self.language).format(at=alert.since) + age, self.style_for("muted")),
            )
            line.no_wrap, line.overflow = True, "ellipsis"
            lines.append(line)
        hidden = len(self.alerts) - len(shown)
        if hidden:
            lines.append(Text(tr("… and {n} more", self.language).format(n=hidden), style=self.style_for("muted")))
        if self.no_data:
            lines.append(self._no_data_line())
        return Group(*lines, *team)
