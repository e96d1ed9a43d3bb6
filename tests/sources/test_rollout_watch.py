"""The rollout watch on a real Poller and a FakeGateway: completed → checks → verified; a circuit breaker's
rollback and a FAILED rollout are failures; a stuck rollout times out; each ends with one audit record."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

from kojan_tui.actions.audited import AuditedActions, DeployRequest
from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import ActionSettings, Config
from kojan_tui.core.models import Deployment, LogEvent, ServiceEvent
from kojan_tui.core.readings import ECS_MEMORY, MetricReading
from kojan_tui.core.thresholds import Threshold
from kojan_tui.sources.poller import Poller
from kojan_tui.sources.rollout import SOURCE_NAME, RolloutWatch, WatchPhase
from tests.fixtures import builders as b

ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:{}"


class Clock:
    def __init__(self) -> None:
        self.now = b.NOW

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def dep(id: str, rev: int, rollout: str, *, status="PRIMARY", running=2, reason=None) -> Deployment:
    return Deployment(id, status, ARN.format(rev), 2, running, 0, rollout, reason, b.NOW, b.NOW)


def setup(tmp_path, readings=None, *, settling=0.0, timeout=60.0):
    clock = Clock()
    fake = FakeGateway()
    fake.service = replace(b.service(), task_definition=ARN.format(3), deployments=(dep("d3", 3, "COMPLETED"),))
    fake.task_definitions = {ARN.format(r): replace(b.task_definition(), arn=ARN.format(r), revision=r) for r in (2, 3)}
    config = Config(actions=ActionSettings(rollout_timeout_seconds=timeout, settling_seconds=settling, watch_seconds=60))
    actions = AuditedActions(fake, AuditTrail(tmp_path / "audit.jsonl"))
    state = SimpleNamespace(view=SimpleNamespace(readings=readings or {}), data=SimpleNamespace(metrics={}))
    poller = Poller(clock=clock)
    watch = RolloutWatch(
        fake,
        config,
        poller,
        clock=clock,
        state=lambda: state,
        record=lambda request, outcome, extra: actions.record(request, outcome, **extra),
    )
    return clock, fake, actions, poller, watch


async def start(fake, actions, poller, watch, request):
    poller.start()
    outcome = await actions.update_service(request)
    assert outcome.done
    # what ECS answers: a new PRIMARY deployment, IN_PROGRESS
    fake.service = replace(
        fake.service, deployments=(dep("d2", 2, "IN_PROGRESS", running=0), dep("d3", 3, "COMPLETED", status="ACTIVE"))
    )
    return watch.start(request, replace(outcome, snapshot=fake.service))


async def poll(poller) -> None:
    await poller.refresh_now([SOURCE_NAME], wait=True)


ROLLBACK = DeployRequest(
    "kojan-map-production", "kojan-map-business", "rollback", task_definition=ARN.format(2), before_task_definition=ARN.format(3)
)


async def test_completed_rollout_is_checked_then_verified_and_audited(tmp_path) -> None:
    clock, fake, actions, poller, watch = setup(tmp_path)
    await start(fake, actions, poller, watch, ROLLBACK)
    await poll(poller)
    assert watch.status.phase is WatchPhase.ROLLING_OUT
    fake.service = replace(
        fake.service,
        deployments=(dep("d2", 2, "COMPLETED"),),
        events=(ServiceEvent("n", clock.now, "(service kojan-map-business) has reached a steady state."),),
    )
    clock.advance(10)
    await poll(poller)
    status = watch.status
    assert status.phase is WatchPhase.VERIFIED, status
    assert [c.name for c in status.checks] == ["target health", "new ERROR lines"]
    assert status.new_events and "steady state" in status.new_events[0].message
    await poller.stop()
    outcomes = [e["outcome"] for e in actions.audit.entries()]
    assert outcomes == ["confirmed", "succeeded", "verified"]
    final = actions.audit.entries()[-1]["details"]
    assert final["verdicts"][0]["verdict"] == "pass" and final["task_definition"].endswith(":2")


async def test_new_error_lines_or_a_metric_above_warn_is_not_verified(tmp_path) -> None:
    memory = MetricReading(ECS_MEMORY, Threshold(70, 85), (b.NOW + timedelta(seconds=30),), (80.0,), 80.0)
    clock, fake, actions, poller, watch = setup(tmp_path, {"ecs_memory_percent": memory}, settling=15)
    await start(fake, actions, poller, watch, ROLLBACK)
    fake.service = replace(fake.service, deployments=(dep("d2", 2, "COMPLETED"),))
    fake.log_events = [LogEvent("e", int((b.NOW + timedelta(seconds=20)).timestamp() * 1000), "s", "ERROR boom")]
    clock.advance(10)
    await poll(poller)  # COMPLETED: checks start, 15 s of settling
    assert watch.status.phase is WatchPhase.CHECKING
    clock.advance(20)
    await poll(poller)
    status = watch.status
    assert status.phase is WatchPhase.NOT_VERIFIED
    verdicts = {c.name: c.verdict.value for c in status.checks}
    assert verdicts == {"target health": "pass", "new ERROR lines": "fail", "ECS memory": "fail"}
    await poller.stop()
    assert actions.audit.entries()[-1]["outcome"] == "not verified"


async def test_a_circuit_breaker_rollback_is_a_failure_never_success(tmp_path) -> None:
    clock, fake, actions, poller, watch = setup(tmp_path)
    await start(fake, actions, poller, watch, ROLLBACK)
    # the circuit breaker: our deployment FAILED, the old revision PRIMARY again and COMPLETED
    fake.service = replace(
        fake.service,
        task_definition=ARN.format(3),
        deployments=(dep("d9", 3, "COMPLETED"),),
        events=(ServiceEvent("cb", clock.now, "(service kojan-map-business) (deployment d2) deployment failed: rolling back"),),
    )
    clock.advance(5)
    await poll(poller)
    assert watch.status.phase is WatchPhase.FAILED and watch.status.finished
    assert "rolled back" in watch.status.judgement.reason
    await poller.stop()
    assert [e["outcome"] for e in actions.audit.entries()][-1] == "rollout failed"


async def test_failed_rollout_state_is_reported_with_its_reason(tmp_path) -> None:
    clock, fake, actions, poller, watch = setup(tmp_path)
    await start(fake, actions, poller, watch, ROLLBACK)
    fake.service = replace(fake.service, deployments=(dep("d2", 2, "FAILED", running=0, reason="tasks failed to start"),))
    await poll(poller)
    assert watch.status.phase is WatchPhase.FAILED and "tasks failed to start" in watch.status.judgement.reason
    await poller.stop()


async def test_a_stuck_rollout_times_out_and_the_source_goes_away(tmp_path) -> None:
    clock, fake, actions, poller, watch = setup(tmp_path, timeout=60)
    await start(fake, actions, poller, watch, ROLLBACK)
    await poll(poller)
    assert watch.active
    clock.advance(61)
    await poll(poller)
    assert (
        watch.status.phase is WatchPhase.TIMED_OUT
        and "timeout 60 s" in watch.status.line(clock.now) + watch.status.judgement.reason
    )
    for _ in range(3):
        if SOURCE_NAME not in poller.sources:
            break
        import asyncio

        await asyncio.sleep(0)
    assert SOURCE_NAME not in poller.sources
    await poller.stop()
    assert actions.audit.entries()[-1]["outcome"] == "rollout timed out"
