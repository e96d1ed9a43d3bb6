"""Events that several listeners care about (bell and toast, incident timeline, runbook suggestions).

``EventBus`` is synchronous and pure: a listener that raises is reported and the others still run.
``alert_events`` turns one dashboard rebuild into the events it implies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from kojan_tui.core.alerts import Alert, AlertUpdate
from kojan_tui.core.i18n import say, tr
from kojan_tui.core.incidents import TimelineEntry
from kojan_tui.core.rollback_rules import RollbackReason


@dataclass(frozen=True)
class AlertFired:
    alert: Alert
    at: datetime


@dataclass(frozen=True)
class AlertCleared:
    key: str
    title: str
    at: datetime


@dataclass(frozen=True)
class RollbackRaised:
    """An S25 "roll back at once" condition began to hold."""

    reason: RollbackReason
    at: datetime


@dataclass(frozen=True)
class RollbackCleared:
    reason: RollbackReason
    at: datetime


@dataclass(frozen=True)
class EmergencyStarted:
    """The S24 emergency flow was started: an incident record opens with it."""

    at: datetime
    title: str = "S24 emergency"

    def timeline_entry(self) -> TimelineEntry:
        return TimelineEntry(self.at, "note", f"{self.title}: emergency flow started (S24)")


E = TypeVar("E")
Listener = Callable[[Any], None]


class EventBus:
    def __init__(self, on_error: Callable[[BaseException], None] | None = None) -> None:
        self._listeners: dict[type, list[Listener]] = defaultdict(list)
        self._any: list[Listener] = []
        self.on_error = on_error

    def subscribe_all(self, listener: Callable[[object], None]) -> None:
        """Call ``listener(event)`` for every event (the incident timeline hears everything)."""
        self._any.append(listener)

    def subscribe(self, event_type: type[E], listener: Callable[[E], None]) -> Callable[[], None]:
        """Call ``listener(event)`` for every published ``event_type``; returns the unsubscriber."""
        self._listeners[event_type].append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners[event_type]:
                self._listeners[event_type].remove(listener)

        return unsubscribe

    def publish(self, event: object) -> None:
        for listener in [*self._listeners.get(type(event), ()), *self._any]:
            try:
                listener(event)
            except Exception as error:  # one listener's bug must not silence the others
                if self.on_error is not None:
                    self.on_error(error)

    def publish_all(self, events: Iterable[object]) -> None:
        for event in events:
            self.publish(event)


def alert_events(
    before: tuple[RollbackReason, ...], after: tuple[RollbackReason, ...], update: AlertUpdate, now: datetime
) -> list[object]:
    """The events of one rebuild: S25 reasons raised/cleared (by code), alerts fired/cleared."""
    events: list[object] = []
    old = {r.code: r for r in before}
    new = {r.code: r for r in after}
    events += [RollbackRaised(r, now) for code, r in new.items() if code not in old]
    events += [RollbackCleared(r, now) for code, r in old.items() if code not in new]
    events += [AlertFired(alert, now) for alert in update.fired]
    events += [AlertCleared(alert.key, alert.title, now) for alert in update.cleared]
    return events


def timeline_entry(event: object, language: str = "en") -> TimelineEntry | None:
    """How an event reads on an incident's timeline, in ``language``; events of other features say it themselves
    by having a ``timeline_entry()`` method. None: not worth a line."""
    if isinstance(event, AlertFired):
        a = event.alert
        return TimelineEntry(event.at, "alert", f"{a.title}: {a.value_text} — {a.action}")
    if isinstance(event, AlertCleared):
        return TimelineEntry(
            event.at, "alert-cleared", tr("{title} back within its threshold", language).format(title=event.title)
        )
    if isinstance(event, RollbackRaised):
        return TimelineEntry(
            event.at, "s25", tr("ROLL BACK NOW: {reason}", language).format(reason=say(event.reason.text, language))
        )
    if isinstance(event, RollbackCleared):
        text = tr("no longer holds: {reason}", language).format(reason=say(event.reason.text, language))
        return TimelineEntry(event.at, "s25-cleared", text)
    own = getattr(event, "timeline_entry", None)
    return own() if callable(own) else None
