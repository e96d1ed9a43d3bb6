"""UNKNOWN is an outcome, resolved by reading back: a mutation forwarded to the embedded AWS whose answer is then
lost (reset, 500 with an AWS code, unparsable 200) is never "not done"; the lifecycle reads the state back, finds
it done, and the audit trail holds unknown → resolved. The request went out exactly once (counted at the proxy).
A refusal (4xx) or a connection refused before sending is "failed", and nothing is read back."""

from __future__ import annotations

import asyncio

import pytest

from kojan_tui.actions.audited import AuditedActions, DeployRequest, ExportRequest, ParameterChangeRequest
from kojan_tui.actions.lifecycle import Lifecycles, Stage
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import AwsSettings
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from kojan_tui.demo.faults import THROTTLE_400
from tests.actions.lost_answers import LOST_ANSWERS, lifecycles_through, losing_answers_to
from tests.demo.helpers import client

CLUSTER, SERVICE = "kojan-map-production", "kojan-map-business"
GROUP = "kojan-map-mysql80"


def outcomes(trail: AuditTrail) -> list[str]:
    return [e["outcome"] for e in trail.entries()]


@pytest.mark.parametrize("lost", LOST_ANSWERS)
async def test_a_forced_deployment_whose_answer_is_lost_reads_back_as_done(demo_world, tmp_path, lost):
    with losing_answers_to(demo_world, "UpdateService", lost) as proxy:
        async with lifecycles_through(proxy, tmp_path) as (lifecycles, trail):
            lifecycle = await lifecycles.open(DeployRequest(CLUSTER, SERVICE, "force-new-deployment", force_new_deployment=True))
            outcome = await lifecycle.send()
        assert proxy.requests["UpdateService"] == 1 and proxy.forwarded["UpdateService"] == 1  # sent once, took effect
    assert outcome.done and not outcome.unknown and "not done" not in outcome.summary, outcome.summary
    assert "a new PRIMARY deployment" in outcome.summary
    assert outcomes(trail)[:2] == ["requested", "confirmed"]
    assert outcomes(trail)[2].startswith("unknown: ") and outcomes(trail)[3] == "resolved: done"
    assert lifecycle.stage is Stage.FINISHED and lifecycle.final == "resolved: done"  # no watch in this context


@pytest.mark.parametrize("lost", LOST_ANSWERS)
async def test_a_parameter_change_whose_answer_is_lost_reads_back_as_done(demo_world, tmp_path, lost):
    rds = client(demo_world, "rds")
    rds.modify_db_parameter_group(
        DBParameterGroupName=GROUP,
        Parameters=[{"ParameterName": "slow_query_log", "ParameterValue": "0", "ApplyMethod": "immediate"}],
    )
    with losing_answers_to(demo_world, "ModifyDBParameterGroup", lost) as proxy:
        async with lifecycles_through(proxy, tmp_path) as (lifecycles, trail):
            lifecycle = await lifecycles.open(ParameterChangeRequest(GROUP, "slow_query_log", "1", before="0"))
            outcome = await lifecycle.send()
        assert proxy.requests["ModifyDBParameterGroup"] == 1 and proxy.forwarded["ModifyDBParameterGroup"] == 1
    assert outcome.done and "not done" not in outcome.summary and "slow_query_log = 1" in outcome.summary
    assert outcomes(trail)[2].startswith("unknown: ") and outcomes(trail)[3:] == ["resolved: done"]


@pytest.mark.parametrize("lost", LOST_ANSWERS)
async def test_an_export_whose_answer_is_lost_reads_back_as_started_and_is_watched_to_its_end(demo_world, tmp_path, lost):
    request = ExportRequest(
        "/ecs/kojan-map-business", "kojan-map-log-archive", "ecs/kojan-map-business/lost", 0, 1000, "kojan-tui-lost"
    )
    with losing_answers_to(demo_world, "CreateExportTask", lost) as proxy:
        async with lifecycles_through(proxy, tmp_path) as (lifecycles, trail):
            lifecycle = await lifecycles.open(request)
            outcome = await lifecycle.send()
            assert outcome.done and "not done" not in outcome.summary, outcome.summary
            final = await asyncio.wait_for(lifecycle.wait(), 60)
        assert proxy.requests["CreateExportTask"] == 1 and proxy.forwarded["CreateExportTask"] == 1
    assert final == "export completed"
    seen = outcomes(trail)
    assert seen[2].startswith("unknown: ") and seen[3:] == ["resolved: done", "export completed"]


