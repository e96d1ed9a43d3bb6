"""The S26 revision list: each revision of the family, whether it runs now or served an earlier deployment,
and whether it can be chosen (an INACTIVE, deregistered revision is shown with why, never offered)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kojan_tui.core.models import ServiceSnapshot, TaskDefinition
from kojan_tui.core.verdict import image_tag, task_definition_label

_TD_MENTION = re.compile(r"([A-Za-z0-9_-]+:\d+)")


@dataclass(frozen=True)
class RevisionRow:
    task_definition: TaskDefinition
    running_now: bool  # the service's PRIMARY deployment runs it
    used_before: bool  # an earlier deployment (still listed, or named in the service events) used it
    why_not: str | None = None  # why it cannot be chosen (None: it can)

    @property
    def selectable(self) -> bool:
        return self.why_not is None

    @property
    def label(self) -> str:
        return f"{self.task_definition.family}:{self.task_definition.revision}"

    @property
    def revision(self) -> int:
        return self.task_definition.revision

    @property
    def image_tag(self) -> str:
        return image_tag(self.task_definition)


def revisions_used(service: ServiceSnapshot) -> set[str]:
    """``family:rev`` labels of every deployment listed on the service and every revision its events name."""
    used = {task_definition_label(d.task_definition) for d in service.deployments}
    for event in service.events:
        used.update(_TD_MENTION.findall(event.message))
    return used


def revision_rows(definitions: Iterable[TaskDefinition], service: ServiceSnapshot | None) -> tuple[RevisionRow, ...]:
    """Newest first; the running revision cannot be chosen (rolling back to it changes nothing)."""
    running = task_definition_label(service.task_definition) if service else None
    primary = service.primary if service else None
    if primary is not None:
        running = task_definition_label(primary.task_definition)
    used = revisions_used(service) if service else set()
    rows = []
    for td in sorted(definitions, key=lambda td: td.revision, reverse=True):
        label = f"{td.family}:{td.revision}"
        why_not = None
        if td.status != "ACTIVE":
            why_not = f"{td.status}: deregistered, UpdateService cannot deploy it (register it again to use it)"
        elif label == running:
            why_not = "runs now"
        rows.append(
            RevisionRow(td, running_now=label == running, used_before=label in used and label != running, why_not=why_not)
        )
    return tuple(rows)


def preselected(rows: tuple[RevisionRow, ...]) -> int | None:
    """Index of the previous revision: the newest selectable one older than the running one."""
    running = next((r.revision for r in rows if r.running_now), None)
    candidates = [i for i, r in enumerate(rows) if r.selectable and (running is None or r.revision < running)]
    if candidates:
        return candidates[0]
    return next((i for i, r in enumerate(rows) if r.selectable), None)


def previous_note(rows: tuple[RevisionRow, ...]) -> str | None:
    """A sentence when the revision right before the running one cannot be chosen (and which one is offered)."""
    running = next((r.revision for r in rows if r.running_now), None)
    if running is None:
        return None
    before = next((r for r in rows if r.revision < running), None)
    if before is None or before.selectable:
        return None
    chosen = preselected(rows)
    offered = f"; {rows[chosen].label} is preselected instead" if chosen is not None else "; no earlier revision can be chosen"
    return f"The previous revision {before.label} is {before.task_definition.status}{offered}."
