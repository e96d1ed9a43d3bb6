"""The CloudWatch Logs copy of the audit trail against a real moto server: the same records, in order, in the
group; a missing group leaves the local trail complete and the outcome unchanged, and is reported once;
read-only sends nothing."""

from __future__ import annotations

import json

from kojan_tui.actions.audit_copy import COPY_ACTION, AuditCopy, audit_copy_for, stream_name
from kojan_tui.actions.audited import AuditedActions
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from tests.actions.test_audited_actions import rollback_to

GROUP = "/kojan-map/ops-audit"
OWNER = "oncall@laptop"


def copying(gw: AwsGateway, trail: AuditTrail, **where) -> tuple[AuditCopy, AuditedActions, list[str]]:
    """Audited actions with a copy to GROUP, and the warnings it gave."""
    warnings: list[str] = []
    copy = AuditCopy(gw, GROUP, trail, owner=OWNER, on_warning=warnings.append)
    return copy, AuditedActions(gw, trail, copy=copy, **where), warnings


def copied(seeded_aws, entries: list[dict]) -> list[dict]:
    """What the group holds in the stream of ``entries`` (their UTC day), oldest first."""
    stream = stream_name(entries[0], OWNER)
    events = seeded_aws.client("logs").get_log_events(logGroupName=GROUP, logStreamName=stream, startFromHead=True)["events"]
    return [json.loads(e["message"]) for e in events]


async def test_a_rollback_puts_the_same_records_in_the_group_in_order(seeded_aws, tmp_path):
    seeded_aws.client("logs").create_log_group(logGroupName=GROUP)
    trail = AuditTrail(tmp_path / "audit.jsonl")
    async with AwsGateway(seeded_aws.settings) as gw:
        copy, actions, warnings = copying(gw, trail, profile="prod", region="ap-northeast-1")
        request = rollback_to(2)
        await actions.request(request)
        outcome = await actions.update_service(request)
        await actions.record(request, "verified", verdicts=[{"check": "target health", "verdict": "pass"}])
        await copy.drain()
        assert gw.requests["PutLogEvents"] >= 2 and gw.requests["CreateLogStream"] == 1
    assert outcome.done and warnings == [] and copy.sent == 4 and copy.last_error is None
    local = trail.entries()
    assert [e["outcome"] for e in local] == ["requested", "confirmed", "succeeded", "verified"]
    assert copied(seeded_aws, local) == local  # the same JSON, nothing added or left out
    assert local[2]["details"]["profile"] == "prod" and local[2]["details"]["task_definition_after"].endswith(":2")
    stream = stream_name(local[0], OWNER)
    assert stream == f"kojan-tui/{OWNER}/{local[0]['ts'][:10]}"


async def test_a_missing_group_changes_no_outcome_and_is_reported_once(seeded_aws, tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")
    async with AwsGateway(seeded_aws.settings) as gw:
        copy, actions, warnings = copying(gw, trail)
        outcome = await actions.update_service(rollback_to(2))
        await copy.drain()
        first = await actions.update_service(rollback_to(1))
        await copy.drain()
    assert outcome.done and outcome.summary == "done" and first.done
    (warning,) = warnings  # four records failed: one warning
    assert GROUP in warning and "does not exist" in warning and "local audit trail is complete" in warning
    local = trail.entries()
    assert [e["outcome"] for e in local if e["action"] == "rollback"] == ["confirmed", "succeeded"] * 2
    (note,) = [e for e in local if e["action"] == COPY_ACTION]
    assert note["outcome"] == "failed: not found" and GROUP in note["details"]["message"]
    assert copy.sent == 0 and copy.unsent == 4 and "does not exist" in copy.last_error and "4 failed" in copy.status
    assert seeded_aws.client("logs").describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"] == []


async def test_the_copy_resumes_when_the_group_appears(seeded_aws, tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")
    async with AwsGateway(seeded_aws.settings) as gw:
        copy, actions, warnings = copying(gw, trail)
        await actions.request(rollback_to(2))
        await copy.drain()
        seeded_aws.client("logs").create_log_group(logGroupName=GROUP)
        await actions.request(rollback_to(1))
        await copy.drain()
    assert len(warnings) == 1 and copy.last_error is None and (copy.sent, copy.unsent) == (1, 1)
    local = [e for e in trail.entries() if e["action"] != COPY_ACTION]
    assert copied(seeded_aws, local) == local[1:]  # the record sent while the group was missing is not re-sent


async def test_read_only_copies_nothing_not_even_the_refusal(seeded_aws, tmp_path):
    seeded_aws.client("logs").create_log_group(logGroupName=GROUP)
    trail = AuditTrail(tmp_path / "audit.jsonl")
    async with AwsGateway(seeded_aws.settings, read_only=True) as gw:
        assert audit_copy_for(gw, GROUP, trail, read_only=True) is None
        assert audit_copy_for(gw, GROUP, trail, read_only=False) is None  # a read-only gateway is enough
        copy = AuditCopy(gw, GROUP, trail, owner=OWNER)  # even handed one, read-only actions never use it
        actions = AuditedActions(gw, trail, read_only=True, copy=copy)
        outcome = await actions.update_service(rollback_to(2))
        await copy.drain()
        assert gw.requests["PutLogEvents"] == 0 and gw.requests["CreateLogStream"] == 0 and gw.requests["UpdateService"] == 0
    assert not outcome.done and [e["outcome"] for e in trail.entries()] == ["refused: read-only"]
    assert seeded_aws.client("logs").describe_log_streams(logGroupName=GROUP)["logStreams"] == []


async def test_off_when_no_group_is_configured(seeded_aws, tmp_path):
    async with AwsGateway(seeded_aws.settings) as gw:
        assert audit_copy_for(gw, "", AuditTrail(tmp_path / "a.jsonl"), read_only=False) is None
        assert isinstance(audit_copy_for(gw, GROUP, AuditTrail(tmp_path / "a.jsonl"), read_only=False), AuditCopy)
