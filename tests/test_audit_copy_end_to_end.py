"""The audit copy the real way: KojanApp → AwsGateway (HTTP) → the embedded AWS. ``--demo`` copies to the group
the embedded AWS seeded; a group that does not exist leaves every action done and the local trail complete,
with one warning toast and the failure on the audit trail viewer."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import boto3
from textual.widgets import Static

from kojan_tui.actions.audit_copy import COPY_ACTION
from kojan_tui.actions.audited import DeployRequest
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.cli import DEMO_CREDENTIALS, demo_config
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import AuditSettings, Config
from kojan_tui.demo import DEMO_AUDIT_LOG_GROUP
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.audit_trail import AuditTrailScreen, open_audit_trail

CLUSTER, SERVICE = "kojan-map-production", "kojan-map-business"


def demo_app(demo, tmp_path, config: Config) -> KojanApp:
    config = replace(config, ui=replace(config.ui, bell=False, notify=False))
    gateway = AwsGateway(config.aws, static_credentials=DEMO_CREDENTIALS)
    return KojanApp(config, gateway, demo=demo, audit=AuditTrail(tmp_path / "audit.jsonl"))


def forced() -> DeployRequest:
    return DeployRequest(CLUSTER, SERVICE, "force-new-deployment", force_new_deployment=True)


def group_messages(demo) -> list[dict]:
    logs = boto3.client("logs", region_name="ap-northeast-1", endpoint_url=demo.endpoint_url)
    streams = logs.describe_log_streams(logGroupName=DEMO_AUDIT_LOG_GROUP)["logStreams"]
    return [
        json.loads(event["message"])
        for stream in streams
        for event in logs.get_log_events(
            logGroupName=DEMO_AUDIT_LOG_GROUP, logStreamName=stream["logStreamName"], startFromHead=True
        )["events"]
    ]


def test_demo_copies_to_the_seeded_group_unless_the_config_names_one():
    assert demo_config(Config(), "http://127.0.0.1:1").audit.log_group == DEMO_AUDIT_LOG_GROUP
    own = replace(Config(), audit=AuditSettings(log_group="/team/audit"))
    assert demo_config(own, "http://127.0.0.1:1").audit.log_group == "/team/audit"


async def test_demo_forced_deployment_is_copied_to_the_seeded_group(demo_world, tmp_path):
    app = demo_app(demo_world, tmp_path, demo_config(Config(), demo_world.endpoint_url))
    async with app.run_test(size=(160, 48)) as pilot:
        actions = app.services.actions
        await actions.request(forced())
        outcome = await actions.update_service(forced())
        await actions.copy.drain()
        await pilot.pause()
        assert outcome.done and actions.copy.last_error is None
        assert not [n for n in app._notifications if "audit copy" in n.message]
    local = AuditTrail(tmp_path / "audit.jsonl").entries()
    assert [e["outcome"] for e in local] == ["requested", "confirmed", "succeeded"]
    copied = await asyncio.to_thread(group_messages, demo_world)
    assert copied == local


async def test_a_missing_group_leaves_actions_done_warns_once_and_the_viewer_says_so(demo_world, tmp_path):
    config = replace(demo_config(Config(), demo_world.endpoint_url), audit=AuditSettings(log_group="/kojan-map/not-created"))
    app = demo_app(demo_world, tmp_path, config)
    async with app.run_test(size=(160, 48)) as pilot:
        actions = app.services.actions
        first = await actions.update_service(forced())
        await actions.copy.drain()
        second = await actions.update_service(forced())
        await actions.copy.drain()
        await pilot.pause()
        assert first.done and second.done and first.summary == second.summary == "done"
        warnings = [n for n in app._notifications if "audit copy" in n.message]
        assert len(warnings) == 1 and warnings[0].severity == "warning"
        assert "/kojan-map/not-created does not exist" in warnings[0].message
        open_audit_trail(app)
        await pilot.pause()
        assert isinstance(app.screen, AuditTrailScreen)
        where = str(app.screen.query_one("#audit-where", Static).render())
        assert "0 sent, 4 failed" in where and "does not exist" in where
        assert app.gateway.requests["UpdateService"] == 2
    local = AuditTrail(tmp_path / "audit.jsonl").entries()
    assert [e["outcome"] for e in local if e["action"] != COPY_ACTION] == ["confirmed", "succeeded"] * 2
    assert [e["outcome"] for e in local if e["action"] == COPY_ACTION] == ["failed: not found"]
