"""The checklists' automatic items against the embedded AWS: each passes in ``healthy`` and fails in the
scenario (or the state) that breaks it; the S27 archive action exports last month and is watched to its end."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kojan_tui.actions.audited import AuditedActions
from kojan_tui.cli import DEMO_HEALTH_PATH
from kojan_tui.core.archive import last_month
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import ChecklistSettings, Config
from kojan_tui.procedures.actions import ACTIONS, ActionContext, run_action
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, run_check
from kojan_tui.procedures.library import load_all
from kojan_tui.procedures.runs import ProcedureRun, StepRecord
from tests.demo.helpers import client, wait_ticks_async
from tests.procedures.demo_checks import until_verdict

load_all()


@pytest.fixture
def config(demo_world) -> Config:
    base = Config()
    return replace(base, service=replace(base.service, health_url=demo_world.endpoint_url + DEMO_HEALTH_PATH))


async def run(gateway, config, check_id: str, clock=None, **context) -> CheckResult:
    return await run_check(check_id, CheckContext(gateway, config, clock or (lambda: datetime.now(UTC)), **context))


async def until(
    aws, gateway, config, check_id: str, verdict: Verdict, timeout: float = 30.0, shows: str = "", **context
) -> CheckResult:
    check = lambda: run(gateway, config, check_id, clock=aws.clock, **context)  # noqa: E731
    return await until_verdict(aws, check, check_id, verdict, timeout, shows)


HEALTHY_PASSES = [
    "ecs.service_healthy",
    "logs.no_errors_1h",
    "logs.no_errors_24h",
    "metrics.within_thresholds",
    "api.health",
    "ecs.rollback_plan",
    "secrets.jwt_length",
    "ecr.findings",
    "tokens.lifetimes",
]


async def test_every_checklist_check_passes_in_healthy(demo_world, gateway, config):
    await wait_ticks_async(demo_world, 4, "a few ticks after the reset: the newest minute has its datapoints")
    results = {
        check_id: await until(demo_world, gateway, config, check_id, Verdict.PASS, timeout=20) for check_id in HEALTHY_PASSES
    }
    assert "2/2 running, 2 healthy targets" in results["ecs.service_healthy"].summary
    assert results["metrics.within_thresholds"].summary == "all 6 metrics within their thresholds"
    assert results["api.health"].summary == "HTTP 200 from the health URL"
    plan = results["ecs.rollback_plan"]
    assert "running kojan-map-business:3 (image v1.5.1); rollback to kojan-map-business:2 (image v1.5.0)" == plan.summary
    assert any("INACTIVE" in line for line in plan.evidence)  # revision 1 is shown, not offered


@pytest.mark.parametrize(
    ("scenario", "check_id", "words"),
    [
        ("outage", "ecs.service_healthy", "service UNHEALTHY"),
        ("db-outage", "logs.no_errors_1h", "ERROR lines in the last hour"),
        ("db-outage", "logs.no_errors_24h", "ERROR lines in the last 24 hours"),
        ("high-latency", "metrics.within_thresholds", "ALB p99 latency"),
        ("db-outage", "api.health", "HTTP 503"),
        ("auth-errors", "secrets.jwt_length", "16 characters"),
    ],
)
async def test_a_checklist_check_fails_in_the_scenario_that_breaks_it(demo_world, gateway, config, scenario, check_id, words):
    demo_world.reset(scenario)
    result = await until(demo_world, gateway, config, check_id, Verdict.FAIL, timeout=40)
    assert words in result.summary


async def test_rollback_plan_fails_without_an_active_previous_revision(demo_world, gateway, config):
    ecs = client(demo_world, "ecs")
    ecs.deregister_task_definition(taskDefinition="kojan-map-business:2")
    result = await run(gateway, config, "ecs.rollback_plan")
    assert result.verdict is Verdict.FAIL and "no ACTIVE revision before kojan-map-business:3" in result.summary


async def test_ecr_findings_fail_once_the_older_image_with_a_high_finding_runs(demo_world, gateway, config):
    ecs = client(demo_world, "ecs")
    ecs.update_service(cluster="kojan-map-production", service="kojan-map-business", taskDefinition="kojan-map-business:2")
    result = await until(demo_world, gateway, config, "ecr.findings", Verdict.FAIL)
    assert "CRITICAL/HIGH finding(s) in" in result.summary and any("CVE-2024-34156" in line for line in result.evidence)


async def test_health_url_missing_or_not_answering(gateway):
    unset = await run(gateway, Config(), "api.health")
    assert unset.verdict is Verdict.UNAVAILABLE and "[service] health_url" in unset.summary
    closed = replace(Config(), service=replace(Config().service, health_url="http://127.0.0.1:9/health"))
    refused = await run(gateway, closed, "api.health")
    assert refused.verdict is Verdict.FAIL and refused.summary.startswith("no answer from the health URL")


def stability_run(started: datetime, *records: StepRecord) -> ProcedureRun:
    first = StepRecord("stable", "check", "timer running", started, Verdict.WARN)
    return ProcedureRun(1, "s29", "checklist", "en", "S29", started, records=(first, *records))


async def test_stability_timer_runs_then_passes_in_healthy(gateway, config):
    now = datetime.now(UTC)
    running = await run(gateway, config, "deploy.stability", run=stability_run(now - timedelta(minutes=5)), step_id="stable")
    assert running.verdict is Verdict.WARN and running.summary.startswith("timer running: 5:0")
    done = await run(gateway, config, "deploy.stability", run=stability_run(now - timedelta(minutes=31)), step_id="stable")
    assert done.verdict is Verdict.PASS and done.summary.startswith("stable for 30 min since")
    short = replace(config, checklists=ChecklistSettings(stability_minutes=3))
    done_short = await run(gateway, short, "deploy.stability", run=stability_run(now - timedelta(minutes=5)), step_id="stable")
    assert done_short.verdict is Verdict.PASS and "stable for 3 min" in done_short.summary


async def test_stability_timer_fails_on_a_breach_in_the_history_or_an_alert_fired(demo_world, gateway, config):
    started = datetime.now(UTC) - timedelta(minutes=2)
    alert = StepRecord("stable", "alert", "ECS CPU: 97.0 % — consider scaling", started + timedelta(seconds=30))
    fired = await run(gateway, config, "deploy.stability", run=stability_run(started, alert), step_id="stable")
    assert fired.verdict is Verdict.FAIL and "ECS CPU: 97.0 %" in fired.summary
    demo_world.reset("high-latency")
    breached = await until(
        demo_world,
        gateway,
        config,
        "deploy.stability",
        Verdict.FAIL,
        timeout=60,
        shows="ALB p99 latency",  # at midday JST high-latency's RDS CPU breaches too, and may be the first breach
        run=stability_run(datetime.now(UTC)),
        step_id="stable",
    )
    assert breached.summary.startswith("not stable: ")
    assert any(line.startswith("breach at ") and ": ALB p99 latency " in line for line in breached.evidence)


async def test_archive_fails_until_the_action_exports_last_month_then_passes(demo_world, gateway, config, tmp_path):
    missing = await run(gateway, config, "logs.archive_last_month")
    assert missing.verdict is Verdict.FAIL and "is not archived" in missing.summary
    trail = AuditTrail(tmp_path / "audit.jsonl")
    ctx = ActionContext(AuditedActions(gateway, trail), gateway, config, lambda: datetime.now(UTC))
    spec = ACTIONS["logs.archive_last_month"]
    plan = await spec.plan(ctx)
    start, end = last_month(datetime.now(UTC))
    assert plan.request["fromTime"] == int(start.timestamp() * 1000)
    assert plan.request["to"] == int(end.timestamp() * 1000) - 1
    assert plan.request["destination"] == "kojan-map-log-archive" and plan.phrase == "kojan-map-log-archive"
    started = await run_action(plan, "kojan-map-log-archive", spec, ctx)
    assert started.done and "started" in started.summary and started.follow is not None
    finished = await started.follow()
    assert finished.done and "COMPLETED" in finished.summary
    archived = await run(gateway, config, "logs.archive_last_month")
    assert archived.verdict is Verdict.PASS and f"{start:%Y-%m} archived" in archived.summary
    s3 = client(demo_world, "s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="kojan-map-log-archive").get("Contents", [])]
    assert f"ecs/kojan-map-business/{start:%Y-%m}/aws-logs-write-test" in keys
    outcomes = [r["outcome"] for r in trail.entries()]
    assert outcomes == ["requested", "confirmed", "succeeded", "export completed"]


async def test_archive_is_refused_read_only_and_nothing_is_sent(demo_world, gateway, config, tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")
    ctx = ActionContext(AuditedActions(gateway, trail, read_only=True), gateway, config, lambda: datetime.now(UTC))
    spec = ACTIONS["logs.archive_last_month"]
    plan = await spec.plan(ctx)
    refused = await run_action(plan, plan.phrase, spec, ctx)
    assert not refused.done and "read-only" in refused.summary
    assert await gateway.describe_export_tasks() == []
    assert [r["outcome"] for r in trail.entries()] == ["requested", "refused: read-only"]
