"""Why tasks stopped, from the stop codes and reasons AWS writes (S08/S09), and the service panel's one line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kojan_tui.core.ecs_tasks import EcsTask, TaskContainer, split_tasks
from kojan_tui.core.task_stops import StopCause, StopCounts, classify, count_stops, exit_codes_text

NOW = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)
TG = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/kojan-map-business/73e2d6bc24d8a067"
OLD, NEW = "ecs-svc/3396945809284059454", "ecs-svc/8812345678901234567"


def stopped(
    reason: str,
    *,
    code: str = "ServiceSchedulerInitiated",
    exit_code: int | None = 0,
    container_reason: str = "",
    started_by: str = OLD,
    minutes_ago: float = 5,
    task_id: str = "696e474f3a880c2b04f8b3793dd1441c",
) -> EcsTask:
    return EcsTask(
        arn=f"arn:aws:ecs:ap-northeast-1:123456789012:task/kojan-map-production/{task_id}",
        task_definition="arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:3",
        last_status="STOPPED",
        desired_status="STOPPED",
        started_by=started_by,
        stopped_at=NOW - timedelta(minutes=minutes_ago),
        stop_code=code,
        stopped_reason=reason,
        containers=(TaskContainer("business", "STOPPED", exit_code, container_reason),),
    )


OOM = stopped(
    "Essential container in task exited",
    code="EssentialContainerExited",
    exit_code=137,
    container_reason="OutOfMemoryError: Container killed due to memory usage",
)


@pytest.mark.parametrize(
    ("task", "cause"),
    [
        (OOM, StopCause.OUT_OF_MEMORY),
        (  # EC2 launch type: the OOM text on the task itself
            stopped("OutOfMemoryError: Container killed due to memory usage", code="EssentialContainerExited", exit_code=137),
            StopCause.OUT_OF_MEMORY,
        ),
        (  # killed by the kernel without a reason from ECS: exit 137 on its own
            stopped("Essential container in task exited", code="EssentialContainerExited", exit_code=137),
            StopCause.OUT_OF_MEMORY,
        ),
        (  # SIGKILL after the stop timeout of a scheduler stop is not a memory problem
            stopped(f"Scaling activity initiated by (deployment {OLD})", exit_code=137),
            StopCause.SCALED_IN,
        ),
        (stopped(f"Task failed ELB health checks in (target-group {TG})"), StopCause.HEALTH_CHECK),
        (stopped("Task failed container health checks", exit_code=143), StopCause.HEALTH_CHECK),
        (
            stopped(
                "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref "
                "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/kojan-map/business:v9.9.9: not found",
                code="TaskFailedToStart",
                exit_code=None,
            ),
            StopCause.IMAGE_PULL,
        ),
        (stopped("Essential container in task exited", code="EssentialContainerExited", exit_code=2), StopCause.ESSENTIAL_EXITED),
        (stopped("ECS Deployment Circuit Breaker was triggered"), StopCause.DEPLOYMENT),
        (stopped("Task stopped by user", code="UserInitiated"), StopCause.OTHER),
    ],
)
def test_each_stop_is_named_by_its_cause(task, cause):
    assert classify(task, primary_deployment=OLD) is cause


def test_scaling_activity_of_a_replaced_deployment_is_a_deployment_not_a_scale_in():
    """AWS words both the same: the reason names the task's own deployment; only the PRIMARY one tells them apart."""
    rollout = stopped(f"Scaling activity initiated by (deployment {OLD})")
    assert classify(rollout, primary_deployment=NEW) is StopCause.DEPLOYMENT
    assert classify(rollout, primary_deployment=OLD) is StopCause.SCALED_IN
    assert classify(rollout) is StopCause.SCALED_IN  # the service unknown: no claim of a deployment


def test_counts_cover_the_last_hour_only_and_read_in_both_languages():
    tasks = [
        stopped(OOM.stopped_reason, code=OOM.stop_code, exit_code=137, container_reason=OOM.containers[0].reason, minutes_ago=m)
        for m in (2, 20, 59)
    ] + [stopped(f"Task failed ELB health checks in (target-group {TG})", minutes_ago=61)]
    counts = count_stops(tasks, NOW, primary_deployment=OLD)
    assert counts.by_cause == ((StopCause.OUT_OF_MEMORY, 3),) and counts.trouble
    assert counts.line("en") == "3 tasks stopped in the last hour: 3 out of memory"
    assert counts.line("ja") == "過去1時間に停止したタスク 3 件: 3 メモリ不足"


def test_the_line_puts_what_needs_a_person_first_and_says_at_least_when_the_listing_was_cut():
    tasks = [
        stopped(f"Scaling activity initiated by (deployment {OLD})"),
        stopped(f"Scaling activity initiated by (deployment {OLD})"),
        stopped(f"Task failed ELB health checks in (target-group {TG})"),
    ]
    counts = count_stops(tasks, NOW, primary_deployment=NEW, complete=False)
    assert counts.line("en") == "at least 3 tasks stopped in the last hour: 1 failed health check, 2 replaced by a deployment"
    assert counts.line("ja").startswith("過去1時間に停止したタスク 少なくとも3 件")


def test_no_stop_no_line_and_a_stop_without_a_time_is_not_counted():
    assert StopCounts(()).line("en") == "" and StopCounts(()).line("ja") == ""
    untimed = EcsTask("arn:x/1", "td", "STOPPED", "STOPPED", stop_code="EssentialContainerExited")
    assert count_stops([untimed], NOW).total == 0
    assert count_stops([], NOW).total == 0 and not count_stops([], NOW).trouble


def test_exit_codes_and_the_split_into_running_and_stopped():
    assert exit_codes_text(OOM) == "business 137"
    running = EcsTask(
        "arn:x/r", "td", "RUNNING", "RUNNING", started_at=NOW, containers=(TaskContainer("business", "RUNNING", None),)
    )
    assert exit_codes_text(running) == ""
    older = stopped("x", minutes_ago=30, task_id="a")
    newer = stopped("x", minutes_ago=1, task_id="b")
    split = split_tasks([older, running, newer])
    assert split.running == (running,) and split.stopped == (newer, older)
    assert running.id == "r" and newer.revision == "kojan-map-business:3"
