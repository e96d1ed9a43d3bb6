"""Alerts: what is breached (warning or alert), since when, the action to take, and which just fired.

``AlertTracker`` remembers when each item entered its current level, so "since" survives refreshes.
It does not flap: a level is raised at once but lowered or cleared only after the item stayed below
it for ``clear_after_seconds`` without a break (``[alerts] clear_after_seconds`` in the config).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
    clearing: bool = False  # below its level now, held until that lasted ``clear_after_seconds``
    measured: Level | None = None  # while clearing: the level measured now (``level`` is the one held)
    clears_at: datetime | None = None  # while clearing: when the hold ends if the item stays below its level


@dataclass(frozen=True)
class AlertUpdate:
    active: tuple[Alert, ...]  # alerts first, then warnings; oldest first within a level
    fired: tuple[Alert, ...]  # items that became ALERT with this update (bell, notification)
    cleared: tuple[Alert, ...] = ()  # items that left WARNING/ALERT with this update (as they were)


@dataclass
class _State:
    level: Level
    since: datetime
    below_since: datetime | None = None  # when the item first went below ``level`` in the current run


@dataclass
class AlertTracker:
    clear_after_seconds: float = 0.0
    _state: dict[str, _State] = field(default_factory=dict)
    _latest: dict[str, AlertInput] = field(default_factory=dict)

    def update(self, items: list[AlertInput], now: datetime) -> AlertUpdate:
        """Feed the current level of every item; returns the active alerts and the newly fired ones.

        Items absent from ``items`` keep their previous state (a stale source's last known level).
        """
        fired: list[Alert] = []
        cleared: list[Alert] = []
        for item in items:
            state = self._state.get(item.key)
            breached = item.level in (Level.WARNING, Level.ALERT)
            if breached and (state is None or item.level.rank > state.level.rank):
                self._state[item.key] = _State(item.level, now)
                if item.level is Level.ALERT:
                    fired.append(self._alert(item))
            elif state is not None and item.level is state.level:
                state.below_since = None  # back at its level before the hold-off ran out: no new alert
            elif state is not None:  # below its level: lower or clear once that has lasted long enough
                state.below_since = state.below_since or now
                if (now - state.below_since).total_seconds() >= self.clear_after_seconds:
                    if breached:
                        self._state[item.key] = _State(item.level, now)
                    else:
                        if item.key in self._latest:
                            cleared.append(self._alert(self._latest[item.key]))
                        del self._state[item.key]
                        self._latest.pop(item.key, None)
                        continue
            if item.key in self._state:
                self._latest[item.key] = item
        active = [self._alert(i) for i in self._latest.values() if i.key in self._state]
        active.sort(key=lambda a: (-a.level.rank, a.since))
        return AlertUpdate(tuple(active), tuple(fired), tuple(cleared))

    def _alert(self, item: AlertInput) -> Alert:
        state = self._state[item.key]
        clearing = state.below_since is not None
        return Alert(
            item.key,
            item.title,
            state.level,
            item.value_text,
            item.action,
            state.since,
            clearing,
            measured=item.level if clearing else None,
            clears_at=state.below_since + timedelta(seconds=self.clear_after_seconds) if state.below_since else None,
        )
