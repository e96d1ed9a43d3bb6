"""The security checks against the embedded AWS (healthy, a deployed older image, auth-errors, db-outage), the
denied path through a FakeGateway failure, the unavailable Access Analyzer, and the pure rules."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import boto3
import pytest

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.config import Config, SecuritySettings
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import ContainerDefinition, ServiceSnapshot, TaskDefinition
from kojan_tui.core.security_rules import parse_duration
from kojan_tui.procedures import (
    checks_secrets,  # noqa: F401
    checks_security,  # noqa: F401 - registers the checks
)
from kojan_tui.procedures.checks import CHECKS, CheckContext, Verdict, run_check
from tests.security.helpers import CONFIG, SERVICE, demo_gateway

SECURITY_CHECKS = (
    "ecr.findings",
    "ecr.image_age",
    "secrets.rotation",
    "secrets.jwt_length",
    "tokens.lifetimes",
    "autoscaling.activity",
    "rds.maintenance",
    "iam.validate_policy",
)


def test_all_are_registered():
    assert set(SECURITY_CHECKS) <= set(CHECKS)


async def run_all(gw, config: Config = CONFIG) -> dict:
    context = CheckContext(gateway=gw, config=config)
    return {check_id: await run_check(check_id, context) for check_id in SECURITY_CHECKS}


async def test_healthy_world_verdicts(demo_world):
    async with demo_gateway(demo_world) as gw:
        results = await run_all(gw)
        assert gw.requests["GetSecretValue"] == 1  # only secrets.jwt_length reads a value
        # one context: the findings and the age checks share one description of the image (HTTP requests sent)
        assert (gw.requests["DescribeImages"], gw.requests["DescribeImageScanFindings"]) == (1, 1)
    verdicts = {k: r.verdict for k, r in results.items()}
    assert verdicts == {
        "ecr.findings": Verdict.PASS,  # v1.5.1: MEDIUM, LOW, INFORMATIONAL
        "ecr.image_age": Verdict.PASS,  # 9 days
        "secrets.rotation": Verdict.WARN,  # jwt-secret and google-oauth-client-secret are off
        "secrets.jwt_length": Verdict.PASS,
        "tokens.lifetimes": Verdict.PASS,  # 24h and 5m
        "autoscaling.activity": Verdict.PASS,
        "rds.maintenance": Verdict.WARN,  # one pending system-update
        "iam.validate_policy": Verdict.UNAVAILABLE,  # no file configured
    }, {k: r.summary for k, r in results.items()}
    assert "v1.5.1" in results["ecr.findings"].summary
    assert "2 of 3" in results["secrets.rotation"].summary
    assert "64 characters" in results["secrets.jwt_length"].summary
    assert any("system-update" in line for line in results["rds.maintenance"].evidence)
    assert any("slow_query_log = 1" in line for line in results["rds.maintenance"].evidence)
    assert any("GiB free" in line for line in results["rds.maintenance"].evidence)
    assert any("min 2, max 4" in line for line in results["autoscaling.activity"].evidence)
    assert results["iam.validate_policy"].summary == "no policy file configured: set [security] iam_policy_file"


async def test_a_context_looks_the_image_up_once_even_for_checks_at_once_and_a_replaced_one_asks_again(demo_world):
    async with demo_gateway(demo_world) as gw:
        context = CheckContext(gw, CONFIG)
        both = await asyncio.gather(run_check("ecr.findings", context), run_check("ecr.image_age", context))
        assert [r.verdict for r in both] == [Verdict.PASS, Verdict.PASS]
        assert (gw.requests["DescribeImages"], gw.requests["DescribeImageScanFindings"]) == (1, 1)
        assert gw.requests["DescribeTaskDefinition"] == 1  # the running image is resolved once too
        # a procedure runner checks each step on replace(context, …): a re-check asks AWS afresh
        again = await run_check("ecr.image_age", replace(context, step_id="image-age"))
        assert again.verdict is Verdict.PASS
        assert (gw.requests["DescribeImages"], gw.requests["DescribeImageScanFindings"]) == (2, 2)


async def test_the_older_image_deployed_fails_findings_and_age(demo_world):
    ecs = boto3.client("ecs", endpoint_url=demo_world.endpoint_url, region_name="ap-northeast-1")
    ecs.update_service(cluster=SERVICE.cluster, service=SERVICE.name, taskDefinition=f"{SERVICE.task_family}:2")
    async with demo_gateway(demo_world) as gw:
        findings = await run_check("ecr.findings", CheckContext(gw, CONFIG))
        age = await run_check("ecr.image_age", CheckContext(gw, CONFIG))
        lenient = replace(CONFIG, security=SecuritySettings(ecr_fail_severities="CRITICAL", image_max_age_days=365))
        only_critical = await run_check("ecr.findings", CheckContext(gw, lenient))
        young_enough = await run_check("ecr.image_age", CheckContext(gw, lenient))
    assert findings.verdict is Verdict.FAIL and "1 CRITICAL/HIGH finding(s) in kojan-map/business:v1.5.0" in findings.summary
    assert any("CVE-2024-34156" in line and "stdlib 1.22.3" in line for line in findings.evidence)
    assert age.verdict is Verdict.WARN and "over 90" in age.summary
    assert only_critical.verdict is Verdict.PASS and young_enough.verdict is Verdict.PASS


async def test_auth_errors_shortens_the_jwt_secret(demo_world):
    demo_world.set_scenario("auth-errors")
    async with demo_gateway(demo_world) as gw:
        result = await run_check("secrets.jwt_length", CheckContext(gw, CONFIG))
    assert result.verdict is Verdict.FAIL and "16 characters" in result.summary


async def test_db_outage_fails_the_rds_check(demo_world):
    demo_world.set_scenario("db-outage")
    async with demo_gateway(demo_world) as gw:
        for _ in range(120):  # the simulator reboots the instance on its next tick (0.25 s)
            result = await run_check("rds.maintenance", CheckContext(gw, CONFIG))
            if result.verdict is Verdict.FAIL:
                break
            await asyncio.sleep(0.25)
    assert result.verdict is Verdict.FAIL and "status rebooting" in result.summary


async def test_iam_is_unavailable_with_the_endpoints_reason(demo_world, tmp_path):
    policy = tmp_path / "iam-policy.json"
    policy.write_text('{"Version": "2012-10-17", "Statement": []}', encoding="utf-8")
    config = replace(CONFIG, security=SecuritySettings(iam_policy_file=str(policy)))
    async with demo_gateway(demo_world) as gw:
        result = await run_check("iam.validate_policy", CheckContext(gw, config))
    assert result.verdict is Verdict.UNAVAILABLE
    assert result.summary == "unavailable: this endpoint does not offer Access Analyzer"


async def test_iam_findings_by_type_on_a_gateway_that_offers_it(tmp_path):
    from kojan_tui.core.security_models import PolicyFinding

    policy = tmp_path / "p.json"
    policy.write_text("{}", encoding="utf-8")
    fake = FakeGateway()
    fake.policy_findings = [
        PolicyFinding("SECURITY_WARNING", "PASS_ROLE_WITH_STAR_IN_RESOURCE", "iam:PassRole with * in Resource"),
        PolicyFinding("SUGGESTION", "EMPTY_ARRAY_CONDITION", "empty condition"),
    ]
    config = replace(CONFIG, security=SecuritySettings(iam_policy_file=str(policy)))
    result = await run_check("iam.validate_policy", CheckContext(fake, config))
    assert result.verdict is Verdict.FAIL and "SECURITY_WARNING 1, SUGGESTION 1" in result.summary
    fake.policy_findings = [PolicyFinding("SUGGESTION", "X", "y")]
    assert (await run_check("iam.validate_policy", CheckContext(fake, config))).verdict is Verdict.WARN
    fake.policy_findings = []
    assert (await run_check("iam.validate_policy", CheckContext(fake, config))).verdict is Verdict.PASS


@pytest.mark.parametrize(
    ("method", "check_id"),
    [
        ("list_secrets", "secrets.rotation"),
        ("describe_image", "ecr.findings"),
        ("describe_db_instance", "rds.maintenance"),
        ("describe_scalable_target", "autoscaling.activity"),
        ("secret_length", "secrets.jwt_length"),
    ],
)
async def test_denied_is_unavailable_with_the_reason(method, check_id):
    fake = FakeGateway()
    arn = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:3"
    fake.service = ServiceSnapshot(SERVICE.cluster, SERVICE.name, "ACTIVE", 2, 2, 0, arn)
    fake.task_definitions = {arn: TaskDefinition(arn, SERVICE.task_family, 3, (ContainerDefinition("app", "r/x:1"),))}
    fake.failures[method] = AwsFailure(FailureKind.ACCESS_DENIED, "not authorized to perform the call", operation=method)
    result = await run_check(check_id, CheckContext(fake, CONFIG))
    assert result.verdict is Verdict.UNAVAILABLE
    assert result.summary == "access denied: not authorized to perform the call"


def test_token_lifetimes_longer_than_the_guide_fail():
    from kojan_tui.procedures.checks_security import _lifetime

    assert _lifetime({"T": "168h"}, "T", 86400)[0] is Verdict.FAIL
    assert _lifetime({"T": "24h"}, "T", 86400)[0] is Verdict.PASS
    assert _lifetime({"T": "10m"}, "T", 300)[0] is Verdict.FAIL
    assert _lifetime({}, "T", 300)[0] is Verdict.WARN
    assert _lifetime({"T": "soon"}, "T", 300)[0] is Verdict.WARN


async def test_token_lifetimes_read_the_running_revision():
    fake = FakeGateway()
    arn = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:1"
    fake.service = ServiceSnapshot(SERVICE.cluster, SERVICE.name, "ACTIVE", 2, 2, 0, arn)
    env = (("OAUTH_TOKEN_TTL", "168h"), ("MFA_CODE_TTL", "10m"))
    fake.task_definitions = {arn: TaskDefinition(arn, SERVICE.task_family, 1, (ContainerDefinition("app", "x:1", env),))}
    result = await run_check("tokens.lifetimes", CheckContext(fake, CONFIG))
    assert result.verdict is Verdict.FAIL
    assert "OAUTH_TOKEN_TTL = 168h (168 h): longer than the guide's 24 h" in result.evidence


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("24h", 86400), ("5m", 300), ("1h30m", 5400), ("300", 300), ("300s", 300), ("1d", 86400), ("x", None), ("", None)],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds
