"""ECS rollouts moto lacks: UpdateService starts a deployment that the simulator rolls out tick by tick.

A new PRIMARY deployment (rolloutState IN_PROGRESS) starts tasks one per tick; each becomes RUNNING after
two ticks, then an old task is drained and stopped; when only the new tasks remain the deployment is
COMPLETED, the old one disappears and the service events read as AWS writes them.

The deployment circuit breaker (``deploymentCircuitBreaker`` enable + rollback, seeded on): in ``bad-deploy``
the tasks of a deployment of the newest revision requested by UpdateService fail their ELB health checks; after
``failure_threshold`` failed tasks the deployment is FAILED and the service rolls back to the last COMPLETED one.
The running tasks of that revision fail them too, each after one to two ``UNHEALTHY_AFTER_TICKS`` running, and the scheduler
replaces them (the circuit breaker watches a rollout only): the tasks view lists them, stopped by ELB health checks.
"""

from __future__ import annotations

import copy
import math
import sys
import uuid
from datetime import datetime
from typing import Any

from moto.ecs import models as ecs_models
from moto.logs.models import logs_backends

from kojan_tui.demo import ecs_tasks, world_clock
from kojan_tui.demo.seed import DEPLOYMENT_CONFIGURATION
from kojan_tui.demo.world import SimTask, World

PENDING_TICKS = 2  # provisioning + health checks before a task counts as RUNNING
MAX_EVENTS = 100  # AWS keeps the 100 newest service events
HEALTH_CHECKS_FAIL_IN = frozenset({"bad-deploy"})  # scenarios where a requested deployment of the newest revision fails
CIRCUIT_BREAKER_FAILED_REASON = "ECS deployment circuit breaker: tasks failed to start."
CRASH_REASON = "Essential container in task exited"
UNHEALTHY_AFTER_TICKS = 12  # bad-deploy: a running task of the newest revision fails its health checks this late
FAILING_CHECKS_TICKS = 1  # ...its target is unhealthy for the tick before ECS stops it

_world: World | None = None
_original_update_service = ecs_models.EC2ContainerServiceBackend.update_service


def _utc(epoch: float | None = None) -> datetime:
    return world_clock.naive_utc(epoch)


def ecs_backend(world: World) -> Any:
    return ecs_models.ecs_backends[world.account_id][world.region]


def world_service(world: World) -> Any | None:
    return ecs_backend(world).services.get(f"{world.config.service.cluster}:{world.config.service.name}")


def latest_task_definition(world: World) -> str:
    """The family's newest ACTIVE revision (a revision registered by hand counts too)."""
    revisions = ecs_backend(world).task_definitions.get(world.config.service.task_family, {})
    active = [td for td in revisions.values() if td.status == "ACTIVE"]
    return max(active, key=lambda td: td.revision).arn if active else world.task_definitions[-1]


def add_event(service: Any, message: str, when: float | None = None) -> None:
    event = {"id": str(uuid.uuid4()), "createdAt": _utc(when), "message": f"(service {service.name}) {message}"}
    service.events = [event, *service.events][:MAX_EVENTS]


def new_deployment(world: World, service: Any, task_definition: str, when: float | None = None) -> dict[str, Any]:
    deployment_id = world.new_deployment_id()
    return {
        "id": deployment_id,
        "status": "PRIMARY",
        "taskDefinition": task_definition,
        "desiredCount": service.desired_count,
        "pendingCount": 0,
        "runningCount": 0,
        "failedTasks": 0,
        "createdAt": _utc(when),
        "updatedAt": _utc(when),
        "launchType": service.launch_type or "FARGATE",
        "platformVersion": "1.4.0",
        "platformFamily": "Linux",
        "networkConfiguration": getattr(service, "network_configuration", None) or None,
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": f"ECS deployment {deployment_id} in progress.",
    }


