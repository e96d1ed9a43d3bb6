"""AuditedActions against a real moto server: recorded before sending, refused read-only, failures audited."""

from __future__ import annotations

from kojan_tui.actions.audited import AuditedActions, DeployRequest
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.errors import FailureKind
from tests.actions.silent_endpoint import actions_on_a_silent_endpoint
from tests.fixtures.aws_seed import SERVICE

CLUSTER, NAME = SERVICE.cluster, SERVICE.name


def rollback_to(revision: int, cluster: str = CLUSTER) -> DeployRequest:
    return DeployRequest(
        cluster,
        NAME,
        "rollback",
        task_definition=f"{SERVICE.task_family}:{revision}",
        before_task_definition="kojan-map-business:3",
    )


async def test_a_rollback_is_recorded_confirmed_then_succeeded_with_the_caller(seeded_aws, tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")
    async with AwsGateway(seeded_aws.settings) as gw:
        outcome = await AuditedActions(gw, trail).update_service(rollback_to(2))
    assert outcome.done and outcome.summary == "done" and outcome.snapshot.task_definition.endswith(":2")
    confirmed, succeeded = trail.entries()
    assert [confirmed["outcome"], succeeded["outcome"]] == ["confirmed", "succeeded"]
    assert confirmed["identity"].startswith("arn:aws:sts::123456789012:")
    assert succeeded["details"]["task_definition_before"] == "kojan-map-business:3"
    assert succeeded["details"]["task_definition_after"].endswith("kojan-map-business:2")
    assert confirmed["details"]["request_id"] == succeeded["details"]["request_id"]


async def test_read_only_refuses_without_a_request_and_records_the_refusal(seeded_aws, tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")
    async with AwsGateway(seeded_aws.settings) as gw:
        outcome = await AuditedActions(gw, trail, read_only=True).update_service(rollback_to(2))
        assert gw.requests["UpdateService"] == 0
    assert not outcome.done and outcome.failure.kind is FailureKind.READ_ONLY
    (entry,) = trail.entries()
    assert entry["outcome"] == "refused: read-only"
    described = seeded_aws.client("ecs").describe_services(cluster=CLUSTER, services=[NAME])["services"][0]
    assert described["taskDefinition"].endswith("kojan-map-business:3")


async def test_a_failed_update_is_recorded_as_failed(seeded_aws, tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")
    async with AwsGateway(seeded_aws.settings) as gw:
        outcome = await AuditedActions(gw, trail).update_service(rollback_to(2, cluster="no-such-cluster"))
    assert not outcome.done and outcome.failure.kind is FailureKind.NOT_FOUND
    assert [e["outcome"] for e in trail.entries()] == ["confirmed", "failed: not found"]


async def test_nothing_is_sent_when_the_attempt_cannot_be_recorded(seeded_aws, tmp_path):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the audit directory should be")
    async with AwsGateway(seeded_aws.settings) as gw:
        outcome = await AuditedActions(gw, AuditTrail(blocked / "audit.jsonl")).update_service(rollback_to(2))
        assert gw.requests["UpdateService"] == 0
    assert not outcome.done and "audit trail cannot be written" in outcome.failure.message


async def test_done_but_audit_failed_is_said_so_nobody_deploys_twice(seeded_aws, tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")

    class FailsAfterTheAttempt(AuditTrail):
        def record(self, action, target, outcome, identity_arn, details=None, *, now=None):
            if outcome == "succeeded":
                raise OSError("disk full")
            return trail.record(action, target, outcome, identity_arn, details, now=now)

    async with AwsGateway(seeded_aws.settings) as gw:
        outcome = await AuditedActions(gw, FailsAfterTheAttempt(tmp_path / "x.jsonl")).update_service(rollback_to(2))
    assert outcome.done and outcome.summary == "done, audit failed: disk full"
    assert [e["outcome"] for e in trail.entries()] == ["confirmed"]


async def test_a_mutation_is_sent_once_and_a_lost_answer_is_an_unknown_outcome_not_a_failure(tmp_path):
    """A read timeout after UpdateService was sent: no retry (it could deploy twice), outcome unknown."""
    async with actions_on_a_silent_endpoint(tmp_path) as (actions, trail, sent):
        outcome = await actions.update_service(rollback_to(2))
    seen = sent.targets
    assert [t for t in seen if t.endswith("UpdateService")] == ["AmazonEC2ContainerServiceV20141113.UpdateService"]
    assert outcome.unknown and not outcome.done and "outcome unknown" in outcome.summary
    assert [e["outcome"] for e in trail.entries()] == ["confirmed", "unknown: timeout"]
