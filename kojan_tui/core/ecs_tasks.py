"""The service's tasks as ListTasks/DescribeTasks report them (S08/S09: which tasks run, which stopped and why).

Plain dataclasses the gateway returns; ``core.task_stops`` classifies the stopped ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from kojan_tui.core.verdict import task_definition_label


@dataclass(frozen=True)
class TaskContainer:
    name: str
    last_status: str  # PENDING | RUNNING | STOPPED
    exit_code: int | None  # None while it runs (and when AWS reports none)
    reason: str = ""  # AWS's reason for a stopped container ("OutOfMemoryError: Container killed due to memory usage")
    health: str = "UNKNOWN"  # HEALTHY | UNHEALTHY | UNKNOWN
    image: str = ""


@dataclass(frozen=True)
class EcsTask:
    arn: str
    task_definition: str  # full ARN
    last_status: str  # PROVISIONING | PENDING | RUNNING | DEPROVISIONING | STOPPED …
    desired_status: str  # RUNNING | STOPPED
    health: str = "UNKNOWN"  # the task's health: HEALTHY | UNHEALTHY | UNKNOWN
    availability_zone: str = ""
    started_by: str = ""  # a service's task: the deployment that started it (ecs-svc/…)
    created_at: datetime | None = None
    started_at: datetime | None = None
    stopping_at: datetime | None = None
    stopped_at: datetime | None = None
    stop_code: str = ""  # EssentialContainerExited | ServiceSchedulerInitiated | TaskFailedToStart | UserInitiated …
    stopped_reason: str = ""
    containers: tuple[TaskContainer, ...] = ()

    @property
    def id(self) -> str:
        return self.arn.rsplit("/", 1)[-1]

    @property
    def revision(self) -> str:
        """``kojan-map-business:3``."""
        return task_definition_label(self.task_definition)

    @property
    def stopped(self) -> bool:
        return self.last_status == "STOPPED"


@dataclass(frozen=True)
class TaskArns:
    """One ListTasks listing; ``complete`` is False when it stopped at its page limit (more exist)."""

    arns: tuple[str, ...]
    complete: bool = True


@dataclass(frozen=True)
class ServiceTasks:
    """The service's running and stopped tasks (newest first in each); ``complete`` as in ``TaskArns``."""

    running: tuple[EcsTask, ...]
    stopped: tuple[EcsTask, ...]
    complete: bool = True

    @property
    def all(self) -> tuple[EcsTask, ...]:
        return self.running + self.stopped


_NEVER = datetime.min.replace(tzinfo=UTC)


def split_tasks(tasks: Sequence[EcsTask], *, complete: bool = True) -> ServiceTasks:
    """Running (anything not yet STOPPED, newest start first) and stopped (newest stop first)."""
    running = sorted((t for t in tasks if not t.stopped), key=lambda t: t.started_at or t.created_at or _NEVER, reverse=True)
    stopped = sorted((t for t in tasks if t.stopped), key=lambda t: t.stopped_at or _NEVER, reverse=True)
    return ServiceTasks(tuple(running), tuple(stopped), complete)
