"""CloudWatch Logs export tasks that take time, as AWS's do (S27's monthly archive): PENDING, RUNNING, COMPLETED.

moto finishes an export inside CreateExportTask; here it is PENDING when created, RUNNING after one simulator
tick and COMPLETED after ``COMPLETE_AFTER_TICKS``, when the objects are written to
``<destinationPrefix>/<taskId>/<logStreamName>/000000.gz`` (one per stream with events in the range).
One export may be active at a time per account (LimitExceededException), as in AWS.
"""

from __future__ import annotations

import gzip
import uuid
from datetime import UTC, datetime
from typing import Any

from moto.logs import models as logs_models
from moto.logs.exceptions import InvalidParameterException, LimitExceededException, ResourceNotFoundException
from moto.s3.exceptions import MissingBucket
from moto.s3.models import s3_backends

from kojan_tui.demo import world_clock
from kojan_tui.demo.world import World

RUNNING_AFTER_TICKS = 1
COMPLETE_AFTER_TICKS = 3
MAX_TASKS = 50  # the oldest finished ones are forgotten beyond this

_world: World | None = None


class TimedExportTask(logs_models.ExportTask):
    """An export task that the simulator moves on; ``to_json`` is what DescribeExportTasks answers."""

    def __init__(self, *args: Any, created_tick: int, created_ms: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.created_tick, self.created_ms = created_tick, created_ms
        self.completed_ms: int | None = None
        self.status = {"code": "PENDING", "message": "Pending"}

    def to_json(self) -> dict[str, Any]:
        info: dict[str, Any] = {"creationTime": self.created_ms}
        if self.completed_ms is not None:
            info["completionTime"] = self.completed_ms
        return {**super().to_json(), "executionInfo": info}


def create_export_task(
    self: Any, taskName: str, logGroupName: str, destination: str, destinationPrefix: str, fromTime: int, to: int
) -> str:
    s3 = s3_backends[self.account_id][self.partition]
    try:
        s3.get_bucket(destination)
    except MissingBucket:
        raise InvalidParameterException("The given bucket does not exist. Please make sure the bucket is valid.") from None
    if logGroupName not in self.groups:
        raise ResourceNotFoundException("The specified log group does not exist.")
    if fromTime > to:
        raise InvalidParameterException("The 'from' time must not be after the 'to' time.")
    if any(t.status["code"] in ("PENDING", "RUNNING") for t in self.export_tasks.values()):
        raise LimitExceededException()
    task_id = str(uuid.uuid4())
    ticks = _world.ticks if _world else 0
    now_ms = int(world_clock.now() * 1000)
    self.export_tasks[task_id] = TimedExportTask(
        task_id, taskName, logGroupName, destination, destinationPrefix, fromTime, to, created_tick=ticks, created_ms=now_ms
    )
    s3.put_object(
        bucket_name=destination, key_name=f"{destinationPrefix}/aws-logs-write-test", value=b"Permission Check Successful"
    )
    finished = [k for k, t in self.export_tasks.items() if t.status["code"] not in ("PENDING", "RUNNING")]
    for old in finished[: max(0, len(self.export_tasks) - MAX_TASKS)]:
        self.export_tasks.pop(old)
    return task_id


def write_objects(backend: Any, task: TimedExportTask) -> None:
    s3 = s3_backends[backend.account_id][backend.partition]
    group = backend.groups.get(task.log_group_name)
    for name, stream in list(group.streams.items()) if group is not None else []:
        events = [e for e in stream.events if task.from_time <= e.timestamp <= task.to]
        if not events:
            continue
        lines = [
            f"{datetime.fromtimestamp(e.timestamp / 1000, UTC).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]}Z {e.message}"
            for e in sorted(events, key=lambda e: e.timestamp)
        ]
        key = f"{task.destination_prefix}/{task.task_id}/{name}/000000.gz"
        s3.put_object(bucket_name=task.destination, key_name=key, value=gzip.compress(("\n".join(lines) + "\n").encode()))


def step(world: World) -> None:
    """One simulator tick: move every active export task on."""
    backend = logs_models.logs_backends[world.account_id][world.region]
    for task in list(backend.export_tasks.values()):
        if not isinstance(task, TimedExportTask) or task.status["code"] not in ("PENDING", "RUNNING"):
            continue
        age = world.ticks - task.created_tick
        if age >= COMPLETE_AFTER_TICKS:
            write_objects(backend, task)
            task.status = {"code": "COMPLETED", "message": "Completed successfully"}
            task.completed_ms = int(world.now() * 1000)
        elif age >= RUNNING_AFTER_TICKS:
            task.status = {"code": "RUNNING", "message": "Started successfully"}


def forget_all(world: World) -> None:
    """A reset: no export tasks (the archive bucket's objects are emptied by the caller)."""
    logs_models.logs_backends[world.account_id][world.region].export_tasks.clear()


def apply(world: World) -> None:
    global _world
    _world = world
    logs_models.LogsBackend.create_export_task = create_export_task
