"""Bell and toast for alerts that fire and S25 reasons that begin to hold: one listener of the event bus."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from kojan_tui.core.config import UiSettings
from kojan_tui.core.events import AlertFired, EventBus, RollbackRaised
from kojan_tui.core.i18n import say, tr

BELL_QUIET_S = 1.0  # several events of one refresh ring once


class Notifies(Protocol):
    def bell(self) -> None: ...

    def notify(self, message: str, *, title: str = "", severity: str = "information", markup: bool = True) -> None: ...


class AlertNotifier:
    def __init__(
        self, target: Notifies, settings: UiSettings, bus: EventBus, current_settings: Callable[[], UiSettings] | None = None
    ) -> None:
        self.target = target
        self.settings = settings
        self.current_settings = current_settings
        self._last_bell = float("-inf")
        bus.subscribe(AlertFired, self.on_alert_fired)
        bus.subscribe(RollbackRaised, self.on_rollback_raised)

    @property
    def language(self) -> str:
        """The UI language now (the app's settings are replaced when the language is switched)."""
        settings = self.current_settings() if self.current_settings is not None else self.settings
        return settings.language

    def _ring(self) -> None:
        now = time.monotonic()
        if self.settings.bell and now - self._last_bell >= BELL_QUIET_S:
            self._last_bell = now
            self.target.bell()

    def on_rollback_raised(self, event: RollbackRaised) -> None:
        self._ring()
        if self.settings.notify:
            language = self.language
            self.target.notify(
                say(event.reason.text, language), title=tr("ROLL BACK NOW (S25)", language), severity="error", markup=False
            )

    def on_alert_fired(self, event: AlertFired) -> None:
        self._ring()
        if self.settings.notify:
            alert = event.alert
            self.target.notify(
                f"{alert.title}: {alert.value_text} — {alert.action}",
                title=tr("Alert", self.language),
                severity="error",
                markup=False,
            )
