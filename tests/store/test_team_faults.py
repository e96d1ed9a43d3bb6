"""The team table refusing (moto's IAM over HTTP): the failure is an AwsFailure of its kind, recorded for
the console's line, and what was readable stays readable."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3
import pytest

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.acks import acknowledge
from kojan_tui.core.config import TeamSettings
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.incidents.acks import AckBoard
from kojan_tui.store.database import LazyDatabase
from kojan_tui.store.team import stores_for
from tests.fixtures.aws_seed import fast_settings
from tests.fixtures.moto_server import REGION, enforce_iam

T0 = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
READ_ONLY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:DescribeTable"], "Resource": "*"}
    ],
}


@pytest.fixture
def reader_keys(moto_endpoint):
    """Keys of a user who may read the team table but not write it; IAM enforced for this test only."""
    iam = boto3.client("iam", endpoint_url=moto_endpoint, region_name=REGION)
    iam.create_user(UserName="reader")
    iam.put_user_policy(UserName="reader", PolicyName="read-team-table", PolicyDocument=json.dumps(READ_ONLY_POLICY))
    key = iam.create_access_key(UserName="reader")["AccessKey"]
    yield key["AccessKeyId"], key["SecretAccessKey"]
    enforce_iam(moto_endpoint, "inf")


async def test_a_denied_put_item_is_reported_and_reads_go_on(moto_endpoint, reader_keys):
    settings = fast_settings(moto_endpoint)
    async with AwsGateway(settings) as admin:
        await admin.dynamodb_create_table("kojan-team")
        admin_stores = stores_for(TeamSettings(table="kojan-team"), REGION, admin, LazyDatabase(None), lambda: T0)
        await admin_stores.acks.acknowledge(acknowledge("ecs_cpu_percent", "alice", T0, minutes=30))
    enforce_iam(moto_endpoint, "0")
    async with AwsGateway(settings, static_credentials=reader_keys) as reader:
        stores = stores_for(TeamSettings(table="kojan-team"), REGION, reader, LazyDatabase(None), lambda: T0)
        board = AckBoard(stores.acks, lambda: T0, who=lambda: "arn:aws:iam::123456789012:user/reader", team=stores.team)
        await board.refresh()
        assert board.labels("en") == {"ecs_cpu_percent": "ack: alice until 05:30"} and board.problem_line("en") == ""
        with pytest.raises(AwsFailure) as caught:
            await board.acknowledge("ecs_cpu_percent", 15)
        assert caught.value.kind is FailureKind.ACCESS_DENIED and caught.value.operation == "PutItem"
        line = board.problem_line("en")
        assert line.startswith("team table kojan-team: PutItem: access denied") and "carrying on" in line
        assert "チームテーブル kojan-team" in board.problem_line("ja")
        assert board.labels("en") == {"ecs_cpu_percent": "ack: alice until 05:30"}  # nothing claimed that was not written
        await board.refresh()  # reads still work, but the write is still refused: the line stays
        assert board.problem_line("en").startswith("team table kojan-team: PutItem: access denied")
        enforce_iam(moto_endpoint, "inf")
        await board.acknowledge("ecs_cpu_percent", 15)  # the same write, allowed again: the line goes
        assert board.problem_line("en") == ""
        assert board.labels("en") == {"ecs_cpu_percent": "ack: alice until 05:30, reader until 05:15"}