async def test_a_refusal_is_failed_and_nothing_is_read_back(demo_world, tmp_path):
    with losing_answers_to(demo_world, "UpdateService", THROTTLE_400) as proxy:
        async with lifecycles_through(proxy, tmp_path) as (lifecycles, trail):
            lifecycle = await lifecycles.open(DeployRequest(CLUSTER, SERVICE, "force-new-deployment", force_new_deployment=True))
            described = proxy.requests["DescribeServices"]
            outcome = await lifecycle.send()
            read_after = proxy.requests["DescribeServices"] - described
        assert proxy.forwarded["UpdateService"] == 0
    assert not outcome.done and not outcome.unknown and "not done" in outcome.summary
    assert outcomes(trail) == ["requested", "confirmed", "failed: throttled"] and lifecycle.final == "failed: throttled"
    assert read_after == 1  # the PRIMARY deployment before the call, and no read back after it


async def test_a_connection_refused_before_sending_is_failed(tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")
    settings = AwsSettings(endpoint_url="http://127.0.0.1:9", max_attempts=1, connect_timeout=2.0)
    async with AwsGateway(settings, static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)) as gateway:
        lifecycles = Lifecycles(AuditedActions(gateway, trail))
        lifecycle = await lifecycles.open(DeployRequest(CLUSTER, SERVICE, "rollback", task_definition=f"{SERVICE}:2"))
        outcome = await lifecycle.send()
    assert not outcome.unknown and not outcome.done and outcome.failure.not_sent
    assert outcomes(trail) == ["requested", "confirmed", "failed: unavailable"]


async def test_a_cancelled_or_read_only_request_ends_with_a_final_record(demo_world, tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")
    settings = AwsSettings(endpoint_url=demo_world.endpoint_url, max_attempts=1)
    async with AwsGateway(settings, static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)) as gateway:
        lifecycle = await Lifecycles(AuditedActions(gateway, trail)).open(ParameterChangeRequest(GROUP, "slow_query_log", "1"))
        await lifecycle.cancel()
        read_only = Lifecycles(AuditedActions(gateway, trail, read_only=True))
        refused = await read_only.open(ParameterChangeRequest(GROUP, "slow_query_log", "1"))
        assert not (await refused.send()).done
    assert outcomes(trail) == ["requested", "cancelled", "requested", "refused: read-only"]
    assert lifecycle.final == "cancelled" and refused.final == "refused: read-only"
    assert all(e["identity"] for e in trail.entries())


async def test_the_caller_identity_is_asked_again_after_its_ttl(demo_world, tmp_path):
    """Not cached for the life of the process: another role after the TTL is the one every record names."""
    from kojan_tui.actions.audited import IDENTITY_TTL_S
    from kojan_tui.core.models import CallerIdentity

    now = [0.0]
    settings = AwsSettings(endpoint_url=demo_world.endpoint_url, max_attempts=1)
    async with AwsGateway(settings, static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)) as gateway:
        actions = AuditedActions(gateway, AuditTrail(tmp_path / "audit.jsonl"), monotonic=lambda: now[0])
        first = await actions.identity_arn()
        real = gateway.caller_identity

        async def another_role() -> CallerIdentity:
            return CallerIdentity("123456789012", "arn:aws:sts::123456789012:assumed-role/break-glass/me", "x")

        gateway.caller_identity = another_role  # type: ignore[method-assign]
        now[0] = IDENTITY_TTL_S - 1
        assert await actions.identity_arn() == first  # within the TTL: the one asked before
        now[0] = IDENTITY_TTL_S + 1
        assert await actions.identity_arn() == "arn:aws:sts::123456789012:assumed-role/break-glass/me"
        gateway.caller_identity = real  # type: ignore[method-assign]
    assert first and "break-glass" not in first
