"""The service's tasks, read cheaply: a stopped task never changes, so each is described once and kept.

``TaskWatch.poll()`` lists the STOPPED tasks (one ListTasks page per 100) and describes only those it has not
seen; with ``running`` it lists and describes the running ones too (they change: health, status). The service
panel's count polls without ``running`` once a minute; the tasks screen polls with it while it is open.
"""

from __future__ import annotations

from kojan_tui.aws.protocol import EcsApi
from kojan_tui.core.config import ServiceSettings
from kojan_tui.core.ecs_tasks import EcsTask, ServiceTasks, split_tasks

TASK_STOPS_INTERVAL_S = 60.0  # the service panel's "N tasks stopped in the last hour"
TASKS_SCREEN_INTERVAL_S = 10.0  # the tasks screen, while it is open


class TaskWatch:
    def __init__(self, gateway: EcsApi, service: ServiceSettings) -> None:
        self.gateway = gateway
        self.service = service
        self._stopped: dict[str, EcsTask] = {}  # described once: a STOPPED task's record is final

    async def poll(self, *, running: bool = False) -> ServiceTasks:
        cluster, name = self.service.cluster, self.service.name
        halted = await self.gateway.list_tasks(cluster, name, desired_status="STOPPED")
        live = await self.gateway.list_tasks(cluster, name) if running else None
        unknown = [arn for arn in halted.arns if arn not in self._stopped]
        described = await self.gateway.describe_tasks(cluster, [*(live.arns if live else ()), *unknown])
        fresh = {t.arn: t for t in described}
        # Listed as STOPPED but still stopping (desired STOPPED, last status not yet): described again next time.
        self._stopped = {
            arn: task for arn in halted.arns if (task := self._stopped.get(arn) or fresh.get(arn)) is not None and task.stopped
        }
        shown = [t for t in described if not t.stopped and live is not None and t.arn in live.arns]
        stopping = [fresh[arn] for arn in halted.arns if arn in fresh and not fresh[arn].stopped]
        complete = halted.complete and (live.complete if live else True)
        return split_tasks([*shown, *stopping, *self._stopped.values()], complete=complete)
