"""Bell and toast for alerts that fire and S25 reasons that begin to hold: one listener of the event bus."""

from __future__ import annotations

import time
from typing import Protocol

from kojan_tui.core.config import UiSettings
from kojan_tui.core.events import AlertFired, EventBus, RollbackRaised

BELL_QUIET_S = 1.0  # several events of one refresh ring once


class Notifies(Protocol):
    def bell(self) -> None: ...

    def notify(self, message: str, *, title: str = "", severity: str = "information", markup: bool = True) -> None: ...


class AlertNotifier:
    def __init__(self, target: Notifies, settings: UiSettings, bus: EventBus) -> None:
        self.target = target
        self.settings = settings
        self._last_bell = float("-inf")
        bus.subscribe(AlertFired, self.on_alert_fired)
        bus.subscribe(RollbackRaised, self.on_rollback_raised)

    def _ring(self) -> None:
        now = time.monotonic()
        if self.settings.bell and now - self._last_bell >= BELL_QUIET_S:
            self._last_bell = now
            self.target.bell()

    def on_rollback_raised(self, event: RollbackRaised) -> None:
        self._ring()
        if self.settings.notify:
            self.target.notify(event.reason.text, title="ROLL BACK NOW (S25)", severity="error", markup=False)

    def on_alert_fired(self, event: AlertFired) -> None:
        self._ring()
        if self.settings.notify:
            alert = event.alert
            self.target.notify(
                f"{alert.title}: {alert.value_text} — {alert.action}", title="Alert", severity="error", markup=False
            )
