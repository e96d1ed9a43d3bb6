"""S26 core: the task-definition diff, the revision list and the rollout judgement (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from kojan_tui.core.models import ContainerDefinition, Deployment, ServiceEvent, TaskDefinition
from kojan_tui.core.revisions import preselected, previous_note, revision_rows
from kojan_tui.core.rollout import RolloutPhase, RolloutTarget, judge_rollout
from kojan_tui.core.task_diff import HIDDEN, task_definition_diff
from tests.fixtures import builders as b

ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:{}"
IMAGE = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/kojan-map/business:{}"


def td(rev: int, tag: str = "v1", *, status: str = "ACTIVE", env=(), secrets=(), **container) -> TaskDefinition:
    c = ContainerDefinition("business", IMAGE.format(tag), tuple(env), tuple(secrets), **container)
    return TaskDefinition(ARN.format(rev), "kojan-map-business", rev, (c,), status=status)


def dep(id: str, rev: int, *, status="PRIMARY", rollout="IN_PROGRESS", running=0, desired=2, reason=None) -> Deployment:
    return Deployment(id, status, ARN.format(rev), desired, running, 0, rollout, reason, b.NOW, b.NOW)


# ---- diff -------------------------------------------------------------------------------------


def test_diff_names_image_sizes_env_ports_and_health_check() -> None:
    running = td(3, "v1.5.1", env=[("APP_VERSION", "1.5.1"), ("CACHE_TTL", "60")], cpu=512, memory=1024, ports=("8080/tcp",))
    chosen = td(
        2,
        "v1.5.0",
        env=[("APP_VERSION", "1.5.0")],
        cpu=256,
        memory=1024,
        ports=("8080/tcp", "9090/tcp"),
        health_check="CMD-SHELL true (every 15 s)",
    )
    lines = {line.field: line for line in task_definition_diff(running, chosen)}
    assert lines["image"].before.endswith(":v1.5.1") and lines["image"].after.endswith(":v1.5.0")
    assert (lines["cpu"].before, lines["cpu"].after) == ("512", "256")
    assert "memory" not in lines
    assert (lines["env APP_VERSION"].before, lines["env APP_VERSION"].after) == ("1.5.1", "1.5.0")
    assert lines["env CACHE_TTL"].kind == "removed"
    assert lines["ports"].after == "8080/tcp, 9090/tcp"
    assert lines["health check"].kind == "added"


def test_diff_never_shows_a_secret_looking_value_nor_a_secret_reference() -> None:
    running = td(3, env=[("DB_PASSWORD", "hunter2"), ("API_KEY", "abc")], secrets=[("JWT_SECRET", "arn:secret:jwt-AAA")])
    chosen = td(2, env=[("DB_PASSWORD", "swordfish")], secrets=[("JWT_SECRET", "arn:secret:jwt-BBB"), ("NEW", "arn:x")])
    text = "\n".join(line.text for line in task_definition_diff(running, chosen))
    for secret in ("hunter2", "swordfish", "abc", "arn:secret", "arn:x"):
        assert secret not in text
    assert "env DB_PASSWORD" in text and HIDDEN in text
    assert "secret JWT_SECRET: referenced → referenced (another source)" in text
    assert "+ secret NEW: referenced" in text


def test_identical_definitions_have_no_diff() -> None:
    assert task_definition_diff(td(3), td(2)) == ()


# ---- revisions --------------------------------------------------------------------------------


def test_revision_list_preselects_the_previous_and_explains_an_inactive_one() -> None:
    service = replace(
        b.service(),
        task_definition=ARN.format(4),
        deployments=(dep("d4", 4, rollout="COMPLETED"),),
        events=(ServiceEvent("e", b.NOW, "(service x) deployed kojan-map-business:2 earlier"),),
    )
    rows = revision_rows([td(1), td(2), td(3, status="INACTIVE"), td(4)], service)
    assert [r.revision for r in rows] == [4, 3, 2, 1]
    assert rows[0].running_now and not rows[0].selectable
    assert not rows[1].selectable and "INACTIVE" in rows[1].why_not
    assert rows[2].used_before and not rows[3].used_before
    assert preselected(rows) == 2
    assert (
        previous_note(rows)
        == "The previous revision kojan-map-business:3 is INACTIVE; kojan-map-business:2 is preselected instead."
    )


def test_previous_revision_preselected_when_active() -> None:
    service = replace(b.service(), deployments=(dep("d3", 3, rollout="COMPLETED"),))
    rows = revision_rows([td(1), td(2), td(3)], service)
    assert rows[preselected(rows)].revision == 2 and previous_note(rows) is None


# ---- rollout ----------------------------------------------------------------------------------

TARGET = RolloutTarget(ARN.format(2), "d2", b.NOW, timeout_seconds=600)


def snapshot(*deployments: Deployment, events=()):
    return replace(b.service(), deployments=deployments, events=events)


def test_in_progress_then_completed() -> None:
    moving = snapshot(dep("d2", 2, running=1), dep("d3", 3, status="ACTIVE", rollout="COMPLETED", running=2))
    assert judge_rollout(moving, TARGET, b.NOW).phase is RolloutPhase.IN_PROGRESS
    done = snapshot(dep("d2", 2, rollout="COMPLETED", running=2))
    judgement = judge_rollout(done, TARGET, b.NOW + timedelta(seconds=60))
    assert judgement.phase is RolloutPhase.COMPLETED and "kojan-map-business:2" in judgement.reason


def test_failed_rollout_state_is_failure() -> None:
    failed = snapshot(dep("d2", 2, rollout="FAILED", reason="tasks failed to start"))
    judgement = judge_rollout(failed, TARGET, b.NOW)
    assert judgement.phase is RolloutPhase.FAILED and "tasks failed to start" in judgement.reason


def test_circuit_breaker_rollback_to_the_old_revision_is_failure_never_success() -> None:
    # the old revision is PRIMARY again and COMPLETED: a tool looking only at COMPLETED would call it success
    rolled_back = snapshot(dep("d9", 3, rollout="COMPLETED", running=2))
    assert judge_rollout(rolled_back, TARGET, b.NOW).phase is RolloutPhase.FAILED
    event = ServiceEvent("e", b.NOW + timedelta(seconds=5), "(service x) (deployment d2) deployment failed: rolling back to d3")
    by_event = snapshot(dep("d2", 2, running=1), events=(event,))
    assert judge_rollout(by_event, TARGET, b.NOW).phase is RolloutPhase.FAILED


def test_old_rollback_events_do_not_fail_a_new_rollout() -> None:
    old = ServiceEvent("e", b.NOW - timedelta(hours=1), "(service x) rolling back to deployment d1")
    done = snapshot(dep("d2", 2, rollout="COMPLETED", running=2), events=(old,))
    assert judge_rollout(done, TARGET, b.NOW).phase is RolloutPhase.COMPLETED


def test_forced_deployment_needs_its_own_deployment_completed() -> None:
    target = RolloutTarget(ARN.format(3), "new", b.NOW, timeout_seconds=600)
    still_old = snapshot(dep("old", 3, rollout="COMPLETED", running=2))  # the new one not listed yet
    assert judge_rollout(still_old, target, b.NOW).phase is RolloutPhase.IN_PROGRESS


def test_a_later_primary_while_ours_is_gone_is_failure_even_on_the_same_revision() -> None:
    # a circuit breaker rolled a forced deployment of :3 back to :3 and finished; its event already fell out of
    # the newest events: only AWS's createdAt tells the new PRIMARY from the old one
    target = RolloutTarget(ARN.format(3), "new", b.NOW, timeout_seconds=600, created_at=b.NOW)
    later = replace(dep("rollback", 3, rollout="COMPLETED", running=2), created_at=b.NOW + timedelta(seconds=20))
    judgement = judge_rollout(snapshot(later), target, b.NOW + timedelta(seconds=60))
    assert judgement.phase is RolloutPhase.FAILED and "rolled back or replaced" in judgement.reason
    earlier = replace(later, created_at=b.NOW - timedelta(hours=1))  # a list from before ours was listed
    assert judge_rollout(snapshot(earlier), target, b.NOW).phase is RolloutPhase.IN_PROGRESS
    listed = snapshot(later, replace(dep("new", 3, status="ACTIVE"), created_at=b.NOW))  # ours still draining
    assert judge_rollout(listed, target, b.NOW).phase is RolloutPhase.IN_PROGRESS


def test_timeout() -> None:
    stuck = snapshot(dep("d2", 2, running=1))
    judgement = judge_rollout(stuck, TARGET, b.NOW + timedelta(seconds=601))
    assert judgement.phase is RolloutPhase.TIMED_OUT and "timeout 600 s" in judgement.reason
