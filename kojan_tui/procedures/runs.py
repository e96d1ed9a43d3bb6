"""A walkthrough of one procedure as data: which steps are done (with notes), every check and action result
with its time, and the step the user is on. The store persists it; the runner changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from kojan_tui.procedures.checks import CheckResult, Verdict


@dataclass(frozen=True)
class StepRecord:
    """One thing that happened to a step: a check result, an action outcome, or a mark (done/undone)."""

    step_id: str
    type: str  # "check" | "action" | "mark"
    summary: str
    at: datetime
    verdict: Verdict | None = None  # checks only
    evidence: tuple[str, ...] = ()
    done: bool | None = None  # actions: done or not; marks: the new state

    @classmethod
    def of_check(cls, step_id: str, result: CheckResult, at: datetime) -> StepRecord:
        return cls(step_id, "check", result.summary, result.checked_at or at, result.verdict, tuple(result.evidence))


@dataclass(frozen=True)
class StepState:
    done: bool = False
    done_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class ProcedureRun:
    id: int
    procedure_id: str
    kind: str
    language: str
    title: str
    started_at: datetime
    started_by: str | None = None  # the caller identity's ARN, when known
    current_step: str | None = None
    finished_at: datetime | None = None
    steps: dict[str, StepState] = field(default_factory=dict)
    records: tuple[StepRecord, ...] = ()  # oldest first

    def state(self, step_id: str) -> StepState:
        return self.steps.get(step_id, StepState())

    def latest_check(self, step_id: str) -> StepRecord | None:
        return next((r for r in reversed(self.records) if r.step_id == step_id and r.type == "check"), None)

    def latest_action(self, step_id: str) -> StepRecord | None:
        return next((r for r in reversed(self.records) if r.step_id == step_id and r.type == "action"), None)

    def with_step(self, step_id: str, state: StepState) -> ProcedureRun:
        return replace(self, steps={**self.steps, step_id: state})

    def with_record(self, record: StepRecord) -> ProcedureRun:
        return replace(self, records=(*self.records, record))
