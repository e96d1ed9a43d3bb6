"""Mirror the simulated tasks into moto's ECS so ``list-tasks`` / ``describe-tasks`` show the running service.

moto's tasks walk towards STOPPED whenever they are described; these stay in the state the simulator gives.
A stopped task reads as AWS writes it: stop code, stopped reason, its container's exit code and reason
(``stop_details``); it stays listable for an hour (a bounded number of them), and ListTasks pages by 100.
"""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime
from typing import Any

from moto.core.responses import ActionResult
from moto.ecs import models as ecs_models
from moto.ecs import responses as ecs_responses

from kojan_tui.demo.world import SimTask, World

KEEP_STOPPED_TASKS = 400  # AWS lists stopped tasks for about an hour; bounded here (a crash loop stops many)
STOPPED_RETENTION_S = 3600.0
LIST_TASKS_PAGE = 100  # ListTasks' maxResults default and maximum
OOM_REASON = "OutOfMemoryError: Container killed due to memory usage"
ESSENTIAL_EXITED = "Essential container in task exited"
GO_PANIC_EXIT_CODE = 2  # a Go program that panics exits with status 2


class SimulatedEcsTask(ecs_models.Task):
    """A moto Task whose status is set by the simulator, not advanced by DescribeTasks."""

    def advance(self) -> None:
        return None

    @property
    def status(self) -> str | None:
        return self.__dict__.get("_kojan_status", "PROVISIONING")

    @status.setter
    def status(self, value: str | None) -> None:
        self.__dict__["_kojan_status"] = value


def stop_details(reason: str) -> tuple[str, str, int | None, str]:
    """(stopCode, the task's stoppedReason, the container's exitCode, the container's reason) for ``reason``.

    An OOM kill reads "Essential container in task exited" on the task and the OutOfMemoryError on its
    container (exit 137); a crash exits 2 (a Go panic); a task the scheduler stops (health checks, scale-in,
    a rollout) gets SIGTERM and the Go server shuts down cleanly (exit 0)."""
    if "OutOfMemoryError" in reason:
        return "EssentialContainerExited", ESSENTIAL_EXITED, 137, OOM_REASON
    if reason == ESSENTIAL_EXITED:
        return "EssentialContainerExited", ESSENTIAL_EXITED, GO_PANIC_EXIT_CODE, ""
    return "ServiceSchedulerInitiated", reason, 0, ""


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)


def add(world: World, service: Any, task: SimTask) -> None:
    backend = ecs_models.ecs_backends[world.account_id][world.region]
    cluster = backend.clusters[service.cluster_name]
    definition = copy.copy(backend.describe_task_definition(task.task_definition))
    definition.network_mode = None  # moto's own awsvpc path fails (its ENI lacks private_dns_name): attach by hand
    mirrored = SimulatedEcsTask(
        cluster,
        definition,
        None,
        None,
        backend,
        group=f"service:{service.name}",
        launch_type="FARGATE",
        started_by=task.deployment_id,
        platform_version="1.4.0",
    )
    subnets = (service.network_configuration or {}).get("awsvpcConfiguration", {}).get("subnets") or ["subnet-demo"]
    digits = int(task.task_id[:4], 16)
    mirrored.network_configuration = service.network_configuration
    mirrored.attachments = [
        {
            "id": str(uuid.UUID(task.task_id)),
            "type": "ElasticNetworkInterface",
            "status": "ATTACHED",
            "details": [
                {"name": "subnetId", "value": subnets[digits % len(subnets)]},
                {"name": "privateIPv4Address", "value": f"10.0.{1 + digits % len(subnets)}.{10 + digits % 240}"},
            ],
        }
    ]
    mirrored.id = task.task_id
    mirrored.status = "PENDING"
    mirrored.desired_status = "RUNNING"
    mirrored.created_at = _utc(task.started_at)
    mirrored.cpu, mirrored.connectivity = "512", "CONNECTED"
    mirrored.memory = str(getattr(definition, "memory", None) or "1024")
    mirrored.availability_zone = "ap-northeast-1a" if int(task.task_id[-1], 16) % 2 else "ap-northeast-1c"
    for container in mirrored.containers:
        container.task_arn = mirrored.task_arn  # moto names the task definition here
        container.exitCode = None  # a running container has no exit code yet
        container.reason = None
        container.health_status = "UNKNOWN"
    backend.tasks.setdefault(cluster.name, {})[mirrored.task_arn] = mirrored
    sync(world, service, task)


