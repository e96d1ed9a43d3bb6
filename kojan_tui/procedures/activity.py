"""What a checklist run tells the rest of the app: a tick, a check result, an action, as events on the bus
(an open incident's timeline takes them through ``timeline_entry``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kojan_tui.core.incidents import TimelineEntry


@dataclass(frozen=True)
class ChecklistActivity:
    at: datetime
    checklist: str  # the checklist's title
    kind: str  # "step" (ticked / unticked, note) | "check" | "action"
    text: str

    def timeline_entry(self) -> TimelineEntry:
        return TimelineEntry(self.at, self.kind, f"{self.checklist}: {self.text}")
