"""A rollout watch ends: DescribeServices failing longer than ``[actions] silent_seconds`` ends it "unknown — AWS
stopped answering" (audited) and frees the next rollback; ``cancel`` ends it on request; while settling, a PRIMARY
deployment that is no longer ours fails it (never verified)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from types import SimpleNamespace

from kojan_tui.actions.audited import AuditedActions
from kojan_tui.actions.lifecycle import Lifecycles
from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import ActionSettings, Config
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.sources.poller import Poller
from kojan_tui.sources.rollout import SOURCE_NAME, RolloutWatch, WatchPhase
from tests.fixtures import builders as b
from tests.sources.test_rollout_watch import ARN, ROLLBACK, Clock, dep, poll

SILENT_S = 120.0


def wired(tmp_path, *, settling: float = 0.0):
    """A watch whose final records go through the lifecycles (as in the app), on a fake in mid-rollback."""
    clock = Clock()
    fake = FakeGateway()
    fake.service = replace(b.service(), task_definition=ARN.format(3), deployments=(dep("d3", 3, "COMPLETED"),))
    fake.task_definitions = {ARN.format(r): replace(b.task_definition(), arn=ARN.format(r), revision=r) for r in (2, 3)}
    settings = ActionSettings(rollout_timeout_seconds=3600, settling_seconds=settling, watch_seconds=60, silent_seconds=SILENT_S)
    actions = AuditedActions(fake, AuditTrail(tmp_path / "audit.jsonl"))
    state = SimpleNamespace(view=SimpleNamespace(readings={}), data=SimpleNamespace(metrics={}))
    poller = Poller(clock=clock)
    lifecycles: Lifecycles | None = None
    watch = RolloutWatch(
        fake,
        Config(actions=settings),
        poller,
        clock=clock,
        state=lambda: state,
        record=lambda request, outcome, extra: lifecycles.watch_ended(request, outcome, extra),
    )
    lifecycles = Lifecycles(actions, clock=clock, deploy_watch=watch)
    return clock, fake, lifecycles, poller, watch


async def roll_back(fake, lifecycles, poller, request=ROLLBACK):
    poller.start()
    lifecycle = await lifecycles.open(replace(request, before_deployment="d3"))
    # what ECS answers: a new PRIMARY deployment, IN_PROGRESS (the fake answers with the service as it is)
    fake.service = replace(
        fake.service, deployments=(dep("d2", 2, "IN_PROGRESS", running=0), dep("d3", 3, "COMPLETED", status="ACTIVE"))
    )
    outcome = await lifecycle.send()
    assert outcome.done and lifecycles.deploy_watch.active
    return lifecycle


def outcomes(lifecycles) -> list[str]:
    return [e["outcome"] for e in lifecycles.actions.audit.entries()]


async def test_a_watch_whose_describe_services_keeps_failing_ends_unknown_and_frees_the_next_rollback(tmp_path) -> None:
    clock, fake, lifecycles, poller, watch = wired(tmp_path)
    first = await roll_back(fake, lifecycles, poller)
    fake.failures["describe_service"] = AwsFailure(FailureKind.UNAVAILABLE, "no route to ECS", code="EndpointConnectionError")
    await poll(poller)
    assert watch.active and "no route to ECS" in watch.status.error
    clock.advance(SILENT_S - 1)
    await poll(poller)
    assert watch.active  # silent, but not for longer than the deadline yet
    assert lifecycles.deploy_blocked() is not None
    clock.advance(2)
    await poll(poller)
    assert watch.status.phase is WatchPhase.SILENT and not watch.active
    assert first.final == "unknown — AWS stopped answering"
    assert outcomes(lifecycles)[-1] == "unknown — AWS stopped answering"
    assert lifecycles.actions.audit.entries()[-1]["details"]["last_error"].endswith("no route to ECS")
    assert lifecycles.deploy_blocked() is None  # the next rollback is free
    del fake.failures["describe_service"]
    fake.service = replace(fake.service, task_definition=ARN.format(3), deployments=(dep("d3", 3, "COMPLETED"),))
    second = await roll_back(fake, lifecycles, poller, replace(ROLLBACK, id="second"))
    assert watch.active and watch.status.request.id == "second" and second.stage.value == "watching"
    await poller.stop()


async def test_a_failure_then_an_answer_starts_the_silence_over(tmp_path) -> None:
    clock, fake, lifecycles, poller, watch = wired(tmp_path)
    await roll_back(fake, lifecycles, poller)
    fake.failures["describe_service"] = AwsFailure(FailureKind.THROTTLED, "slow down", code="ThrottlingException")
    await poll(poller)
    clock.advance(SILENT_S - 10)
    del fake.failures["describe_service"]
    await poll(poller)  # AWS answered: the silence is over
    fake.failures["describe_service"] = AwsFailure(FailureKind.THROTTLED, "slow down", code="ThrottlingException")
    clock.advance(20)
    await poll(poller)
    assert watch.active and watch.status.silent_since == clock.now
    await poller.stop()


async def test_a_watch_can_be_cancelled_and_says_so_in_the_audit_trail(tmp_path) -> None:
    clock, fake, lifecycles, poller, watch = wired(tmp_path)
    lifecycle = await roll_back(fake, lifecycles, poller)
    assert watch.cancel() is not None and not watch.active
    final = await lifecycle.wait()
    assert final == "watch cancelled" and outcomes(lifecycles) == ["requested", "confirmed", "succeeded", "watch cancelled"]
    assert lifecycles.deploy_blocked() is None
    for _ in range(10):  # the rollout source leaves the poller: nothing polls for it any more
        if SOURCE_NAME not in poller.sources:
            break
        await asyncio.sleep(0)
    assert SOURCE_NAME not in poller.sources
    assert watch.status.phase is WatchPhase.CANCELLED and outcomes(lifecycles)[-1] == "watch cancelled"
    await poller.stop()


async def test_while_settling_a_replaced_primary_deployment_fails_the_watch(tmp_path) -> None:
    clock, fake, lifecycles, poller, watch = wired(tmp_path, settling=60)
    await roll_back(fake, lifecycles, poller)
    fake.service = replace(fake.service, task_definition=ARN.format(2), deployments=(dep("d2", 2, "COMPLETED"),))
    clock.advance(10)
    await poll(poller)
    assert watch.status.phase is WatchPhase.CHECKING
    # during the settling time another deployment (the old revision) becomes PRIMARY
    fake.service = replace(fake.service, task_definition=ARN.format(3), deployments=(dep("d9", 3, "IN_PROGRESS"),))
    clock.advance(70)
    await poll(poller)
    assert watch.status.phase is WatchPhase.FAILED, watch.status
    assert "not kojan-map-business:2" in watch.status.judgement.reason
    assert outcomes(lifecycles)[-1] == "rollout failed"
    await poller.stop()
