"""The rollout judgement after UpdateService: success only when the PRIMARY deployment runs the chosen
revision AND is COMPLETED. FAILED, or a circuit breaker rolling back to another revision, is a failure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from kojan_tui.core.i18n import N_, Phrase
from kojan_tui.core.models import Deployment, ServiceSnapshot
from kojan_tui.core.verdict import task_definition_label

ROLLBACK_WORDS = ("rolling back", "rolled back", "circuit breaker")


class RolloutPhase(str, Enum):
    IN_PROGRESS = "in progress"
    COMPLETED = "completed"
    FAILED = "failed"
    TIMED_OUT = "timed out"

    @property
    def finished(self) -> bool:
        return self is not RolloutPhase.IN_PROGRESS


@dataclass(frozen=True)
class RolloutJudgement:
    phase: RolloutPhase
    reason: str

    @property
    def text(self) -> str:
        return Phrase(N_("{phase}: {reason}"), phase=self.phase.value.upper(), reason=self.reason)


@dataclass(frozen=True)
class RolloutTarget:
    """What was asked: the revision that must end up PRIMARY, and the deployment UpdateService started."""

    task_definition: str  # ARN or family:rev
    deployment_id: str | None  # the PRIMARY deployment in UpdateService's answer (None: unknown)
    started_at: datetime
    timeout_seconds: float
    created_at: datetime | None = None  # that deployment's createdAt as AWS said (None: unknown)


def _same_revision(a: str, b: str) -> bool:
    return task_definition_label(a) == task_definition_label(b)


def _replaced_by(primary: Deployment | None, target: RolloutTarget) -> bool:
    """A deployment started after ours is PRIMARY while ours is gone from the list: ours ended without completing
    (a completed one stays PRIMARY). The evidence that outlives the events (a circuit breaker's rollback to the
    same revision completes in seconds, and its "rolling back" event soon falls out of the newest ones); judged by
    AWS's own createdAt, so a list from before ours appeared (eventual consistency) never counts."""
    return (
        primary is not None
        and target.deployment_id is not None
        and primary.id != target.deployment_id
        and target.created_at is not None
        and primary.created_at is not None
        and primary.created_at > target.created_at
    )


def judge_rollout(service: ServiceSnapshot, target: RolloutTarget, now: datetime) -> RolloutJudgement:
    primary = service.primary
    ours: Deployment | None = next((d for d in service.deployments if d.id == target.deployment_id), None)
    if ours is not None and ours.rollout_state == "FAILED":
        why = ours.rollout_reason or Phrase(N_("no reason given"))
        return RolloutJudgement(RolloutPhase.FAILED, Phrase(N_("deployment {id} FAILED: {why}"), id=ours.id, why=why))
    for event in service.events:
        message = event.message.lower()
        if event.created_at >= target.started_at and any(word in message for word in ROLLBACK_WORDS):
            return RolloutJudgement(RolloutPhase.FAILED, Phrase(N_("the service rolled back: {message}"), message=event.message))
    if primary is not None and not _same_revision(primary.task_definition, target.task_definition):
        if target.deployment_id is None or primary.id != target.deployment_id:
            label = task_definition_label(primary.task_definition)
            return RolloutJudgement(
                RolloutPhase.FAILED,
                Phrase(
                    N_("the PRIMARY deployment runs {label}, not {target} (rolled back or replaced)"),
                    label=label,
                    target=task_definition_label(target.task_definition),
                ),
            )
    if ours is None and _replaced_by(primary, target):
        assert primary is not None
        return RolloutJudgement(
            RolloutPhase.FAILED,
            Phrase(
                N_("deployment {id} is no longer listed and {primary}, created after it, is PRIMARY (rolled back or replaced)"),
                id=target.deployment_id,
                primary=primary.id,
            ),
        )
    if primary is not None and primary.rollout_state == "FAILED":
        why = primary.rollout_reason or Phrase(N_("no reason given"))
        return RolloutJudgement(RolloutPhase.FAILED, Phrase(N_("deployment {id} FAILED: {why}"), id=primary.id, why=why))
    is_ours = primary is not None and (target.deployment_id is None or primary.id == target.deployment_id)
    if primary is not None and is_ours and _same_revision(primary.task_definition, target.task_definition):
        completed = primary.rollout_state == "COMPLETED" or (
            primary.rollout_state is None and len(service.deployments) == 1 and primary.running == primary.desired
        )
        if completed:
            return RolloutJudgement(
                RolloutPhase.COMPLETED,
                Phrase(
                    N_("PRIMARY {id} runs {label}, COMPLETED ({running}/{desired} running)"),
                    id=primary.id,
                    label=task_definition_label(primary.task_definition),
                    running=primary.running,
                    desired=primary.desired,
                ),
            )
    elapsed = (now - target.started_at).total_seconds()
    if elapsed > target.timeout_seconds:
        return RolloutJudgement(
            RolloutPhase.TIMED_OUT,
            Phrase(
                N_("not COMPLETED after {elapsed} s (timeout {timeout} s)"),
                elapsed=f"{elapsed:.0f}",
                timeout=f"{target.timeout_seconds:.0f}",
            ),
        )
    if primary is None:
        return RolloutJudgement(RolloutPhase.IN_PROGRESS, Phrase(N_("no PRIMARY deployment listed yet")))
    return RolloutJudgement(
        RolloutPhase.IN_PROGRESS,
        Phrase(
            N_("{state}: {running}/{desired} running, {pending} pending{reason}"),
            state=primary.rollout_state or Phrase(N_("rollout state unknown")),
            running=primary.running,
            desired=primary.desired,
            pending=primary.pending,
            reason=f" — {primary.rollout_reason}" if primary.rollout_reason else "",
        ),
    )
