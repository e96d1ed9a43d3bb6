"""The security view's gateway parts against the embedded AWS (real HTTP), and the fake's contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from kojan_tui.aws.accessanalyzer import NOT_OFFERED
from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.security_models import parse_image
from tests.security.helpers import RESOURCE_ID, SERVICE, demo_gateway, moto_gateway, user_allowed

REPO_IMAGE = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/kojan-map/business:{}"


async def test_the_running_image_is_resolved_from_the_task_definition_not_latest(demo_world):
    async with demo_gateway(demo_world) as gw:
        service = await gw.describe_service(SERVICE.cluster, SERVICE.name)
        task_definition = await gw.describe_task_definition(service.task_definition)
        ref = parse_image(task_definition.containers[0].image)
        image = await gw.describe_image(ref)
    assert ref.tag == "v1.5.1" and ref.repository == "kojan-map/business"
    assert "v1.5.1" in image.tags and image.scan_status == "COMPLETE"
    assert image.count("HIGH") == 0 and image.count("MEDIUM") == 1
    assert image.pushed_at is not None and datetime.now(UTC) - image.pushed_at > timedelta(days=8)
    assert image.scan_completed_at is not None and image.scan_completed_at > image.pushed_at


async def test_findings_by_severity_most_severe_first_and_by_digest(demo_world):
    async with demo_gateway(demo_world) as gw:
        by_tag = await gw.describe_image(parse_image(REPO_IMAGE.format("v1.5.0")), top_findings=2)
        by_digest = await gw.describe_image(parse_image(f"kojan-map/business@{by_tag.digest}"))
        assert gw.requests["DescribeImageScanFindings"] == 2
    assert [f.severity for f in by_tag.findings] == ["HIGH", "MEDIUM"]  # top 2 of 3
    top = by_tag.findings[0]
    assert (top.name, top.package, top.uri) == (
        "CVE-2024-34156",
        "stdlib 1.22.3",
        "https://nvd.nist.gov/vuln/detail/CVE-2024-34156",
    )
    assert by_tag.severity_counts == (("HIGH", 1), ("MEDIUM", 1), ("LOW", 1))
    assert by_digest.digest == by_tag.digest and len(by_digest.findings) == 3


async def test_an_image_never_scanned_is_scan_none_not_a_failure(demo_world):
    async with demo_gateway(demo_world) as gw:
        image = await gw.describe_image(parse_image(REPO_IMAGE.format("v1.4.2")))
        with pytest.raises(AwsFailure) as missing:
            await gw.describe_image(parse_image(REPO_IMAGE.format("v9.9.9")))
    assert image.scan_status == "NONE" and image.findings == () and image.severity_counts == ()
    assert missing.value.kind is FailureKind.NOT_FOUND


async def test_secrets_under_the_prefix_metadata_only(demo_world):
    async with demo_gateway(demo_world) as gw:
        secrets = await gw.list_secrets(SERVICE.secret_prefix)
        assert gw.requests["GetSecretValue"] == 0
    by_name = {s.name: s for s in secrets}
    assert sorted(by_name) == [
        "/kojan-map/business/db-password",
        "/kojan-map/business/google-oauth-client-secret",
        "/kojan-map/business/jwt-secret",
    ]
    assert by_name["/kojan-map/business/db-password"].rotation_enabled is True
    assert by_name["/kojan-map/business/db-password"].rotation_days == 30
    assert by_name["/kojan-map/business/jwt-secret"].rotation_enabled is False
    assert by_name["/kojan-map/business/google-oauth-client-secret"].rotation_enabled is False
    assert all(s.last_changed and s.last_accessed for s in secrets)


async def test_secret_length_reads_one_value_and_returns_only_its_length(demo_world):
    async with demo_gateway(demo_world) as gw:
        measured = await gw.secret_length(SERVICE.jwt_secret_id)
        assert gw.requests["GetSecretValue"] == 1
    assert measured.length == 64 and measured.name == SERVICE.jwt_secret_id
    assert set(vars(measured)) == {"name", "length", "last_changed"}


async def test_scalable_target_and_policies(demo_world):
    async with demo_gateway(demo_world) as gw:
        target = await gw.describe_scalable_target(RESOURCE_ID)
        policies = await gw.describe_scaling_policies(RESOURCE_ID)
        absent = await gw.describe_scalable_target("service/kojan-map-production/no-such-service")
    assert (target.min_capacity, target.max_capacity) == (2, 4)
    assert absent is None
    (policy,) = policies
    assert policy.policy_type == "TargetTrackingScaling" and policy.metric == "ECSServiceAverageCPUUtilization"
    assert (policy.target_value, policy.scale_out_cooldown, policy.scale_in_cooldown) == (70.0, 60, 300)


async def test_rds_backup_maintenance_and_slow_query_log(demo_world):
    async with demo_gateway(demo_world) as gw:
        db = await gw.describe_db_instance(SERVICE.db_instance)
        pending = await gw.pending_maintenance(SERVICE.db_instance)
        slow = await gw.describe_db_parameter(db.parameter_groups[0], "slow_query_log")
    assert (db.engine_version, db.instance_class, db.multi_az) == ("8.0.39", "db.t3.medium", True)
    assert db.backup_window == "18:00-18:30" and db.backup_retention_days == 7 and db.latest_restorable_time
    assert slow.value == "1"
    (action,) = pending
    assert action.action == "system-update" and action.auto_applied_after > datetime.now(UTC) + timedelta(days=10)


async def test_access_analyzer_is_unavailable_with_the_reason_on_the_embedded_aws(demo_world):
    async with demo_gateway(demo_world) as gw:
        with pytest.raises(AwsFailure) as caught:
            await gw.validate_policy('{"Version": "2012-10-17", "Statement": []}')
    assert caught.value.kind is FailureKind.UNAVAILABLE and caught.value.message == NOT_OFFERED


async def test_denied_calls_are_access_denied(moto_endpoint):
    """moto's IAM enforcement (a user with no policy): every part says ACCESS_DENIED."""
    with user_allowed(moto_endpoint, "security-viewer-none", []) as keys:
        async with moto_gateway(moto_endpoint, keys) as gw:
            for call in (
                gw.list_secrets(SERVICE.secret_prefix),
                gw.describe_image(parse_image(REPO_IMAGE.format("v1.5.1"))),
                gw.describe_scalable_target(RESOURCE_ID),
                gw.pending_maintenance(SERVICE.db_instance),
                gw.secret_version(SERVICE.jwt_secret_id),
            ):
                with pytest.raises(AwsFailure) as caught:
                    await call
                assert caught.value.kind is FailureKind.ACCESS_DENIED, caught.value


