"""AwsGateway against a real moto server over HTTP: returned values, request counts, failures."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta

import pytest

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core import metrics_catalog as mc
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import MetricQuery
from tests.fixtures.aws_seed import LOG_STREAMS, REGION, SERVICE, fast_settings, seed_rds
from tests.fixtures.moto_server import enforce_iam

CLUSTER, NAME = SERVICE.cluster, SERVICE.name


@pytest.fixture
async def gateway(seeded_aws):
    gw = AwsGateway(seeded_aws.settings)
    yield gw
    await gw.close()


async def test_caller_identity_is_moto_account(gateway):
    identity = await gateway.caller_identity()
    assert identity.account == "123456789012"
    assert identity.arn.startswith("arn:aws:sts::123456789012:")


async def test_describe_service_returns_counts_task_definition_and_deployments(gateway, seeded_aws):
    snap = await gateway.describe_service(CLUSTER, NAME)
    assert (snap.cluster, snap.name, snap.status) == (CLUSTER, NAME, "ACTIVE")
    assert snap.desired == 2
    assert snap.running + snap.pending == 2  # moto never starts tasks: they stay pending
    assert snap.task_definition == seeded_aws.task_definition_arns[2]
    assert snap.primary is not None
    assert snap.primary.task_definition.endswith("task-definition/kojan-map-business:3")
    assert snap.primary.rollout_state == "IN_PROGRESS"
    assert snap.primary.created_at.tzinfo is UTC


async def test_describe_task_definition_keeps_secret_references_only(gateway):
    td = await gateway.describe_task_definition(f"{SERVICE.task_family}:2")
    assert (td.family, td.revision) == (SERVICE.task_family, 2)
    (container,) = td.containers
    assert container.image.endswith("kojan-map/business:v2")
    assert ("APP_ENV", "production") in container.environment
    assert container.secrets == (
        ("JWT_SECRET", f"arn:aws:secretsmanager:{REGION}:123456789012:secret:/kojan-map/business/jwt-secret"),
    )


async def test_list_task_definitions_is_newest_first_and_exact_family(gateway):
    arns = await gateway.list_task_definitions(SERVICE.task_family)
    assert [a.rsplit("/", 1)[1] for a in arns] == ["kojan-map-business:3", "kojan-map-business:2", "kojan-map-business:1"]


async def test_describe_db_instance(gateway, seeded_aws):
    seed_rds(seeded_aws)
    db = await gateway.describe_db_instance(SERVICE.db_instance)
    assert (db.identifier, db.status, db.engine, db.engine_version) == ("kojan-map-db", "available", "mysql", "8.0.35")
    assert (db.instance_class, db.allocated_storage_gib) == ("db.t3.medium", 100)
    assert db.parameter_groups and db.security_groups


async def test_get_metric_data_is_one_request_for_every_query(gateway):
    queries = [q for q in mc.s03_queries(SERVICE, 60) if q.stat != "p99"]  # moto cannot compute p99 (see below)
    end = datetime.now(UTC) + timedelta(minutes=1)
    series = await gateway.get_metric_data(queries, end - timedelta(hours=1), end)
    assert gateway.requests["GetMetricData"] == 1
    assert set(series) == {q.id for q in queries}
    assert series[mc.ECS_CPU].values == (40.0, 55.0, 62.5)  # Average, oldest first
    assert series[mc.ECS_CPU].latest == 62.5
    assert list(series[mc.ECS_CPU].timestamps) == sorted(series[mc.ECS_CPU].timestamps)
    assert series[mc.ALB_REQUESTS].values == (120.0, 120.0, 120.0)  # Sum of 100 + 20 each minute
    assert series[mc.ALB_REQUESTS].label == "ALB requests"
    assert series[mc.RDS_CPU].values == () and series[mc.RDS_CPU].latest is None


async def test_p99_is_asked_for_for_real_and_moto_500_maps_to_unavailable(gateway, seeded_aws):
    seeded_aws.client("cloudwatch").put_metric_data(
        Namespace="AWS/ApplicationELB",
        MetricData=[
            {
                "MetricName": "TargetResponseTime",
                "Value": 0.2,
                "Timestamp": datetime.now(UTC),
                "Dimensions": [{"Name": n, "Value": v} for n, v in mc.alb_dimensions(SERVICE)],
            }
        ],
    )
    p99 = next(q for q in mc.s03_queries(SERVICE, 60) if q.id == mc.P99_LATENCY)
    assert p99.stat == "p99"
    end = datetime.now(UTC) + timedelta(minutes=1)
    with pytest.raises(AwsFailure) as caught:
        await gateway.get_metric_data([p99], end - timedelta(hours=1), end)
    assert caught.value.kind is FailureKind.UNAVAILABLE
    assert caught.value.operation == "GetMetricData"
    assert gateway.requests["GetMetricData"] == 1  # max_attempts=1 in the test settings: no retry


async def test_log_follow_pages_and_resumes_exactly_once(gateway, seeded_aws):
    gateway.page_size = 4
    first = await gateway.filter_log_events(SERVICE.log_group, start_ms=0, max_pages=2)
    assert len(first.events) == 8 and first.truncated
    assert gateway.requests["FilterLogEvents"] == 2
    second = await gateway.filter_log_events(SERVICE.log_group, start_ms=0, cursor=first.cursor, max_pages=2)
    assert not second.truncated
    delivered = first.events + second.events
    assert sorted(e.message for e in delivered) == sorted(m for _, _, m in seeded_aws.log_messages)
    assert len({e.event_id for e in delivered}) == 13
    assert [e.timestamp_ms for e in delivered] == sorted(e.timestamp_ms for e in delivered)
    assert {e.stream for e in delivered} == set(LOG_STREAMS)
    # Nothing new: nothing returned. A late event at the cursor's own millisecond: returned once.
    idle = await gateway.filter_log_events(SERVICE.log_group, start_ms=0, cursor=second.cursor)
    assert idle.events == () and idle.cursor == second.cursor
    seeded_aws.client("logs").put_log_events(
        logGroupName=SERVICE.log_group,
        logStreamName=LOG_STREAMS[0],
        logEvents=[{"timestamp": second.cursor.timestamp_ms, "message": "ERROR late"}],
    )
    late = await gateway.filter_log_events(SERVICE.log_group, start_ms=0, cursor=idle.cursor)
    assert [e.message for e in late.events] == ["ERROR late"]
    again = await gateway.filter_log_events(SERVICE.log_group, start_ms=0, cursor=late.cursor)
    assert again.events == ()


async def test_log_pattern_and_count(gateway):
    page = await gateway.filter_log_events(SERVICE.log_group, start_ms=0, pattern="ERROR")
    assert [e.message for e in page.events] == ["ERROR request 0", "ERROR request 4", "ERROR request 8", "ERROR request 12"]
    gateway.page_size = 3
    now_ms = int(time.time() * 1000)
    assert await gateway.count_log_events(SERVICE.log_group, pattern="ERROR", start_ms=0, end_ms=now_ms) == 4
    assert await gateway.count_log_events(SERVICE.log_group, pattern="", start_ms=0, end_ms=now_ms) == 13


async def test_insights_query_runs_to_completion(gateway):
    end = datetime.now(UTC) + timedelta(minutes=1)
    result = await gateway.run_insights_query(
        SERVICE.log_group,
        "fields @timestamp, @message | sort @timestamp desc | limit 3",
        start=end - timedelta(hours=1),
        end=end,
        timeout_s=5,
    )
    assert result.status == "Complete"
    assert [row["@message"] for row in result.rows][0] == "ERROR request 12"
    assert len(result.rows) == 3
    assert gateway.requests["StartQuery"] == 1


async def test_scaling_activities_unsupported_by_moto_is_a_typed_failure(gateway):
    # moto has no DescribeScalingActivities (the embedded demo AWS adds it); the gateway still asks for it.
    with pytest.raises(AwsFailure) as caught:
        await gateway.describe_scaling_activities(f"service/{CLUSTER}/{NAME}")
    assert caught.value.operation == "DescribeScalingActivities"
    assert gateway.requests["DescribeScalingActivities"] == 1


async def test_update_service_changes_the_task_definition(seeded_aws):
    async with AwsGateway(seeded_aws.settings) as gw:
        snap = await gw.update_service(CLUSTER, NAME, task_definition=f"{SERVICE.task_family}:2")
    assert snap.task_definition.endswith("kojan-map-business:2")
    described = seeded_aws.client("ecs").describe_services(cluster=CLUSTER, services=[NAME])["services"][0]
    assert described["taskDefinition"].endswith("kojan-map-business:2")


async def test_read_only_refuses_update_service_before_any_request(seeded_aws):
    async with AwsGateway(seeded_aws.settings, read_only=True) as gw:
        with pytest.raises(AwsFailure) as caught:
            await gw.update_service(CLUSTER, NAME, force_new_deployment=True)
        assert gw.requests["UpdateService"] == 0
    assert caught.value.kind is FailureKind.READ_ONLY
    described = seeded_aws.client("ecs").describe_services(cluster=CLUSTER, services=[NAME])["services"][0]
    assert described["taskDefinition"].endswith("kojan-map-business:3")


@pytest.mark.parametrize(
    "call",
    [
        lambda gw: gw.describe_service(CLUSTER, "no-such-service"),
        lambda gw: gw.describe_service("no-such-cluster", NAME),
        lambda gw: gw.describe_task_definition("no-such-family:9"),
        lambda gw: gw.describe_db_instance("no-such-db"),
        lambda gw: gw.filter_log_events("/ecs/no-such-group", start_ms=0),
    ],
    ids=["service", "cluster", "task-definition", "db", "log-group"],
)
async def test_missing_things_are_not_found(gateway, call):
    with pytest.raises(AwsFailure) as caught:
        await call(gateway)
    assert caught.value.kind is FailureKind.NOT_FOUND


async def test_unreachable_endpoint_is_unavailable_quickly(moto_endpoint):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    async with AwsGateway(fast_settings(f"http://127.0.0.1:{port}", connect_timeout=1.0)) as gw:
        with pytest.raises(AwsFailure) as caught:
            await gw.describe_service(CLUSTER, NAME)
    assert caught.value.kind is FailureKind.UNAVAILABLE
    assert time.monotonic() - started < 3


async def test_missing_credentials(moto_endpoint, monkeypatch, tmp_path):
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    async with AwsGateway(fast_settings(moto_endpoint)) as gw:
        with pytest.raises(AwsFailure) as caught:
            await gw.caller_identity()
    assert caught.value.kind is FailureKind.CREDENTIALS
    assert "aws sso login" in caught.value.message


async def test_unknown_profile_is_a_credentials_failure(moto_endpoint):
    async with AwsGateway(fast_settings(moto_endpoint, profile="no-such-profile")) as gw:
        with pytest.raises(AwsFailure) as caught:
            await gw.describe_service(CLUSTER, NAME)
    assert caught.value.kind is FailureKind.CREDENTIALS
    assert "no-such-profile" in caught.value.message


@pytest.fixture
def moto_auth(moto_endpoint):
    """Turns on moto's IAM enforcement (its /moto-api/reset-auth) for one test, and off again after."""

    yield lambda count: enforce_iam(moto_endpoint, count)
    enforce_iam(moto_endpoint, "inf")