def start_deployment(world: World, service: Any, task_definition: str) -> dict[str, Any]:
    """A new PRIMARY deployment; every earlier one becomes ACTIVE and is drained by ``step``."""
    with world.lock:
        deployment = new_deployment(world, service, task_definition)
        for old in service.deployments:
            old["status"], old["updatedAt"] = "ACTIVE", _utc()
        service.deployments = [deployment, *service.deployments]
        service.task_definition = task_definition
        service.__dict__["_kojan_steady"] = False
        return deployment


def launch_task(
    world: World,
    service: Any,
    deployment: dict[str, Any],
    state: str = "PENDING",
    when: float | None = None,
    log_event: bool = True,
) -> SimTask:
    task = SimTask(world.new_task_id(), deployment["taskDefinition"], deployment["id"], when or world.now(), state)
    task.cpu_jitter = world.rng.uniform(-3, 3)
    world.tasks.append(task)
    _mirror(ecs_tasks.add, world, service, task)
    logs = logs_backends[world.account_id][world.region]
    group = world.config.service.log_group
    if group in logs.groups and world.log_stream_for(task.task_id) not in logs.groups[group].streams:
        logs.create_log_stream(group, world.log_stream_for(task.task_id))
    if log_event:
        add_event(service, f"has started 1 tasks: (task {task.task_id}).", when)
    return task


def _mirror(action: Any, *args: Any) -> None:
    """Keep moto's task list in step; a failure there must never stop the simulated service."""
    try:
        action(*args)
    except Exception as exc:  # noqa: BLE001
        print(f"kojan-tui demo: could not mirror an ECS task into moto: {exc!r}", file=sys.stderr)


def stop_task(world: World, service: Any, task: SimTask, reason: str = "") -> None:
    """Stop ``task``; without a ``reason`` it is a scheduler replacement (drained first), as in a rollout."""
    world.tasks.remove(task)
    if not reason:
        add_event(service, "has begun draining connections on 1 tasks.")
        if world.target_group_arn:
            add_event(service, f"deregistered 1 targets in (target-group {world.target_group_arn})")
    _mirror(ecs_tasks.remove, world, task, reason or f"Scaling activity initiated by (deployment {task.deployment_id})")
    add_event(service, f"has stopped 1 running tasks: (task {task.task_id}).")
    service.__dict__["_kojan_steady"] = False


def failure_threshold(desired_count: int) -> int:
    """AWS's circuit breaker threshold: half the desired count, rounded up, at least 3 and at most 200."""
    return min(200, max(3, math.ceil(desired_count * 0.5)))


def fails_health_checks(world: World, service: Any, deployment: dict[str, Any]) -> bool:
    """In ``bad-deploy``, a deployment of the newest revision that UpdateService asked for never gets healthy
    (the seeded tasks and a circuit breaker's rollback do)."""
    return (
        world.scenario_name in HEALTH_CHECKS_FAIL_IN
        and deployment["taskDefinition"] == latest_task_definition(world)
        and deployment["id"] in service.__dict__.get("_kojan_requested", set())
    )


def fail_health_checks(world: World, service: Any, task: SimTask, deployment: dict[str, Any] | None) -> None:
    """The ALB found ``task`` unhealthy and ECS stops it; a rollout's ``deployment`` counts it as failed."""
    target_group = world.target_group_arn or "unknown"
    add_event(
        service,
        f"(port 8080) is unhealthy in (target-group {target_group}) due to (reason Health checks failed with these codes: [500]).",
    )
    stop_task(world, service, task, reason=f"Task failed ELB health checks in (target-group {target_group})")
    if deployment is not None:
        deployment["failedTasks"] = deployment.get("failedTasks", 0) + 1
        deployment["updatedAt"] = _utc()