async def test_a_denied_value_read_names_no_value(moto_endpoint):
    """Allowed DescribeSecret but not GetSecretValue: the failure is a fixed sentence."""
    boto3.client("secretsmanager", endpoint_url=moto_endpoint, region_name="ap-northeast-1").create_secret(
        Name=SERVICE.jwt_secret_id, SecretString="s" * 40
    )
    with user_allowed(moto_endpoint, "security-viewer-meta", ["secretsmanager:DescribeSecret"]) as keys:
        async with moto_gateway(moto_endpoint, keys) as gw:
            with pytest.raises(AwsFailure) as caught:
                await gw.secret_length(SERVICE.jwt_secret_id)
    assert caught.value.kind is FailureKind.ACCESS_DENIED and caught.value.operation == "GetSecretValue"
    assert caught.value.message == f"could not read the length of {SERVICE.jwt_secret_id} (access denied)"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


async def test_the_current_secret_version_id_follows_a_new_version_and_never_carries_the_value(moto_endpoint):
    """DescribeSecret over HTTP: the AWSCURRENT version id, a new id after PutSecretValue, no value anywhere."""
    first_value, second_value = "first-Sup3r-s3cret-value-0123456789", "second-Sup3r-s3cret-value-9876543210"
    sm = boto3.client("secretsmanager", endpoint_url=moto_endpoint, region_name="ap-northeast-1")
    created = sm.create_secret(Name=SERVICE.jwt_secret_id, SecretString=first_value)
    async with moto_gateway(moto_endpoint, ("testing", "testing")) as gw:
        before = await gw.secret_version(SERVICE.jwt_secret_id)
        put = sm.put_secret_value(SecretId=SERVICE.jwt_secret_id, SecretString=second_value)
        after = await gw.secret_version(SERVICE.jwt_secret_id)
        with pytest.raises(AwsFailure) as missing:
            await gw.secret_version("/kojan-map/business/no-such-secret")
        assert gw.requests["GetSecretValue"] == 0 and gw.requests["DescribeSecret"] == 3
    assert before == created["VersionId"] and after == put["VersionId"] and before != after
    assert all(value not in repr((before, after)) for value in (first_value, second_value))
    assert missing.value.kind is FailureKind.NOT_FOUND
    fake = FakeGateway()
    fake.secret_versions = {SERVICE.jwt_secret_id: after}
    assert await fake.secret_version(SERVICE.jwt_secret_id) == after


async def test_the_fake_answers_like_the_real_one(demo_world):
    fake = FakeGateway()
    async with demo_gateway(demo_world) as gw:
        fake.secrets = await gw.list_secrets("/")
        image = await gw.describe_image(parse_image(REPO_IMAGE.format("v1.5.0")))
        fake.images = {parse_image(REPO_IMAGE.format("v1.5.0")).shown: image}
        real_secrets = await gw.list_secrets(SERVICE.secret_prefix)
    assert await fake.list_secrets(SERVICE.secret_prefix) == real_secrets
    assert (await fake.describe_image(parse_image(REPO_IMAGE.format("v1.5.0")), top_findings=1)).findings == image.findings[:1]
    with pytest.raises(AwsFailure) as caught:
        await fake.validate_policy("{}")
    assert caught.value.kind is FailureKind.UNAVAILABLE and caught.value.message == NOT_OFFERED
    with pytest.raises(AwsFailure) as missing:
        await fake.describe_image(parse_image(REPO_IMAGE.format("v9")))
    assert missing.value.kind is FailureKind.NOT_FOUND
