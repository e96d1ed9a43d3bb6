"""What a procedure is: a runbook or checklist with triggers and ordered steps (data, loaded from TOML).

A step is manual (the user marks it done) or automatic (it names a registered check); it may also name
an action (a mutation run only through ``kojan_tui.actions`` after the typed confirmation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    RUNBOOK = "runbook"
    CHECKLIST = "checklist"


class Language(str, Enum):
    JA = "ja"
    EN = "en"


@dataclass(frozen=True)
class Triggers:
    """What suggests the procedure: dashboard alert keys, S25 reason codes, log filter patterns."""

    alerts: tuple[str, ...] = ()
    rollback_reasons: tuple[str, ...] = ()
    log_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileField:
    """A file the user names on a step (S15: last month's benchmark, this month's, their benchstat comparison);
    ``show``: its text is kept in the run (a comparison), not only its name, size and hash."""

    id: str
    label: str
    show: bool = False


@dataclass(frozen=True)
class Step:
    id: str  # unique within its procedure; a run's progress is keyed by it
    text: str
    check: str | None = None  # a check id from ``procedures.checks``
    action: str | None = None  # an action id from ``procedures.actions``
    budget_minutes: int | None = None  # a time budget (S24's stages): its clock starts when the step before is done
    files: tuple[FileField, ...] = ()  # files the user names on this step (procedures/files.py records them)

    @property
    def automatic(self) -> bool:
        return self.check is not None


@dataclass(frozen=True)
class Procedure:
    id: str
    kind: Kind
    language: Language
    title: str
    symptom: str
    steps: tuple[Step, ...]
    triggers: Triggers = field(default_factory=Triggers)
    guide_item: str = ""  # e.g. "S09"
    source: str = ""  # the file it came from

    def auto_checked(self) -> tuple[Step, ...]:
        """The steps whose checks run by themselves when a walkthrough opens: up to the first action (the
        checks after it verify the action and are run with r once it is done)."""
        steps: list[Step] = []
        for step in self.steps:
            steps += [step] if step.check else []
            if step.action:
                break
        return tuple(steps)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def index_of(self, step_id: str) -> int:
        return next((i for i, s in enumerate(self.steps) if s.id == step_id), 0)