async def test_access_denied_and_invalid_keys(seeded_aws, moto_auth):
    iam = seeded_aws.client("iam")
    iam.create_user(UserName="no-permissions")
    key = iam.create_access_key(UserName="no-permissions")["AccessKey"]
    moto_auth("0")
    async with AwsGateway(seeded_aws.settings, static_credentials=(key["AccessKeyId"], key["SecretAccessKey"])) as gw:
        with pytest.raises(AwsFailure) as denied:
            await gw.describe_service(CLUSTER, NAME)
    async with AwsGateway(seeded_aws.settings, static_credentials=("AKIAUNKNOWN00000000", "wrong")) as gw:
        with pytest.raises(AwsFailure) as invalid:
            await gw.caller_identity()  # STS answers InvalidClientTokenId (moto's ECS gives a bare 403)
    assert denied.value.kind is FailureKind.ACCESS_DENIED
    assert invalid.value.kind is FailureKind.CREDENTIALS and invalid.value.code == "InvalidClientTokenId"


async def test_static_credentials_ignore_the_users_profile(moto_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "a-profile-this-machine-does-not-have")
    async with AwsGateway(fast_settings(moto_endpoint), static_credentials=("demo", "demo")) as gw:
        identity = await gw.caller_identity()
    assert identity.account == "123456789012"


