"""Fake ECS: a service snapshot, its tasks, task definitions, and recorded UpdateService calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.ecs_tasks import EcsTask, ServiceTasks, TaskArns, split_tasks
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import ServiceSnapshot, TaskDefinition


class FakeEcs(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.service: ServiceSnapshot | None = None
        self.task_definitions: dict[str, TaskDefinition] = {}
        self.updates: list[dict] = []
        self.tasks: list[EcsTask] = []  # the service's tasks, running and stopped (desired_status tells)
        self.task_page_size = 100  # ListTasks page size (to test the page limit)

    async def describe_service(self, cluster: str, service: str) -> ServiceSnapshot:
        await self._enter("describe_service")
        if self.service is None or self.service.cluster != cluster or self.service.name != service:
            raise AwsFailure(FailureKind.NOT_FOUND, f"service {service} not found in {cluster}", operation="DescribeServices")
        return self.service

    async def describe_task_definition(self, task_definition: str) -> TaskDefinition:
        await self._enter("describe_task_definition")
        for arn, td in self.task_definitions.items():
            if task_definition in (arn, f"{td.family}:{td.revision}"):
                return td
        raise AwsFailure(
            FailureKind.NOT_FOUND, f"task definition {task_definition} not found", operation="DescribeTaskDefinition"
        )

    async def list_task_definitions(self, family: str, *, status: str = "ACTIVE") -> list[str]:
        await self._enter("list_task_definitions")
        tds = [td for td in self.task_definitions.values() if td.family == family and td.status == status]
        return [td.arn for td in sorted(tds, key=lambda td: td.revision, reverse=True)]

    async def task_definition_history(self, family: str, *, limit: int = 10) -> list[TaskDefinition]:
        await self._enter("task_definition_history")
        tds = [td for td in self.task_definitions.values() if td.family == family]
        return sorted(tds, key=lambda td: td.revision, reverse=True)[:limit]

    def _cluster_known(self, cluster: str, operation: str) -> None:
        if self.service is not None and cluster != self.service.cluster:
            raise AwsFailure(
                FailureKind.NOT_FOUND, f"cluster {cluster} not found", code="ClusterNotFoundException", operation=operation
            )

    async def list_tasks(self, cluster: str, service: str, *, desired_status: str = "RUNNING", max_pages: int = 10) -> TaskArns:
        await self._enter("list_tasks")
        self._cluster_known(cluster, "ListTasks")
        arns = tuple(t.arn for t in self.tasks if t.desired_status == desired_status)
        limit = max_pages * self.task_page_size
        return TaskArns(arns[:limit], complete=len(arns) <= limit)

    async def describe_tasks(self, cluster: str, arns: Sequence[str]) -> list[EcsTask]:
        unique = list(dict.fromkeys(arns))
        if not unique:
            return []
        for _ in range(0, len(unique), 100):
            await self._enter("describe_tasks")  # one call per batch of 100, as the real gateway
        self._cluster_known(cluster, "DescribeTasks")
        by_arn = {t.arn: t for t in self.tasks}
        return [by_arn[a] for a in unique if a in by_arn]

    async def service_tasks(self, cluster: str, service: str, *, stopped: bool = True) -> ServiceTasks:
        running = await self.list_tasks(cluster, service)
        halted = await self.list_tasks(cluster, service, desired_status="STOPPED") if stopped else TaskArns(())
        described = await self.describe_tasks(cluster, running.arns + halted.arns)
        return split_tasks(described, complete=running.complete and halted.complete)

    def deregister(self, revision_arn: str) -> None:
        """What DeregisterTaskDefinition does: the revision stays describable, INACTIVE."""
        self.task_definitions[revision_arn] = replace(self.task_definitions[revision_arn], status="INACTIVE")

    async def update_service(
        self,
        cluster: str,
        service: str,
        *,
        task_definition: str | None = None,
        force_new_deployment: bool = False,
    ) -> ServiceSnapshot:
        if self.read_only:
            raise AwsFailure(
                FailureKind.READ_ONLY, "update_service refused: the app is in read-only mode", operation="UpdateService"
            )
        await self._enter("update_service")
        self.updates.append(
            {"cluster": cluster, "service": service, "task_definition": task_definition, "force": force_new_deployment}
        )
        current = await self.describe_service(cluster, service)
        if task_definition:
            td = await self.describe_task_definition(task_definition)
            if td.status != "ACTIVE":
                raise AwsFailure(
                    FailureKind.INVALID_REQUEST,
                    f"TaskDefinition is inactive ({td.family}:{td.revision})",
                    operation="UpdateService",
                )
            current = replace(current, task_definition=td.arn)
        self.service = current
        return current