def _find(world: World, task: SimTask) -> tuple[dict[str, Any], str] | None:
    backend = ecs_models.ecs_backends[world.account_id][world.region]
    for tasks in backend.tasks.values():
        for arn, mirrored in tasks.items():
            if isinstance(mirrored, SimulatedEcsTask) and mirrored.id == task.task_id:
                return tasks, arn
    return None


def sync(world: World, service: Any, task: SimTask) -> None:
    """Follow the simulator: RUNNING (healthy, started now or at the task's start) once it says so."""
    found = _find(world, task)
    if found is None:
        return
    mirrored = found[0][found[1]]
    mirrored.status = task.state
    if task.state == "RUNNING" and getattr(mirrored, "started_at", None) is None:
        mirrored.started_at = _utc(min(world.now(), task.started_at + 30))  # ~30 s to pull the image and start
        mirrored.health_status = "HEALTHY"
        for container in mirrored.containers:
            container.last_status, container.health_status = "RUNNING", "HEALTHY"


def remove(world: World, task: SimTask, reason: str) -> None:
    """STOPPED with AWS's stoppedReason; the newest few stay listable (``--desired-status STOPPED``), as in AWS."""
    found = _find(world, task)
    if found is None:
        return
    tasks, arn = found
    mirrored = tasks[arn]
    now = world.now()
    mirrored.status, mirrored.desired_status = "STOPPED", "STOPPED"
    mirrored.stop_code, mirrored.stopped_reason, exit_code, container_reason = stop_details(reason)
    mirrored.stopping_at = _utc(now - 1)
    mirrored.stopped_at = mirrored.execution_stopped_at = _utc(now)
    mirrored.health_status = "UNKNOWN"
    for container in mirrored.containers:
        container.last_status, container.exitCode, container.health_status = "STOPPED", exit_code, "UNKNOWN"
        container.reason = container_reason or None
    forget_old_stopped(tasks, now)


def forget_old_stopped(tasks: dict[str, Any], now: float) -> None:
    """Stopped tasks leave the listing after an hour, and beyond the newest ``KEEP_STOPPED_TASKS``."""
    stopped = [a for a, t in tasks.items() if isinstance(t, SimulatedEcsTask) and t.status == "STOPPED"]
    cutoff = _utc(now - STOPPED_RETENTION_S)
    expired = {a for a in stopped if (tasks[a].stopped_at or cutoff) < cutoff}
    kept = [a for a in stopped if a not in expired]
    for old in [*expired, *kept[: max(0, len(kept) - KEEP_STOPPED_TASKS)]]:
        tasks.pop(old)


def forget_all(world: World) -> None:
    """Drop every mirrored task (a reset)."""
    backend = ecs_models.ecs_backends[world.account_id][world.region]
    for tasks in backend.tasks.values():
        for arn in [a for a, t in tasks.items() if isinstance(t, SimulatedEcsTask)]:
            tasks.pop(arn)


def list_tasks(self: Any) -> ActionResult:
    """ListTasks as AWS answers it: RUNNING tasks unless ``desiredStatus`` says otherwise, ``serviceName`` honoured,
    pages of ``maxResults`` (at most 100) with a ``nextToken``."""
    service_name = self._get_param("serviceName")
    tasks = self.ecs_backend.list_tasks(
        self._get_param("cluster", "default"),
        self._get_param("containerInstance"),
        self._get_param("family"),
        self._get_param("startedBy"),
        None,
        self._get_param("desiredStatus") or "RUNNING",
    )
    if service_name:
        tasks = [t for t in tasks if getattr(t, "group", None) == f"service:{service_name.split('/')[-1]}"]
    arns = [t.task_arn for t in tasks]
    size = min(int(self._get_param("maxResults") or LIST_TASKS_PAGE), LIST_TASKS_PAGE)
    token = self._get_param("nextToken")
    start = int(token) if token and str(token).isdigit() else 0
    page: dict[str, Any] = {"taskArns": arns[start : start + size]}
    if start + size < len(arns):
        page["nextToken"] = str(start + size)
    return ActionResult(page)


def apply() -> None:
    ecs_responses.EC2ContainerServiceResponse.list_tasks = list_tasks