async def test_clients_are_opened_once_and_close_is_idempotent(seeded_aws):
    gw = AwsGateway(seeded_aws.settings)
    await gw.describe_service(CLUSTER, NAME)
    first = gw._clients["ecs"]
    await gw.describe_service(CLUSTER, NAME)
    assert gw._clients["ecs"] is first and list(gw._clients) == ["ecs"]
    await gw.close()
    await gw.close()
    assert gw._clients == {}


def test_metric_query_ids_must_be_unique():
    import asyncio

    q = MetricQuery("a", "AWS/ECS", "CPUUtilization", (), "Average", 60)
    gw = AwsGateway(fast_settings("http://127.0.0.1:9"))
    with pytest.raises(AwsFailure) as caught:
        asyncio.run(gw.get_metric_data([q, q], datetime.now(UTC), datetime.now(UTC)))
    assert caught.value.kind is FailureKind.INVALID_REQUEST


async def test_aws_profile_works_as_in_the_aws_cli_and_the_setting_wins(moto_endpoint, monkeypatch, tmp_path):
    """AWS_PROFILE picks the profile (here: its endpoint_url and keys); settings.profile (--profile) beats it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    config_file = tmp_path / "aws_config"
    config_file.write_text(
        f"[profile oncall]\nregion = {REGION}\nendpoint_url = {moto_endpoint}\naws_access_key_id = a\naws_secret_access_key = b\n\n"
        f"[profile broken]\nregion = {REGION}\nendpoint_url = {dead}\naws_access_key_id = a\naws_secret_access_key = b\n"
    )
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    no_endpoint = fast_settings(moto_endpoint, endpoint_url=None)
    monkeypatch.setenv("AWS_PROFILE", "oncall")
    async with AwsGateway(no_endpoint) as gw:
        assert (await gw.caller_identity()).account == "123456789012"
    monkeypatch.setenv("AWS_PROFILE", "broken")
    async with AwsGateway(no_endpoint) as gw:
        with pytest.raises(AwsFailure) as caught:
            await gw.caller_identity()
        assert caught.value.kind is FailureKind.UNAVAILABLE
    async with AwsGateway(fast_settings(moto_endpoint, endpoint_url=None, profile="oncall")) as gw:
        assert (await gw.caller_identity()).account == "123456789012"


async def test_two_counts_come_from_one_scan_split_by_term_and_window(gateway, seeded_aws):
    """S02 and S25's "database connection" from one FilterLogEvents request (the account's quota is 5/s)."""
    from kojan_tui.core.log_terms import TermWindow

    logs = seeded_aws.client("logs")
    logs.create_log_stream(logGroupName=SERVICE.log_group, logStreamName="ecs/business/db")
    now_ms = int(time.time() * 1000)
    lines = [(now_ms - 3000, "ERROR database connection refused"), (now_ms - 2000, "WARN database connection slow")]
    logs.put_log_events(
        logGroupName=SERVICE.log_group,
        logStreamName="ecs/business/db",
        logEvents=[{"timestamp": ts, "message": m} for ts, m in lines],
    )
    windows = {"errors": TermWindow("ERROR", 0), "db": TermWindow("database connection", now_ms - 5000)}
    before = gateway.requests["FilterLogEvents"]
    counts = await gateway.count_log_terms(SERVICE.log_group, windows=windows, end_ms=now_ms)
    assert counts == {"errors": 5, "db": 2}  # 4 seeded ERROR lines + the refused connection; both db lines
    assert all(c.complete for c in counts.values())
    assert gateway.requests["FilterLogEvents"] - before == 1

    # A scan cut at its page limit read the oldest lines only: the narrow window gets a scan of its own.
    gateway.page_size = 1
    from kojan_tui.aws import logs as logs_module

    limit = logs_module.MAX_COUNT_PAGES
    logs_module.MAX_COUNT_PAGES = 3
    try:
        cut = await gateway.count_log_terms(SERVICE.log_group, windows=windows, end_ms=now_ms)
    finally:
        logs_module.MAX_COUNT_PAGES = limit
    assert not cut["errors"].complete and cut["errors"] <= 5
    assert cut["db"] == 2 and cut["db"].complete
