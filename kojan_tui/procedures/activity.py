"""What a procedure walkthrough (a runbook or a checklist) tells the rest of the app: a step marked or ticked,
a note, a check result, an action's outcome, as events on the bus (an open incident's timeline takes them
through ``timeline_entry``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kojan_tui.core.incidents import TimelineEntry


@dataclass(frozen=True)
class ProcedureActivity:
    at: datetime
    procedure: str  # the runbook's or checklist's title
    kind: str  # "step" (done / ticked, note, run started / finished) | "check" | "action"
    text: str

    def timeline_entry(self) -> TimelineEntry:
        return TimelineEntry(self.at, self.kind, f"{self.procedure}: {self.text}")
