"""What a runbook walkthrough tells the rest of the app: a step done, a check result, an action's outcome, as
events on the bus (an open incident's timeline takes them through ``timeline_entry``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kojan_tui.core.incidents import TimelineEntry


@dataclass(frozen=True)
class RunbookActivity:
    at: datetime
    runbook: str  # the runbook's title
    kind: str  # "step" (done / not done, note) | "check" | "action"
    text: str

    def timeline_entry(self) -> TimelineEntry:
        return TimelineEntry(self.at, self.kind, f"{self.runbook}: {self.text}")