def turns_unhealthy(world: World, task: SimTask, *, early: int = 0) -> bool:
    """bad-deploy: a task of the newest revision fails its health checks after ``UNHEALTHY_AFTER_TICKS`` running,
    plus up to as many again by its id (tasks started together do not all fail in the same tick)."""
    after = UNHEALTHY_AFTER_TICKS + int(task.task_id[:4], 16) % UNHEALTHY_AFTER_TICKS - early
    return (
        world.scenario_name in HEALTH_CHECKS_FAIL_IN
        and task.state == "RUNNING"
        and task.ticks_in_state >= after
        and task.task_definition == latest_task_definition(world)
    )


def failing_health_checks(world: World, task: SimTask) -> bool:
    """The task's target already fails the ALB's checks (an unhealthy host until ECS stops it)."""
    return turns_unhealthy(world, task, early=FAILING_CHECKS_TICKS)


def trip_circuit_breaker(world: World, service: Any, primary: dict[str, Any]) -> bool:
    """FAILED once the threshold of failed tasks is reached; with rollback on, back to the last COMPLETED deployment."""
    breaker = (getattr(service, "deployment_configuration", None) or {}).get("deploymentCircuitBreaker") or {}
    if not breaker.get("enable") or primary["rolloutState"] != "IN_PROGRESS":
        return False
    if primary.get("failedTasks", 0) < failure_threshold(service.desired_count):
        return False
    primary.update(rolloutState="FAILED", rolloutStateReason=CIRCUIT_BREAKER_FAILED_REASON, updatedAt=_utc())
    add_event(service, f"(deployment {primary['id']}) deployment failed: tasks failed to start.")
    last_completed = service.__dict__.get("_kojan_last_completed")
    if breaker.get("rollback") and last_completed:
        add_event(service, f"rolling back to deployment {last_completed[0]}.")
        start_deployment(world, service, last_completed[1])
    return True


def recount(world: World, service: Any) -> None:
    for d in service.deployments:
        mine = [t for t in world.tasks if t.deployment_id == d["id"]]
        d["runningCount"] = sum(t.state == "RUNNING" for t in mine)
        d["pendingCount"] = sum(t.state == "PENDING" for t in mine)
        if d["status"] == "PRIMARY":
            d["desiredCount"] = service.desired_count
    service.running_count = sum(t.state == "RUNNING" for t in world.tasks)
    service.pending_count = sum(t.state == "PENDING" for t in world.tasks)


def step(world: World) -> None:
    """One tick of ECS: tasks start, become healthy, old ones drain, deployments complete.

    Tasks of ``world.failing_deployments`` (the outage scenario) exit instead: running 0 of desired.
    """
    service = world_service(world)
    if service is None or not service.deployments:
        return
    with world.lock:
        primary = next(d for d in service.deployments if d["status"] == "PRIMARY")
        by_id = {d["id"]: d for d in service.deployments}
        for task in list(world.tasks):
            task.ticks_in_state += 1
            if task.deployment_id in world.failing_deployments and (
                task.state == "RUNNING" or task.ticks_in_state >= PENDING_TICKS
            ):
                stop_task(world, service, task, reason=CRASH_REASON)  # outage: it exits; the scheduler tries again
                continue
            if turns_unhealthy(world, task):
                fail_health_checks(world, service, task, None)  # the scheduler starts a replacement below
                continue
            if task.state == "PENDING" and task.ticks_in_state >= PENDING_TICKS:
                deployment = by_id.get(task.deployment_id)
                if deployment is not None and fails_health_checks(world, service, deployment):
                    fail_health_checks(world, service, task, deployment)
                    continue
                task.state, task.ticks_in_state = "RUNNING", 0
                _mirror(ecs_tasks.sync, world, service, task)
                if world.target_group_arn:
                    add_event(service, f"registered 1 targets in (target-group {world.target_group_arn})")
        if trip_circuit_breaker(world, service, primary):
            recount(world, service)
            return
        mine = [t for t in world.tasks if t.deployment_id == primary["id"]]
        old = [t for t in world.tasks if t.deployment_id != primary["id"]]
        if len(mine) < service.desired_count and primary["rolloutState"] != "FAILED":
            launch_task(world, service, primary)
        running_new = sum(t.state == "RUNNING" for t in mine)
        if old and running_new and running_new + len(old) > service.desired_count:
            stop_task(world, service, old[0])
        elif not old and len(mine) > service.desired_count:
            stop_task(world, service, sorted(mine, key=lambda t: t.started_at)[0])
        recount(world, service)
        if not old and primary["runningCount"] == service.desired_count and not primary["pendingCount"]:
            if primary["rolloutState"] == "IN_PROGRESS":
                primary["rolloutState"] = "COMPLETED"
                primary["rolloutStateReason"] = f"ECS deployment {primary['id']} completed."
                primary["updatedAt"] = _utc()
                service.deployments = [primary]
                service.__dict__["_kojan_last_completed"] = (primary["id"], primary["taskDefinition"])
                add_event(service, f"deployment {primary['id']} deployment completed.")
            if not service.__dict__.get("_kojan_steady"):
                service.__dict__["_kojan_steady"] = True
                add_event(service, "has reached a steady state.")


