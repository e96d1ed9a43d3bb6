"""Walk a procedure: move between steps, mark done with a note, run or re-run a step's check, record an
action's outcome. Every change is written through to the store before the runner reports it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kojan_tui.procedures.actions import ActionResult
from kojan_tui.procedures.checks import CheckContext, CheckResult, run_check
from kojan_tui.procedures.models import Procedure, Step
from kojan_tui.procedures.runs import ProcedureRun, StepRecord, StepState


class ProcedureRunner:
    """``await ProcedureRunner.resume_or_start(procedure, store, context)``: the open run of the
    procedure if there is one (same step, same results), else a new one."""

    def __init__(self, procedure: Procedure, store: Any, context: CheckContext, run: ProcedureRun) -> None:
        self.procedure = procedure
        self.store = store
        self.context = context
        self.run = run
        self.last_results: dict[str, CheckResult] = {}  # this session's full results (chart data is not stored)

    @classmethod
    async def resume_or_start(
        cls, procedure: Procedure, store: Any, context: CheckContext, *, started_by: str | None = None
    ) -> ProcedureRunner:
        run = await store.open_run(procedure.id)
        if run is None:
            run = await store.start(
                ProcedureRun(
                    id=0,
                    procedure_id=procedure.id,
                    kind=procedure.kind.value,
                    language=procedure.language.value,
                    title=procedure.title,
                    started_at=context.clock(),
                    started_by=started_by,
                    current_step=procedure.steps[0].id,
                )
            )
        return cls(procedure, store, context, run)

    @property
    def resumed(self) -> bool:
        return bool(self.run.records or self.run.steps)

    @property
    def index(self) -> int:
        return self.procedure.index_of(self.run.current_step or "")

    @property
    def current(self) -> Step:
        return self.procedure.steps[self.index]

    @property
    def finished(self) -> bool:
        return self.run.finished_at is not None

    def done_count(self) -> int:
        return sum(self.run.state(s.id).done for s in self.procedure.steps)

    async def go(self, step_id: str) -> None:
        if self.procedure.step(step_id) is None or step_id == self.run.current_step:
            return
        await self.store.set_current(self.run.id, step_id)
        self.run = replace(self.run, current_step=step_id)

    async def move(self, delta: int) -> None:
        index = max(0, min(len(self.procedure.steps) - 1, self.index + delta))
        await self.go(self.procedure.steps[index].id)

    async def mark(self, step_id: str | None = None, *, done: bool | None = None, note: str | None = None) -> StepState:
        """Mark a step done (or not: ``done=False``; default: toggle), keeping or setting its note."""
        step_id = step_id or self.current.id
        before = self.run.state(step_id)
        now = self.context.clock()
        done = (not before.done) if done is None else done
        state = StepState(done, now if done else None, before.note if note is None else note)
        await self.store.set_step(self.run.id, step_id, state)
        record = StepRecord(
            step_id, "mark", ("done" if done else "not done") + (f": {state.note}" if state.note else ""), now, done=done
        )
        await self.store.add_record(self.run.id, record)
        self.run = self.run.with_step(step_id, state).with_record(record)
        return state

    async def check(self, step_id: str | None = None) -> CheckResult | None:
        """Run (or re-run) a step's check and record its result; None for a manual step."""
        step = self.procedure.step(step_id) if step_id else self.current
        if step is None or step.check is None:
            return None
        result = await run_check(step.check, replace(self.context, run=self.run, step_id=step.id))
        record = StepRecord.of_check(step.id, result, self.context.clock())
        await self.store.add_record(self.run.id, record)
        self.run = self.run.with_record(record)
        self.last_results[step.id] = result
        return result

    async def check_all(self, *, only_unchecked: bool = True) -> None:
        for step in self.procedure.steps:
            if step.check and (not only_unchecked or self.run.latest_check(step.id) is None):
                await self.check(step.id)

    async def record_action(self, step_id: str, result: ActionResult) -> None:
        record = StepRecord(step_id, "action", result.summary, result.at or self.context.clock(), done=result.done)
        await self.store.add_record(self.run.id, record)
        self.run = self.run.with_record(record)

    async def add(self, record: StepRecord) -> None:
        """Any other record on a step (the files a step names: ``procedures/files.py``), written through."""
        await self.store.add_record(self.run.id, record)
        self.run = self.run.with_record(record)

    async def finish(self) -> None:
        now = self.context.clock()
        await self.store.finish(self.run.id, now)
        self.run = replace(self.run, finished_at=now)
