"""One task's own log lines (the Tasks view's ``L``): where the awslogs driver wrote them and over which window.

The awslogs driver names a task's stream ``<awslogs-stream-prefix>/<container name>/<task id>`` in the container's
``awslogs-group``; both come from the task definition. A container without that configuration has no stream to
read: it is reported as such, never guessed.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kojan_tui.core.ecs_tasks import EcsTask
from kojan_tui.core.models import TaskDefinition

BEFORE_STOP = timedelta(minutes=10)  # a stopped task: the lines that explain why it died
RUNNING_WINDOW = timedelta(minutes=10)  # a running task: its most recent lines
AFTER_STOP = timedelta(seconds=1)  # stoppedAt is reported to the second: the last lines may be a little after it


@dataclass(frozen=True)
class TaskLogStream:
    container: str
    log_group: str
    stream: str


@dataclass(frozen=True)
class TaskLogWindow:
    start_ms: int
    end_ms: int | None  # None: up to now (a running task)


def task_streams(task: EcsTask, definition: TaskDefinition) -> tuple[list[TaskLogStream], list[str]]:
    """The task's awslogs streams, one per container configured for them, and the containers that are not."""
    streams: list[TaskLogStream] = []
    without: list[str] = []
    for container in definition.containers:
        if container.log_group and container.log_stream_prefix:
            stream = f"{container.log_stream_prefix}/{container.name}/{task.id}"
            streams.append(TaskLogStream(container.name, container.log_group, stream))
        else:
            without.append(container.name)
    return streams, without


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def log_window(task: EcsTask, now: datetime) -> TaskLogWindow:
    """A stopped task: the 10 minutes before it stopped (never before it started); a running one: the last 10
    minutes (never before it started)."""
    started = task.started_at or task.created_at
    if task.stopped and task.stopped_at is not None:
        start = task.stopped_at - BEFORE_STOP
        if started is not None:
            start = max(start, started)
        return TaskLogWindow(_ms(start), _ms(task.stopped_at + AFTER_STOP))
    start = now - RUNNING_WINDOW
    if started is not None:
        start = max(start, started)
    return TaskLogWindow(_ms(start), None)


def cli_command(
    stream: TaskLogStream,
    window: TaskLogWindow,
    *,
    region: str,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> str:
    """The AWS CLI command that shows the same lines."""
    parts = [
        "aws",
        "logs",
        "filter-log-events",
        "--log-group-name",
        stream.log_group,
        "--log-stream-names",
        stream.stream,
        "--start-time",
        str(window.start_ms),
    ]
    if window.end_ms is not None:
        parts += ["--end-time", str(window.end_ms)]
    parts += ["--region", region]
    if profile:
        parts += ["--profile", profile]
    if endpoint_url:
        parts += ["--endpoint-url", endpoint_url]
    return shlex.join(parts)


def format_line(timestamp_ms: int, message: str) -> str:
    at = datetime.fromtimestamp(timestamp_ms / 1000, UTC)
    return f"{at:%H:%M:%S}.{timestamp_ms % 1000:03d} {message.rstrip(chr(10))}"
