"""S26 the real way: KojanApp → AwsGateway (HTTP) → the embedded AWS in bad-deploy. The rollback to the
previous revision completes, the S29 checks pass, the dashboard recovers, the audit trail holds every step
(and so does its copy in the CloudWatch Logs group), and ECS (asked with boto3) runs the chosen revision.
Read-only mode sends no UpdateService and no PutLogEvents at all.

The app runs on the world's clock (``demo.clock``) and the tests move that clock on (``advance_until``): the
rollout, the settling time and the first whole minute of datapoints after it take simulated time, not minutes
of the wall clock, and no assertion depends on where a wall-clock minute falls."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import boto3

from kojan_tui.actions.audited import DeployRequest
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import ActionSettings, AuditSettings, Config
from kojan_tui.demo import DEMO_AUDIT_LOG_GROUP
from kojan_tui.sources.rollout import WatchPhase
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.rollback import RollbackScreen
from tests.fixtures.waits import advance_app_until, until
from tests.ui.harness import confirm_deployment, try_every_way_to_confirm

DEMO_CREDENTIALS = ("demo", "demo")
SERVICE = "kojan-map-business"
WATCH_LIMIT_S = 240  # simulated: a minute boundary (the first datapoint after the rollout) plus the rollout itself
WATCH_READS = ("rollout", "metrics", "service")  # what the watch and its S29 checks read; the log panes need not poll
WATCH_STEP_S = 5.0  # simulated seconds between two polls of the watch (the rollout takes a few ticks, each 0.25-2 s)


def app_on(demo, tmp_path, *, read_only: bool = False) -> KojanApp:
    config = Config()
    config = replace(
        config,
        aws=replace(config.aws, endpoint_url=demo.endpoint_url, profile=None),
        ui=replace(config.ui, bell=False, notify=False, read_only=read_only),
        refresh=replace(config.refresh, metrics_seconds=2.0, service_seconds=1.0),
        actions=ActionSettings(rollout_timeout_seconds=120, settling_seconds=5, watch_seconds=0.5),
        audit=AuditSettings(log_group=DEMO_AUDIT_LOG_GROUP),  # seeded by the embedded AWS
    )
    gateway = AwsGateway(config.aws, static_credentials=DEMO_CREDENTIALS)
    return KojanApp(config, gateway, demo=demo, clock=demo.clock, audit=AuditTrail(tmp_path / "audit.jsonl"))


async def watch_until_finished(demo, app, limit_s: float = WATCH_LIMIT_S) -> None:
    """Move the world on until the rollout watch has finished (verified, failed, timed out...)."""
    watch = app.services.rollout
    await advance_app_until(
        demo,
        app,
        lambda: watch.status.finished,
        "the rollout watch to finish",
        sources=WATCH_READS,
        step_s=WATCH_STEP_S,
        limit_s=limit_s,
    )


async def open_rollback(app, pilot) -> RollbackScreen:
    await app.poller.refresh_now(wait=True)
    await pilot.press("b")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, RollbackScreen)
    await screen.workers.wait_for_complete()
    await pilot.pause()
    return screen


def copied_records(demo) -> list[dict]:
    """Every record in the audit group (all streams), oldest first, read with boto3."""
    logs = aws_client(demo, "logs")
    streams = logs.describe_log_streams(logGroupName=DEMO_AUDIT_LOG_GROUP)["logStreams"]
    events = [
        e
        for s in streams
        for e in logs.get_log_events(logGroupName=DEMO_AUDIT_LOG_GROUP, logStreamName=s["logStreamName"], startFromHead=True)[
            "events"
        ]
    ]
    return [json.loads(e["message"]) for e in sorted(events, key=lambda e: e["timestamp"])]


def aws_client(demo, service: str):
    return boto3.client(
        service,
        region_name="ap-northeast-1",
        endpoint_url=demo.endpoint_url,
        aws_access_key_id="demo",
        aws_secret_access_key="demo",
    )


async def test_bad_deploy_rolled_back_verified_audited_and_recovered(demo_world, tmp_path) -> None:
    await asyncio.to_thread(demo_world.set_scenario, "bad-deploy")
    app = app_on(demo_world, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_rollback(app, pilot)
        assert screen.chosen is not None and screen.chosen.label == "kojan-map-business:2"  # the previous revision
        assert screen.running is not None and screen.running.revision == 3
        await confirm_deployment(app, pilot, SERVICE)
        watch = app.services.rollout
        assert watch.status is not None, "UpdateService did not start a watch"
        await pilot.press("escape")  # leave the screen: the watch goes on
        await watch_until_finished(demo_world, app)
        status = watch.status
        assert status.phase is WatchPhase.VERIFIED, [c.text for c in status.checks] + [status.judgement.text]
        assert {c.name for c in status.checks} >= {"target health", "new ERROR lines", "ALB 5XX rate", "ECS memory"}
        await app.poller.refresh_now(wait=True)
        await pilot.pause()
        assert app.state.view.verdict.healthy and not app.state.view.rollback  # the dashboard recovered
        assert app.gateway.requests["UpdateService"] == 1
        await app.services.actions.copy.drain()
        assert app.services.actions.copy.last_error is None
    entries = AuditTrail(tmp_path / "audit.jsonl").entries()
    assert copied_records(demo_world) == entries  # the team's copy: the same records, verdicts included
    assert [e["outcome"] for e in entries] == ["requested", "confirmed", "succeeded", "verified"]
    details = entries[2]["details"]
    assert details["task_definition_before"].endswith(":3") and details["task_definition_after"].endswith(":2")
    assert all(v["verdict"] == "pass" for v in entries[3]["details"]["verdicts"])
    described = await asyncio.to_thread(
        aws_client(demo_world, "ecs").describe_services, cluster="kojan-map-production", services=[SERVICE]
    )
    assert described["services"][0]["taskDefinition"].endswith("task-definition/kojan-map-business:2")


async def test_read_only_sends_no_update_service_by_key_mouse_or_action(demo_world, tmp_path) -> None:
    app = app_on(demo_world, tmp_path, read_only=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_rollback(app, pilot)
        await try_every_way_to_confirm(app, pilot, SERVICE)
        outcome = await app.services.actions.update_service(  # even a direct call is refused before HTTP
            DeployRequest("kojan-map-production", SERVICE, "rollback", task_definition="kojan-map-business:2")
        )
        assert not outcome.done
        assert app.gateway.requests["UpdateService"] == 0
        assert app.gateway.requests["PutLogEvents"] == 0 and app.gateway.requests["CreateLogStream"] == 0  # no audit copy
        assert app.services.actions.copy is None
        assert app.gateway.requests["DescribeServices"] >= 1  # the counter counts: reads went out
    assert [e["outcome"] for e in AuditTrail(tmp_path / "audit.jsonl").entries()][-1] == "refused: read-only"


async def test_memory_leak_forced_deployment_brings_memory_under_warn_and_the_watch_says_so(tmp_path) -> None:
    # A world of its own at a 2 s tick: the fresh tasks must not out-leak the minute datapoint the check waits for
    # (at the shared fixture's 0.25 s tick they climb ~1.4 points a second).
    from kojan_tui.demo.embedded import EmbeddedAws
    from kojan_tui.ui.screens.force_deployment import ForceDeploymentScreen, open_force_deployment

    demo = EmbeddedAws("memory-leak", tick_seconds=2.0)
    await asyncio.to_thread(demo.start)
    try:
        app = app_on(demo, tmp_path)
        async with app.run_test(size=(160, 48)) as pilot:
            await app.poller.refresh_now(wait=True)
            memory = app.state.view.readings["ecs_memory_percent"]
            assert memory.latest is not None and memory.latest > memory.threshold.warn  # the leak, before
            open_force_deployment(app)
            await pilot.pause()
            assert isinstance(app.screen, ForceDeploymentScreen)
            await confirm_deployment(app, pilot, SERVICE)
            watch = app.services.rollout
            await watch_until_finished(demo, app)
            status = watch.status
            checks = {c.name: c for c in status.checks}
            assert status.judgement.phase.value == "completed", status.judgement.text
            assert checks["ECS memory"].verdict.value == "pass", checks["ECS memory"].text
            assert "within warn" in checks["ECS memory"].detail
            assert app.gateway.requests["UpdateService"] == 1
        outcomes = [e["outcome"] for e in AuditTrail(tmp_path / "audit.jsonl").entries()]
        assert outcomes[:3] == ["requested", "confirmed", "succeeded"] and outcomes[3] in ("verified", "not verified")
    finally:
        await asyncio.to_thread(demo.stop)


async def test_circuit_breaker_rollback_of_a_forced_deployment_is_reported_failed(demo_world, tmp_path) -> None:
    """bad-deploy: a forced deployment of the broken newest revision trips ECS's circuit breaker, which rolls
    back to the last COMPLETED deployment. The watch says FAILED — never success — and the audit says so."""
    from kojan_tui.ui.screens.force_deployment import open_force_deployment

    await asyncio.to_thread(demo_world.set_scenario, "bad-deploy")
    app = app_on(demo_world, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.poller.refresh_now(wait=True)
        open_force_deployment(app)
        await pilot.pause()
        await confirm_deployment(app, pilot, SERVICE)
        watch = app.services.rollout
        await watch_until_finished(demo_world, app, limit_s=60)
        status = watch.status
        assert status.phase is WatchPhase.FAILED, status.judgement.text
        assert "circuit breaker" in status.judgement.reason or "rolled back" in status.judgement.reason
        assert status.checks == ()  # no S29 "pass" after a failed rollout
    outcomes = [e["outcome"] for e in AuditTrail(tmp_path / "audit.jsonl").entries()]
    assert outcomes == ["requested", "confirmed", "succeeded", "rollout failed"]


async def test_a_circuit_breaker_rollback_seen_late_is_still_failed(demo_world, tmp_path) -> None:
    """The same rollback first seen a minute later (a loaded machine, a long poll gap): the rollback to the same
    revision has completed, the failed deployment is gone from the list and the "rolling back" event has fallen
    out of the newest ones. The watch still says FAILED, from the PRIMARY created after ours."""
    from kojan_tui.ui.screens.force_deployment import open_force_deployment

    await asyncio.to_thread(demo_world.set_scenario, "bad-deploy")
    app = app_on(demo_world, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.poller.refresh_now(wait=True)
        open_force_deployment(app)
        await pilot.pause()
        await confirm_deployment(app, pilot, SERVICE)
        watch = app.services.rollout
        app.poller.pause(["rollout"])
        await until(pilot, lambda: not app.poller.sources["rollout"].in_flight, "the watch's last poll to end")
        assert not watch.status.finished, watch.status.judgement.text  # seen before the breaker tripped
        ours = watch.status.target.deployment_id
        await asyncio.to_thread(demo_world.advance, 60.0)
        seen = await app.gateway.describe_service(app.config.service.cluster, SERVICE)
        assert ours not in {d.id for d in seen.deployments}  # the evidence the events gave is gone...
        assert not any("rolling back" in e.message for e in seen.events)  # ...and so is the event
        app.poller.resume(["rollout"])
        await watch_until_finished(demo_world, app, limit_s=10)
        status = watch.status
        assert status.phase is WatchPhase.FAILED, status.judgement.text
        assert "rolled back or replaced" in status.judgement.reason and ours in status.judgement.reason
        assert status.checks == ()
    outcomes = [e["outcome"] for e in AuditTrail(tmp_path / "audit.jsonl").entries()]
    assert outcomes == ["requested", "confirmed", "succeeded", "rollout failed"]
