"""ECS: the service (S01), its tasks and why they stopped (S08/S09), its task definitions (S26 diff), and the one
mutation, UpdateService (S09, S26)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from kojan_tui.aws import convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.ecs_tasks import EcsTask, ServiceTasks, TaskArns, split_tasks
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import ServiceSnapshot, TaskDefinition

MAX_TASK_DEFINITION_PAGES = 10
DESCRIBE_CONCURRENCY = 4  # DescribeTaskDefinition calls in flight at once for the revision history
MAX_TASK_PAGES = 10  # ListTasks pages of 100: 1,000 tasks of one status is far beyond this service
DESCRIBE_TASKS_BATCH = 100  # DescribeTasks takes at most 100 tasks a call


class EcsCalls(AwsBase):
    async def describe_service(self, cluster: str, service: str) -> ServiceSnapshot:
        raw = await self._call("ecs", "DescribeServices", cluster=cluster, services=[service])
        services = raw.get("services") or []
        if not services:
            reasons = ", ".join(str(f.get("reason", "")) for f in raw.get("failures", []) or []) or "MISSING"
            raise AwsFailure(
                FailureKind.NOT_FOUND,
                f"service {service} not found in cluster {cluster} ({reasons})",
                code=reasons,
                operation="DescribeServices",
            )
        return convert.service_snapshot(services[0], cluster)

    async def describe_task_definition(self, task_definition: str) -> TaskDefinition:
        raw = await self._call("ecs", "DescribeTaskDefinition", taskDefinition=task_definition)
        return convert.task_definition(raw.get("taskDefinition", {}))

    async def list_task_definitions(self, family: str, *, status: str = "ACTIVE") -> list[str]:
        """ARNs of the family's revisions in ``status``, newest first (exact family: the API matches a prefix)."""
        arns: list[str] = []
        token = None
        for _ in range(MAX_TASK_DEFINITION_PAGES):
            raw = await self._call(
                "ecs",
                "ListTaskDefinitions",
                familyPrefix=family,
                status=status,
                sort="DESC",
                **({"nextToken": token} if token else {}),
            )
            arns += [a for a in raw.get("taskDefinitionArns", []) if convert.task_definition_revision(a)[0] == family]
            token = raw.get("nextToken")
            if not token:
                break
        return sorted(arns, key=lambda a: convert.task_definition_revision(a)[1], reverse=True)

    async def task_definition_history(self, family: str, *, limit: int = 10) -> list[TaskDefinition]:
        """Both listings (a deregistered revision is INACTIVE, still describable), then the newest ``limit``
        described, a few at a time."""
        arns = {arn for status in ("ACTIVE", "INACTIVE") for arn in await self.list_task_definitions(family, status=status)}
        newest = sorted(arns, key=lambda a: convert.task_definition_revision(a)[1], reverse=True)[:limit]
        definitions: list[TaskDefinition] = []
        for start in range(0, len(newest), DESCRIBE_CONCURRENCY):
            batch = newest[start : start + DESCRIBE_CONCURRENCY]
            definitions += await asyncio.gather(*(self.describe_task_definition(arn) for arn in batch))
        return definitions

    async def list_tasks(
        self, cluster: str, service: str, *, desired_status: str = "RUNNING", max_pages: int = MAX_TASK_PAGES
    ) -> TaskArns:
        """The service's task ARNs with ``desired_status`` (RUNNING | STOPPED), paged by nextToken."""
        arns: list[str] = []
        token = None
        for _ in range(max_pages):
            raw = await self._call(
                "ecs",
                "ListTasks",
                cluster=cluster,
                serviceName=service,
                desiredStatus=desired_status,
                maxResults=100,
                **({"nextToken": token} if token else {}),
            )
            arns += [str(a) for a in raw.get("taskArns", []) or [] if str(a) not in arns]
            token = raw.get("nextToken")
            if not token:
                return TaskArns(tuple(arns))
        return TaskArns(tuple(arns), complete=False)

    async def describe_tasks(self, cluster: str, arns: Sequence[str]) -> list[EcsTask]:
        """The tasks, in batches of 100 (one request per batch; none for no ARN). A task AWS no longer knows
        (``failures``: MISSING) is left out."""
        unique = list(dict.fromkeys(arns))
        tasks: list[EcsTask] = []
        for start in range(0, len(unique), DESCRIBE_TASKS_BATCH):
            raw = await self._call("ecs", "DescribeTasks", cluster=cluster, tasks=unique[start : start + DESCRIBE_TASKS_BATCH])
            tasks += [convert.ecs_task(t) for t in raw.get("tasks", []) or []]
        return tasks

    async def service_tasks(self, cluster: str, service: str, *, stopped: bool = True) -> ServiceTasks:
        """Running and (with ``stopped``) recently stopped tasks, each newest first."""
        running = await self.list_tasks(cluster, service)
        halted = await self.list_tasks(cluster, service, desired_status="STOPPED") if stopped else TaskArns(())
        described = await self.describe_tasks(cluster, running.arns + halted.arns)
        return split_tasks(described, complete=running.complete and halted.complete)

    async def update_service(
        self,
        cluster: str,
        service: str,
        *,
        task_definition: str | None = None,
        force_new_deployment: bool = False,
    ) -> ServiceSnapshot:
        """MUTATES production. Refused when read-only: the backstop behind ``kojan_tui.actions``, which
        owns confirmation and the audit trail and is the only caller."""
        if self.read_only:
            raise AwsFailure(
                FailureKind.READ_ONLY, "UpdateService refused: the app is in read-only mode", operation="UpdateService"
            )
        params: dict[str, Any] = {"cluster": cluster, "service": service, "forceNewDeployment": force_new_deployment}
        if task_definition:
            params["taskDefinition"] = task_definition
        raw = await self._call("ecs", "UpdateService", mutation=True, **params)
        return convert.service_snapshot(raw.get("service", {}), cluster)
