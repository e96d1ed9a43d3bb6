"""PutLogEvents against a real moto server: the stream is created when missing, the group never is, sent once,
refused read-only before any HTTP request."""

from __future__ import annotations

import time

import pytest

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.errors import AwsFailure, FailureKind
from tests.fixtures.aws_seed import fast_settings

GROUP = "/kojan-map/ops-audit"


def now_ms() -> int:
    return int(time.time() * 1000)


def messages(client, stream: str) -> list[str]:
    events = client.get_log_events(logGroupName=GROUP, logStreamName=stream, startFromHead=True)["events"]
    return [e["message"] for e in events]


@pytest.fixture
def logs(moto_endpoint):
    import boto3

    client = boto3.client("logs", region_name="ap-northeast-1", endpoint_url=moto_endpoint)
    client.create_log_group(logGroupName=GROUP)
    return client


async def test_the_stream_is_created_once_and_the_events_arrive_in_order(moto_endpoint, logs):
    t = now_ms()
    async with AwsGateway(fast_settings(moto_endpoint)) as gw:
        await gw.put_log_events(GROUP, "kojan-tui/me@host/2026-11-29", [(t, "one"), (t, "two")])
        await gw.put_log_events(GROUP, "kojan-tui/me@host/2026-11-29", [(t + 1, "three")])
        assert gw.requests["CreateLogStream"] == 1 and gw.requests["PutLogEvents"] == 3  # one refused, then two
    assert messages(logs, "kojan-tui/me@host/2026-11-29") == ["one", "two", "three"]


async def test_an_existing_stream_is_written_without_creating_it(moto_endpoint, logs):
    logs.create_log_stream(logGroupName=GROUP, logStreamName="s")
    async with AwsGateway(fast_settings(moto_endpoint)) as gw:
        await gw.put_log_events(GROUP, "s", [(now_ms(), "x")])
        assert gw.requests["CreateLogStream"] == 0 and gw.requests["PutLogEvents"] == 1
    assert messages(logs, "s") == ["x"]


@pytest.mark.parametrize("gateway", ["real", "fake"])
async def test_a_missing_group_is_not_found_naming_it_and_is_not_created(moto_endpoint, logs, gateway):
    gw = AwsGateway(fast_settings(moto_endpoint)) if gateway == "real" else FakeGateway()
    try:
        with pytest.raises(AwsFailure) as caught:
            await gw.put_log_events("/no/such/group", "s", [(now_ms(), "x")])
    finally:
        await gw.close()
    assert caught.value.kind is FailureKind.NOT_FOUND and "/no/such/group" in caught.value.message
    assert [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]] == [GROUP]


@pytest.mark.parametrize("gateway", ["real", "fake"])
async def test_read_only_refuses_before_any_request(moto_endpoint, logs, gateway):
    gw = AwsGateway(fast_settings(moto_endpoint), read_only=True) if gateway == "real" else FakeGateway(read_only=True)
    try:
        with pytest.raises(AwsFailure) as caught:
            await gw.put_log_events(GROUP, "s", [(now_ms(), "x")])
        assert caught.value.kind is FailureKind.READ_ONLY
        if gateway == "real":
            assert sum(gw.requests.values()) == 0
    finally:
        await gw.close()
    assert logs.describe_log_streams(logGroupName=GROUP)["logStreams"] == []


async def test_log_group_exists_matches_the_exact_name_only(moto_endpoint, logs):
    logs.create_log_group(logGroupName=GROUP + "-archive")  # shares the prefix: not the group asked for
    async with AwsGateway(fast_settings(moto_endpoint)) as gw:
        assert await gw.log_group_exists(GROUP)
        assert not await gw.log_group_exists("/kojan-map/ops")  # a prefix of existing groups is not one
        assert not await gw.log_group_exists("/kojan-map/missing")
    fake = FakeGateway()
    assert await fake.log_group_exists(GROUP) and not await fake.log_group_exists("/kojan-map/missing")
