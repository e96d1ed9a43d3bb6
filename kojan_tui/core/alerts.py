"""Alerts: what is breached (warning or alert), since when, the action to take, and which just fired.

``AlertTracker`` remembers when each item entered its current level, so "since" survives refreshes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kojan_tui.core.levels import Level


@dataclass(frozen=True)
class AlertInput:
    key: str
    title: str
    level: Level
    value_text: str
    action: str


@dataclass(frozen=True)
class Alert:
    key: str
    title: str
    level: Level
    value_text: str
    action: str
    since: datetime


@dataclass(frozen=True)
class AlertUpdate:
    active: tuple[Alert, ...]  # alerts first, then warnings; oldest first within a level
    fired: tuple[Alert, ...]  # items that became ALERT with this update (bell, notification)
    cleared: tuple[Alert, ...] = ()  # items that left WARNING/ALERT with this update (as they were)


@dataclass
class AlertTracker:
    _since: dict[str, tuple[Level, datetime]] = field(default_factory=dict)
    _latest: dict[str, AlertInput] = field(default_factory=dict)

    def update(self, items: list[AlertInput], now: datetime) -> AlertUpdate:
        """Feed the current level of every item; returns the active alerts and the newly fired ones.

        Items absent from ``items`` keep their previous state (a stale source's last known level).
        """
        fired: list[Alert] = []
        cleared: list[Alert] = []
        for item in items:
            previous = self._since.get(item.key)
            if item.level not in (Level.WARNING, Level.ALERT):
                if previous is not None and item.key in self._latest:
                    cleared.append(self._alert(self._latest[item.key]))
                self._since.pop(item.key, None)
                self._latest.pop(item.key, None)
                continue
            if previous is None or previous[0] is not item.level:
                self._since[item.key] = (item.level, now)
                if item.level is Level.ALERT:
                    fired.append(self._alert(item))
            self._latest[item.key] = item
        active = [self._alert(i) for i in self._latest.values() if i.key in self._since]
        active.sort(key=lambda a: (-a.level.rank, a.since))
        return AlertUpdate(tuple(active), tuple(fired), tuple(cleared))

    def _alert(self, item: AlertInput) -> Alert:
        level, since = self._since[item.key]
        return Alert(item.key, item.title, level, item.value_text, item.action, since)
