"""S24 stage clocks: each budgeted step's clock starts when the step before it is done (the first at the run's
start) and stops when it is done; a stage past its budget is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kojan_tui.procedures.models import Procedure
from kojan_tui.procedures.runs import ProcedureRun


@dataclass(frozen=True)
class StageClock:
    step_id: str
    budget: timedelta
    started: datetime | None  # None: not started (an earlier stage is not done)
    elapsed: timedelta
    done: bool

    @property
    def overdue(self) -> bool:
        return self.started is not None and self.elapsed > self.budget

    def text(self) -> str:
        if self.started is None:
            return f"— / {_clock(self.budget)}"
        mark = "OVERDUE " if self.overdue else ""
        return f"{mark}{_clock(self.elapsed)} / {_clock(self.budget)}" + (" ✓" if self.done else "")


def stage_clocks(procedure: Procedure, run: ProcedureRun, now: datetime) -> dict[str, StageClock]:
    clocks: dict[str, StageClock] = {}
    previous_end: datetime | None = run.started_at
    for step in procedure.steps:
        state = run.state(step.id)
        start = previous_end
        end = state.done_at if state.done else None
        if step.budget_minutes:
            elapsed = ((end or now) - start) if start else timedelta(0)
            clocks[step.id] = StageClock(
                step.id, timedelta(minutes=step.budget_minutes), start, max(elapsed, timedelta(0)), state.done
            )
        previous_end = end if (state.done and start is not None) else None
    return clocks


def _clock(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
