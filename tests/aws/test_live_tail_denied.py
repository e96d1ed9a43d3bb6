"""A user allowed to read logs but not logs:StartLiveTail (moto's IAM enforcement, over HTTP): the feed falls
back to FilterLogEvents polling and says "polling (Live Tail not allowed)"."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.livetail import PollReason, TailMode, mode_text
from kojan_tui.core.logquery import TimeRange
from kojan_tui.sources.logs import LogFeed
from tests.fixtures.aws_seed import SERVICE
from tests.fixtures.moto_server import enforce_iam

READ_LOGS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["logs:DescribeLogGroups", "logs:FilterLogEvents"], "Resource": "*"}],
}


@pytest.fixture
def logs_reader(seeded_aws, moto_endpoint):
    iam = seeded_aws.client("iam")
    iam.create_user(UserName="logs-reader")
    iam.put_user_policy(UserName="logs-reader", PolicyName="read-logs", PolicyDocument=json.dumps(READ_LOGS))
    key = iam.create_access_key(UserName="logs-reader")["AccessKey"]
    enforce_iam(moto_endpoint, "0")
    yield key["AccessKeyId"], key["SecretAccessKey"]
    enforce_iam(moto_endpoint, "inf")


async def test_access_denied_on_start_live_tail_falls_back_to_polling(seeded_aws, logs_reader):
    async with AwsGateway(seeded_aws.settings, static_credentials=logs_reader) as gw:
        feed = LogFeed(gw, SERVICE.log_group, time_range=TimeRange("all", since_s=10 * 365 * 86400), live=True)
        try:
            lines = await feed.poll()  # polls (and starts the tailer)
            deadline = time.monotonic() + 20
            while feed.tail.mode is not TailMode.POLLING or feed.tail.reason is not PollReason.NOT_ALLOWED:
                assert time.monotonic() < deadline, f"no fallback: {feed.tail}"
                await asyncio.sleep(0.02)
            assert mode_text(feed.tail, "en") == "polling (Live Tail not allowed)"
            assert len(lines) == 13  # the seeded lines, by FilterLogEvents
            assert gw.requests["StartLiveTail"] == 1 and feed.last_failure is None
            assert feed.tail.detail  # what AWS said (moto: a bare 403)
            assert await feed.poll() == []  # polling goes on, nothing new
            assert gw.requests["FilterLogEvents"] == 2
        finally:
            await feed.close()
