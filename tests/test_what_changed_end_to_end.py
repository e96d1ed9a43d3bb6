"""What changed (issue 27) the real way: KojanApp → AwsGateway (HTTP) → the embedded AWS. The service runs revision 2
healthy, the app records a snapshot; the world switches to bad-deploy and revision 3 (the newest, another image and
environment) is deployed; key w names the revision and image change, and no environment value.

The deployment is asked with the circuit breaker off (boto3, like a deploy pipeline), so the failing rollout stays
PRIMARY while the screen is read instead of being rolled back within a few ticks (that race is not what is tested)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import Config
from kojan_tui.core.config_snapshot import NOT_READ
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.what_changed import EXTENSION, WhatChangedScreen
from tests.fixtures.waits import advance_app_until, until, wait_for
from tests.test_rollback_end_to_end import DEMO_CREDENTIALS, aws_client

CLUSTER, SERVICE = "kojan-map-production", "kojan-map-business"


def app_on(demo, tmp_path) -> KojanApp:
    config = Config()
    config = replace(
        config,
        aws=replace(config.aws, endpoint_url=demo.endpoint_url, profile=None),
        ui=replace(config.ui, bell=False, notify=False, language="en"),
        refresh=replace(config.refresh, metrics_seconds=2.0, service_seconds=1.0),
    )
    gateway = AwsGateway(config.aws, static_credentials=DEMO_CREDENTIALS)
    return KojanApp(config, gateway, demo=demo, clock=demo.clock, audit=AuditTrail(tmp_path / "audit.jsonl"))


def steady_on(ecs, revision: str) -> bool:
    service = ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]
    deployments = service["deployments"]
    return (
        len(deployments) == 1
        and deployments[0]["rolloutState"] == "COMPLETED"
        and service["taskDefinition"].endswith(f"task-definition/{revision}")
        and service["runningCount"] == service["desiredCount"]
    )


async def test_bad_deploy_after_a_healthy_snapshot_names_the_revision_and_image(demo_world, tmp_path) -> None:
    ecs = aws_client(demo_world, "ecs")
    await asyncio.to_thread(ecs.update_service, cluster=CLUSTER, service=SERVICE, taskDefinition=f"{SERVICE}:2")
    await asyncio.to_thread(wait_for, lambda: steady_on(ecs, f"{SERVICE}:2"), 60.0, 0.2, "revision 2 steady")
    app = app_on(demo_world, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        recorder = app.services.extensions[EXTENSION]
        await advance_app_until(
            demo_world,
            app,
            lambda: recorder.latest is not None,
            "a healthy snapshot",
            step_s=15.0,
            limit_s=600.0,
        )
        recorded = dict(recorder.latest.fields)
        assert recorded["task definition"] == f"{SERVICE}:2" and recorded["image"].endswith(":v1.5.0")
        assert recorded["autoscaling min–max"] == "2–4"  # DescribeScalableTargets, as seeded
        assert recorded["image digest"].startswith("sha256:")
        assert recorded["JWT secret version"] not in ("", NOT_READ)  # DescribeSecret's AWSCURRENT id
        await asyncio.to_thread(demo_world.set_scenario, "bad-deploy")
        await asyncio.to_thread(
            ecs.update_service,
            cluster=CLUSTER,
            service=SERVICE,
            taskDefinition=f"{SERVICE}:3",
            deploymentConfiguration={"deploymentCircuitBreaker": {"enable": False, "rollback": False}},
        )
        await app.poller.refresh_now(["service"], wait=True)
        await until(pilot, lambda: app.state.data.task_definition.revision == 3, "the dashboard to read revision 3")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhatChangedScreen), "the what-changed screen")
        text = app.screen.text
        assert f"task definition: {SERVICE}:2 → {SERVICE}:3" in text, text
        assert "business:v1.5.0 → " in text and "business:v1.5.1" in text, text
        assert "~ image digest: sha256:" in text, text  # ECR's digests of the two tags (DescribeImages)
        assert "env DB_MAX_OPEN_CONNS: changed (value not shown)" in text, text
        assert "+ env CACHE_TTL_SECONDS: added" in text and "60" not in text.split("CACHE_TTL_SECONDS")[1].split("\n")[0]
        assert "secret GOOGLE_OAUTH_CLIENT_SECRET" in text, text  # a new secret reference (its ARN, never a value)
        assert "25 → 30" not in text


async def test_db_outage_after_a_healthy_snapshot_names_the_rds_change(demo_world, tmp_path) -> None:
    app = app_on(demo_world, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        recorder = app.services.extensions[EXTENSION]
        await advance_app_until(
            demo_world, app, lambda: recorder.latest is not None, "a healthy snapshot", step_s=15.0, limit_s=600.0
        )
        assert dict(recorder.latest.fields)["RDS status"] == "available"
        await asyncio.to_thread(demo_world.set_scenario, "db-outage")
        await advance_app_until(
            demo_world,
            app,
            lambda: app.state.data.db_instance is not None and app.state.data.db_instance.status != "available",
            "the dashboard to read the database rebooting",
            sources=("database",),
            step_s=5.0,
            limit_s=120.0,
        )
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhatChangedScreen), "the what-changed screen")
        assert "~ RDS status: available → rebooting" in app.screen.text, app.screen.text
        assert "task definition" not in app.screen.text  # nothing else changed
