"""S29's stability timer hears the alerts: each alert fired while a timer runs is written on that run (a record
of type ``alert`` on the timer's step), so the timer fails on it even after a restart."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from kojan_tui.procedures.checks_stability import ALERT_RECORD, STABILITY_CHECK, timer_start
from kojan_tui.procedures.models import Procedure
from kojan_tui.procedures.runs import StepRecord

OPEN_RUNS_LOOKED_AT = 20


class StabilityWatch:
    def __init__(self, store: Any, procedures: Iterable[Procedure], minutes: float) -> None:
        self.store = store
        self.minutes = minutes
        # procedure id -> the ids of its steps that run the stability check
        self.timer_steps = {
            p.id: [s.id for s in p.steps if s.check == STABILITY_CHECK]
            for p in procedures
            if any(s.check == STABILITY_CHECK for s in p.steps)
        }

    async def alert_fired(self, text: str, at) -> int:
        """Record ``text`` on every running timer (started, not past its end, run not finished); how many."""
        if not self.timer_steps:
            return 0
        written = 0
        for run in await self.store.runs("checklist", OPEN_RUNS_LOOKED_AT):
            if run.finished_at is not None or run.procedure_id not in self.timer_steps:
                continue
            for step_id in self.timer_steps[run.procedure_id]:
                start = timer_start(run, step_id)
                if start is None or not start <= at <= start + timedelta(minutes=self.minutes):
                    continue
                await self.store.add_record(run.id, StepRecord(step_id, ALERT_RECORD, text, at))
                written += 1
        return written
