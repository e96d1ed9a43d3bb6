"""The contract AwsGateway (real HTTP to moto) and FakeGateway (memory) share, tested on both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.aws.protocol import Gateway
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import Deployment, LogEvent, MetricQuery, ServiceSnapshot, TaskDefinition
from tests.fixtures.aws_seed import LOG_STREAMS, SERVICE

CLUSTER, NAME = SERVICE.cluster, SERVICE.name
TD_ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:{}"


def fake_like_the_seed() -> FakeGateway:
    """A FakeGateway holding what tests/fixtures/aws_seed.py puts into moto."""
    fake = FakeGateway()
    primary = Deployment(
        id="ecs-svc/1",
        status="PRIMARY",
        task_definition=TD_ARN.format(3),
        desired=2,
        running=0,
        pending=2,
        rollout_state="IN_PROGRESS",
        rollout_reason=None,
        created_at=None,
        updated_at=None,
    )
    fake.service = ServiceSnapshot(
        cluster=CLUSTER,
        name=NAME,
        status="ACTIVE",
        desired=2,
        running=0,
        pending=2,
        task_definition=TD_ARN.format(3),
        deployments=(primary,),
    )
    fake.task_definitions = {
        TD_ARN.format(r): TaskDefinition(arn=TD_ARN.format(r), family=SERVICE.task_family, revision=r) for r in (1, 2, 3)
    }
    base_ms = (int(datetime.now(UTC).timestamp()) - 600) * 1000
    fake.log_events = [
        LogEvent(
            event_id=f"e{i}",
            timestamp_ms=base_ms + (i // 3) * 1000,
            stream=LOG_STREAMS[i % 3],
            message=f"{'ERROR' if i % 4 == 0 else 'INFO'} request {i}",
        )
        for i in range(13)
    ]
    return fake


@pytest.fixture(params=["aws", "fake"])
async def gateway(request):
    if request.param == "aws":
        gw = AwsGateway(request.getfixturevalue("seeded_aws").settings)
    else:
        gw = fake_like_the_seed()
    yield gw
    await gw.close()


def set_page_size(gw, size: int) -> None:
    gw.page_size = size  # both gateways expose the FilterLogEvents page size under this name


async def test_both_satisfy_the_protocol(gateway):
    assert isinstance(gateway, Gateway)


async def test_describe_service_values(gateway):
    snap = await gateway.describe_service(CLUSTER, NAME)
    assert (snap.cluster, snap.name, snap.status, snap.desired) == (CLUSTER, NAME, "ACTIVE", 2)
    assert snap.task_definition.endswith("task-definition/kojan-map-business:3")
    assert snap.primary is not None and snap.primary.rollout_state == "IN_PROGRESS"


async def test_missing_service_is_a_typed_not_found(gateway):
    with pytest.raises(AwsFailure) as caught:
        await gateway.describe_service(CLUSTER, "no-such-service")
    assert caught.value.kind is FailureKind.NOT_FOUND
    assert caught.value.operation == "DescribeServices"


async def test_a_missing_secret_version_is_a_typed_not_found(gateway):
    with pytest.raises(AwsFailure) as caught:
        await gateway.secret_version("/kojan-map/business/no-such-secret")
    assert caught.value.kind is FailureKind.NOT_FOUND
    assert caught.value.operation == "DescribeSecret"


async def test_task_definitions_newest_first_and_missing_one_not_found(gateway):
    arns = await gateway.list_task_definitions(SERVICE.task_family)
    assert [a.rsplit(":", 1)[1] for a in arns] == ["3", "2", "1"]
    td = await gateway.describe_task_definition(f"{SERVICE.task_family}:2")
    assert td.revision == 2
    with pytest.raises(AwsFailure) as caught:
        await gateway.describe_task_definition("no-such-family:1")
    assert caught.value.kind is FailureKind.NOT_FOUND


async def test_log_paging_is_exactly_once_across_calls(gateway):
    set_page_size(gateway, 4)
    first = await gateway.filter_log_events(SERVICE.log_group, start_ms=0, max_pages=2)
    assert first.truncated and len(first.events) == 8
    second = await gateway.filter_log_events(SERVICE.log_group, start_ms=0, cursor=first.cursor, max_pages=2)
    third = await gateway.filter_log_events(SERVICE.log_group, start_ms=0, cursor=second.cursor, max_pages=2)
    delivered = first.events + second.events + third.events
    assert not third.truncated and third.events == ()
    assert sorted(int(e.message.split()[-1]) for e in delivered) == list(range(13))
    assert [e.timestamp_ms for e in delivered] == sorted(e.timestamp_ms for e in delivered)


async def test_log_pattern_filters_terms(gateway):
    page = await gateway.filter_log_events(SERVICE.log_group, start_ms=0, pattern="ERROR")
    assert [e.message for e in page.events] == ["ERROR request 0", "ERROR request 4", "ERROR request 8", "ERROR request 12"]


async def test_metrics_are_keyed_by_query_id_even_when_empty(gateway):
    queries = [MetricQuery("nothing_here", "AWS/RDS", "ReadLatency", (("DBInstanceIdentifier", "none"),), "Average", 60, "none")]
    end = datetime.now(UTC)
    series = await gateway.get_metric_data(queries, end - timedelta(hours=1), end)
    assert list(series) == ["nothing_here"]
    assert series["nothing_here"].values == () and series["nothing_here"].latest is None


async def test_read_only_refuses_update_service(gateway):
    gateway.read_only = True
    with pytest.raises(AwsFailure) as caught:
        await gateway.update_service(CLUSTER, NAME, force_new_deployment=True)
    assert caught.value.kind is FailureKind.READ_ONLY
    assert (await gateway.describe_service(CLUSTER, NAME)).task_definition.endswith(":3")


async def test_rollback_changes_the_task_definition(gateway):
    snap = await gateway.update_service(CLUSTER, NAME, task_definition=f"{SERVICE.task_family}:2")
    assert snap.task_definition.endswith("kojan-map-business:2")
    assert (await gateway.describe_service(CLUSTER, NAME)).task_definition.endswith("kojan-map-business:2")


def deregister(gateway, revision: int) -> None:
    if isinstance(gateway, FakeGateway):
        gateway.deregister(TD_ARN.format(revision))
    else:
        boto3.client("ecs", region_name="ap-northeast-1", endpoint_url=gateway.settings.endpoint_url).deregister_task_definition(
            taskDefinition=f"{SERVICE.task_family}:{revision}"
        )


async def test_history_lists_inactive_revisions_too(gateway):
    deregister(gateway, 2)
    assert [a.rsplit(":", 1)[1] for a in await gateway.list_task_definitions(SERVICE.task_family)] == ["3", "1"]
    history = await gateway.task_definition_history(SERVICE.task_family)
    assert [(td.revision, td.status) for td in history] == [(3, "ACTIVE"), (2, "INACTIVE"), (1, "ACTIVE")]
    assert [td.revision for td in await gateway.task_definition_history(SERVICE.task_family, limit=2)] == [3, 2]


async def test_audited_actions_behave_the_same_on_both(gateway, tmp_path):
    from kojan_tui.actions.audited import AuditedActions, DeployRequest
    from kojan_tui.core.audit import AuditTrail

    trail = AuditTrail(tmp_path / "audit.jsonl")
    request = DeployRequest(CLUSTER, NAME, "rollback", task_definition=f"{SERVICE.task_family}:2")
    refused = await AuditedActions(gateway, trail, read_only=True).update_service(request)
    done = await AuditedActions(gateway, trail).update_service(request)
    assert refused.failure.kind is FailureKind.READ_ONLY and done.snapshot.task_definition.endswith(":2")
    assert [e["outcome"] for e in trail.entries()] == ["refused: read-only", "confirmed", "succeeded"]
