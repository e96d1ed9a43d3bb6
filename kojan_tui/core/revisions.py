"""The S26 revision list: each revision of the family, whether it runs now or served an earlier deployment,
and whether it can be chosen (an INACTIVE, deregistered revision is shown with why, never offered).

It also knows what just happened: a revision the service was rolled back from (the audit trail's rollbacks,
a deployment ECS reports FAILED) is marked, never preselected, and asks an extra acknowledgement (the screen's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from kojan_tui.core.models import ServiceSnapshot, TaskDefinition
from kojan_tui.core.verdict import image_tag, task_definition_label

_TD_MENTION = re.compile(r"([A-Za-z0-9_-]+:\d+)")


@dataclass(frozen=True)
class RolledBackFrom:
    """The service left this revision: rolled back from it (the audit trail) or its rollout FAILED (ECS)."""

    at: datetime | None
    how: str  # "rolled back to kojan-map-business:2 (verified)", "its rollout FAILED: …"

    def text(self) -> str:
        when = f" at {self.at:%H:%M} UTC" if self.at else ""
        return f"rolled back from{when}: {self.how}"


@dataclass(frozen=True)
class RevisionRow:
    task_definition: TaskDefinition
    running_now: bool  # the service's PRIMARY deployment runs it
    used_before: bool  # an earlier deployment (still listed, or named in the service events) used it
    why_not: str | None = None  # why it cannot be chosen (None: it can)
    rolled_back_from: RolledBackFrom | None = None  # the service just left it: deploying it again needs an extra yes

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


DEPLOYED_OUTCOMES = ("succeeded", "verified", "not verified", "rollout failed", "rollout timed out")


def _parse_ts(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def rolled_back_from(
    audit_entries: Iterable[Mapping], service: ServiceSnapshot | None, target: str, *, since: datetime | None = None
) -> dict[str, RolledBackFrom]:
    """``family:rev`` → how the service left it, from the audit trail's UpdateServices on ``target`` (a rollback
        that was sent marks the revision it left; deploying a revision again clears its mark) and from a deployment
        ECS reports FAILED (a circuit breaker's or a watch's). Only what still applies: never the running revision, and
    no rollback older than ``since`` (recent history, not last month's)."""
    marks: dict[str, RolledBackFrom] = {}
    final: dict[str, str] = {}  # request id → its last outcome (verified, rollout failed…)
    sent: list[tuple[str, Mapping]] = []
    for entry in audit_entries:
        details = entry.get("details") or {}
        if entry.get("target") != target or not isinstance(details, Mapping):
            continue
        outcome, request_id = str(entry.get("outcome", "")), str(details.get("request_id", ""))
        if outcome not in DEPLOYED_OUTCOMES:
            continue
        if outcome == "succeeded":
            at = _parse_ts(entry.get("ts"))
            if since is None or (at is not None and at >= since):
                sent.append((request_id, entry))
        else:
            final[request_id] = outcome
    for request_id, entry in sent:
        details = entry["details"]
        before, after = details.get("task_definition_before"), details.get("task_definition")
        after_label = task_definition_label(after) if after else None
        if after_label:
            marks.pop(after_label, None)  # deployed again on purpose: no longer "just left"
        if entry.get("action") == "rollback" and before and after_label and task_definition_label(before) != after_label:
            verdict = final.get(request_id)
            how = f"rolled back to {after_label}" + (f" ({verdict})" if verdict else "")
            marks[task_definition_label(before)] = RolledBackFrom(_parse_ts(entry.get("ts")), how)
    if service is not None:
        for deployment in service.deployments:
            if deployment.rollout_state == "FAILED" and deployment.status != "PRIMARY":
                label = task_definition_label(deployment.task_definition)
                reason = f": {deployment.rollout_reason}" if deployment.rollout_reason else ""
                marks.setdefault(
                    label, RolledBackFrom(deployment.updated_at or deployment.created_at, f"its rollout FAILED{reason}")
                )
        running = service.primary.task_definition if service.primary else service.task_definition
        marks.pop(task_definition_label(running), None)
    return marks


def revision_rows(
    definitions: Iterable[TaskDefinition],
    service: ServiceSnapshot | None,
    left: Mapping[str, RolledBackFrom] | None = None,
) -> tuple[RevisionRow, ...]:
    """Newest first; the running revision cannot be chosen (rolling back to it changes nothing). ``left``: the
    revisions the service was just rolled back from (``rolled_back_from``)."""
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
            RevisionRow(
                td,
                running_now=label == running,
                used_before=label in used and label != running,
                why_not=why_not,
                rolled_back_from=(left or {}).get(label) if label != running else None,
            )
        )
    return tuple(rows)


def preselected(rows: tuple[RevisionRow, ...]) -> int | None:
    """Index of the previous revision: the newest selectable one older than the running one that the service
    was not just rolled back from (the last one that ran healthy before the failing deployment); else the newest
    selectable one not rolled back from; else none is preselected rather than one the service just left."""
    running = next((r.revision for r in rows if r.running_now), None)
    fine = [i for i, r in enumerate(rows) if r.selectable and r.rolled_back_from is None]
    older = [i for i in fine if running is None or rows[i].revision < running]
    if older:
        return older[0]
    return fine[0] if fine else None


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
