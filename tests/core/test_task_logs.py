"""A task's own awslogs stream (<prefix>/<container>/<task id>), never guessed, and the window its lines are read in."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kojan_tui.core import task_logs
from kojan_tui.core.ecs_tasks import EcsTask
from kojan_tui.core.models import ContainerDefinition, TaskDefinition

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task/kojan-map-production/0123456789abcdef0123456789abcdef"
TD = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:3"


def task(**kwargs) -> EcsTask:
    return EcsTask(arn=ARN, task_definition=TD, last_status="RUNNING", desired_status="RUNNING", **kwargs)


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def test_the_stream_is_prefix_container_task_id_and_a_container_without_awslogs_is_named_not_guessed():
    definition = TaskDefinition(
        TD,
        "kojan-map-business",
        3,
        (
            ContainerDefinition("business", "img", log_group="/ecs/kojan-map-business", log_stream_prefix="ecs"),
            ContainerDefinition("sidecar", "img"),
        ),
    )
    streams, without = task_logs.task_streams(task(), definition)
    assert streams == [
        task_logs.TaskLogStream("business", "/ecs/kojan-map-business", "ecs/business/0123456789abcdef0123456789abcdef")
    ]
    assert without == ["sidecar"]


def test_a_stopped_task_is_read_over_the_ten_minutes_before_it_stopped_a_running_one_over_the_last_ten():
    stopped = replace(
        task(started_at=NOW - timedelta(hours=2), stopped_at=NOW - timedelta(minutes=5)),
        last_status="STOPPED",
        desired_status="STOPPED",
    )
    window = task_logs.log_window(stopped, NOW)
    assert (window.start_ms, window.end_ms) == (ms(NOW - timedelta(minutes=15)), ms(NOW - timedelta(minutes=5)) + 1000)
    young = task(started_at=NOW - timedelta(minutes=3))
    assert task_logs.log_window(young, NOW) == task_logs.TaskLogWindow(ms(NOW - timedelta(minutes=3)), None)
    old = task(started_at=NOW - timedelta(hours=3))
    assert task_logs.log_window(old, NOW) == task_logs.TaskLogWindow(ms(NOW - timedelta(minutes=10)), None)


def test_the_cli_command_shows_the_same_lines():
    stream = task_logs.TaskLogStream("business", "/ecs/kojan-map-business", "ecs/business/abc")
    command = task_logs.cli_command(stream, task_logs.TaskLogWindow(1000, 2000), region="ap-northeast-1")
    assert command == (
        "aws logs filter-log-events --log-group-name /ecs/kojan-map-business --log-stream-names ecs/business/abc"
        " --start-time 1000 --end-time 2000 --region ap-northeast-1"
    )