def settle(world: World, task_definition: str, when: float | None = None) -> None:
    """Put the service straight into a steady state on ``task_definition`` (seeding and test resets)."""
    service = world_service(world)
    with world.lock:
        _mirror(ecs_tasks.forget_all, world)
        world.tasks.clear()
        deployment = new_deployment(world, service, task_definition, when)
        deployment.update(rolloutState="COMPLETED", rolloutStateReason=f"ECS deployment {deployment['id']} completed.")
        service.deployments = [deployment]
        service.task_definition = task_definition
        service.desired_count = 2
        service.deployment_configuration = copy.deepcopy(DEPLOYMENT_CONFIGURATION)
        service.__dict__["_kojan_last_completed"] = (deployment["id"], task_definition)
        service.__dict__["_kojan_requested"] = set()
        for _ in range(service.desired_count):
            task = launch_task(world, service, deployment, state="RUNNING", when=when, log_event=False)
            add_event(service, f"has started 1 tasks: (task {task.task_id}).", when)
        add_event(service, f"deployment {deployment['id']} deployment completed.", when)
        add_event(service, "has reached a steady state.", when)
        service.__dict__["_kojan_steady"] = True
        recount(world, service)


def update_service(self: Any, service_properties: dict[str, Any]) -> Any:
    """moto's UpdateService, plus a real deployment for the simulated service."""
    world = _world
    cluster = self._get_cluster(service_properties.get("cluster", "default"))
    name = service_properties["service"].split("/")[-1]
    service = self._get_service(cluster.name, name)
    if world is None or service is not world_service(world):
        result = _original_update_service(self, service_properties)
        if result.task_definition and not result.task_definition.startswith("arn:"):
            result.task_definition = self.describe_task_definition(result.task_definition).arn
        return result
    with world.lock:
        props = dict(service_properties)
        for key in ("cluster", "service"):
            props.pop(key, None)
        task_definition_str = props.pop("task_definition", None)
        force = bool(props.pop("force_new_deployment", False))
        desired = props.pop("desired_count", None)
        for prop, value in props.items():
            if value is not None and hasattr(service, prop):
                setattr(service, prop, value)
        if desired is not None and int(desired) != service.desired_count:
            service.desired_count = int(desired)
            service.__dict__["_kojan_steady"] = False
        target = self.describe_task_definition(task_definition_str).arn if task_definition_str else service.task_definition
        if target != service.task_definition or force:
            deployment = start_deployment(world, service, target)
            service.__dict__.setdefault("_kojan_requested", set()).add(deployment["id"])
        recount(world, service)
        return service


def apply(world: World) -> None:
    global _world
    _world = world
    ecs_models.EC2ContainerServiceBackend.update_service = update_service
