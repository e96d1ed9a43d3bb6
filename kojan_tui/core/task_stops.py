"""Why a task stopped, in plain words (S08/S09: "why are tasks dying?"), and the counts by cause over the last hour.

Read from what DescribeTasks reports: the stop code, the task's stopped reason and each container's exit code
and reason. Pure: the tasks view and the service panel's one line use it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from kojan_tui.core.ecs_tasks import EcsTask
from kojan_tui.core.i18n import N_, ntr, tr

STOP_WINDOW = timedelta(hours=1)  # AWS lists a stopped task for at least an hour
OOM_EXIT_CODE = 137  # 128 + SIGKILL: the kernel's OOM killer (or a kill after the stop timeout)
SCHEDULER_STOP_CODES = frozenset({"ServiceSchedulerInitiated", "UserInitiated", "SpotInterruption", "TerminationNotice"})
_DEPLOYMENT_IN_REASON = re.compile(r"\(deployment (ecs-svc/\d+)\)")


class StopCause(str, Enum):
    """In the order a task is tested for them (the first that fits)."""

    OUT_OF_MEMORY = "out-of-memory"
    IMAGE_PULL = "image-pull"
    HEALTH_CHECK = "health-check"
    DEPLOYMENT = "deployment"
    SCALED_IN = "scaled-in"
    ESSENTIAL_EXITED = "essential-exited"
    OTHER = "other"


CAUSE_WORDS: dict[StopCause, str] = {  # shown through ``tr``
    StopCause.OUT_OF_MEMORY: N_("out of memory"),
    StopCause.IMAGE_PULL: N_("image pull failed"),
    StopCause.HEALTH_CHECK: N_("failed health check"),
    StopCause.DEPLOYMENT: N_("replaced by a deployment"),
    StopCause.SCALED_IN: N_("scaled in"),
    StopCause.ESSENTIAL_EXITED: N_("essential container exited"),
    StopCause.OTHER: N_("other"),
}
# Causes a person must act on come first in the one line; routine ones (a rollout, a scale-in) last.
LINE_ORDER = (
    StopCause.OUT_OF_MEMORY,
    StopCause.HEALTH_CHECK,
    StopCause.IMAGE_PULL,
    StopCause.ESSENTIAL_EXITED,
    StopCause.OTHER,
    StopCause.DEPLOYMENT,
    StopCause.SCALED_IN,
)
TROUBLE = frozenset({StopCause.OUT_OF_MEMORY, StopCause.HEALTH_CHECK, StopCause.IMAGE_PULL, StopCause.ESSENTIAL_EXITED})


def cause_word(cause: StopCause, language: str) -> str:
    return tr(CAUSE_WORDS[cause], language)


def _reasons(task: EcsTask) -> str:
    return "\n".join([task.stopped_reason, *(c.reason for c in task.containers)])


def classify(task: EcsTask, primary_deployment: str | None = None) -> StopCause:
    """Why ``task`` stopped. ``primary_deployment``: the service's PRIMARY deployment id, which tells a task
    replaced by a newer deployment from one its own deployment scaled in (AWS words both "Scaling activity
    initiated by (deployment <the task's own>)")."""
    reasons = _reasons(task)
    lowered = reasons.lower()
    scheduler_stop = task.stop_code in SCHEDULER_STOP_CODES
    if "outofmemoryerror" in lowered or (not scheduler_stop and any(c.exit_code == OOM_EXIT_CODE for c in task.containers)):
        return StopCause.OUT_OF_MEMORY
    if "cannotpullcontainererror" in lowered or "pull image" in lowered:
        return StopCause.IMAGE_PULL
    if "health check" in lowered:  # "Task failed ELB health checks in (target-group …)", "… container health checks"
        return StopCause.HEALTH_CHECK
    if "deployment circuit breaker" in lowered or re.search(r"deployment .*replaced", lowered):
        return StopCause.DEPLOYMENT
    if "scaling activity initiated by" in lowered:
        named = _DEPLOYMENT_IN_REASON.search(reasons)
        own = named.group(1) if named else task.started_by
        if primary_deployment and own and own != primary_deployment:
            return StopCause.DEPLOYMENT
        return StopCause.SCALED_IN
    if task.stop_code == "EssentialContainerExited" or "essential container in task exited" in lowered:
        return StopCause.ESSENTIAL_EXITED
    return StopCause.OTHER


def exit_codes_text(task: EcsTask) -> str:
    """``business 137`` per container with an exit code (``business 137, sidecar 0``); "" when none has one."""
    return ", ".join(f"{c.name} {c.exit_code}" for c in task.containers if c.exit_code is not None)


def stopped_within(tasks: Iterable[EcsTask], now: datetime, window: timedelta = STOP_WINDOW) -> list[EcsTask]:
    """The stopped tasks that stopped in the ``window`` before ``now`` (a stop without a time is not counted)."""
    since = now - window
    return [
        t for t in tasks if t.stopped and t.stopped_at is not None and since <= t.stopped_at
    ]  # a clock ahead of ours still counts


@dataclass(frozen=True)
class StopCounts:
    """Stopped tasks in the last hour by cause; ``complete`` False: the listing stopped at its page limit."""

    by_cause: tuple[tuple[StopCause, int], ...]
    complete: bool = True

    @property
    def total(self) -> int:
        return sum(n for _, n in self.by_cause)

    @property
    def trouble(self) -> bool:
        """Some stop a person must look at (memory, health checks, image pulls, crashes)."""
        return any(cause in TROUBLE for cause, _ in self.by_cause)

    def line(self, language: str) -> str:
        """``3 tasks stopped in the last hour: 3 out of memory`` (ja/en); "" when none stopped."""
        if not self.total:
            return ""
        at_least = "" if self.complete else tr("at least ", language)
        parts = ", ".join(f"{n} {cause_word(cause, language)}" for cause, n in self.by_cause)
        return ntr(
            "{at_least}{n} task stopped in the last hour: {parts}",
            "{at_least}{n} tasks stopped in the last hour: {parts}",
            self.total,
            language,
        ).format(at_least=at_least, n=self.total, parts=parts)


def count_stops(
    tasks: Iterable[EcsTask],
    now: datetime,
    *,
    primary_deployment: str | None = None,
    complete: bool = True,
    window: timedelta = STOP_WINDOW,
) -> StopCounts:
    counts = Counter(classify(t, primary_deployment) for t in stopped_within(tasks, now, window))
    ordered = tuple((cause, counts[cause]) for cause in LINE_ORDER if counts[cause])
    return StopCounts(ordered, complete)
