"""LogFeed over the real AwsGateway against the moto server: pages, streams, equal timestamps, new events."""

from __future__ import annotations

import time
from collections import Counter

import boto3
import pytest

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import AwsSettings
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.widgets.log_view import LogView
from tests.fixtures.logs import PaneApp, poll
from tests.fixtures.request_limits import without_request_limits

GROUP = "/ecs/kojan-map-business"
STREAMS = ("ecs/business/task-aaaa", "ecs/business/task-bbbb", "ecs/business/task-cccc")
REGION = "ap-northeast-1"


@pytest.fixture
def logs_client(moto_endpoint):
    client = boto3.client("logs", region_name=REGION, endpoint_url=moto_endpoint)
    client.create_log_group(logGroupName=GROUP)
    for stream in STREAMS:
        client.create_log_stream(logGroupName=GROUP, logStreamName=stream)
    return client


def put(client, stream: str, events: list[tuple[int, str]]) -> None:
    response = client.put_log_events(
        logGroupName=GROUP, logStreamName=stream, logEvents=[{"timestamp": t, "message": m} for t, m in events]
    )
    assert "rejectedLogEventsInfo" not in response


def settings(endpoint: str) -> AwsSettings:
    return AwsSettings(region=REGION, endpoint_url=endpoint, connect_timeout=2.0, read_timeout=10.0, max_attempts=1)


async def drain(feed: LogFeed, max_polls: int = 100) -> list:
    delivered = []
    for _ in range(max_polls):
        lines = await feed.poll()
        delivered += lines
        if not lines and not feed.behind:
            return delivered
    raise AssertionError("the feed never caught up")


async def test_every_event_exactly_once_in_order_across_pages_streams_and_equal_timestamps(moto_endpoint, logs_client):
    base = int(time.time() * 1000) - 120_000
    expected = []
    for stream in STREAMS:
        events = [
            (base + n // 5, f"{stream} seq={n:03d} INFO tick") for n in range(100)
        ]  # 5 per ms, and 15 per ms across streams
        put(logs_client, stream, events)
        expected += [m for _, m in events]
    gateway = without_request_limits(AwsGateway(settings(moto_endpoint)))  # ~60 pages: not 0.5 s each
    gateway.page_size = 7  # many pages; page boundaries fall inside runs of equal timestamps
    try:
        feed = LogFeed(gateway, GROUP, buffer_lines=1000, max_pages=3)
        delivered = await drain(feed)
        messages = [line.raw for line in delivered]
        assert Counter(messages) == Counter(expected)  # every event, none twice
        assert len({line.event_id for line in delivered}) == 300
        timestamps = [line.timestamp_ms for line in delivered]
        assert timestamps == sorted(timestamps)  # all streams interleaved in time order
        for stream in STREAMS:
            own = [m for m in messages if m.startswith(stream)]
            assert own == sorted(own)  # each stream's order kept
        assert len(feed.buffer) == 300
        assert gateway.requests["FilterLogEvents"] >= 300 // 7  # it really paged

        # New events, some at the very millisecond the cursor stopped at, come on the next poll.
        last_ms = timestamps[-1]
        put(logs_client, STREAMS[0], [(last_ms, "late at the same ms"), (last_ms + 5, "ERROR database connection lost")])
        put(logs_client, STREAMS[2], [(last_ms + 5, "late from another stream")])
        fresh = await drain(feed)
        assert sorted(line.raw for line in fresh) == sorted(
            ["late at the same ms", "ERROR database connection lost", "late from another stream"]
        )
        assert await feed.poll() == []
    finally:
        await gateway.close()


async def test_preset_filter_against_moto(moto_endpoint, logs_client):
    now = int(time.time() * 1000) - 30_000
    put(
        logs_client,
        STREAMS[0],
        [(now, "INFO ok"), (now + 1, "ERROR database connection refused"), (now + 2, "WARN invalid token for user 7")],
    )
    gateway = AwsGateway(settings(moto_endpoint))
    try:
        feed = LogFeed(gateway, GROUP, buffer_lines=100)
        await feed.poll()
        assert len(feed.buffer) == 3
        lines = await feed.set_filter('"invalid token"')
        assert [line.raw for line in lines] == ["WARN invalid token for user 7"]
        assert [line.raw for line in feed.buffer] == ["WARN invalid token for user 7"]
        put(logs_client, STREAMS[1], [(now + 10, "INFO unrelated"), (now + 11, "invalid token again")])
        assert [line.raw for line in await feed.poll()] == ["invalid token again"]
    finally:
        await gateway.close()


async def test_the_pane_shows_moto_events(moto_endpoint, logs_client):
    now = int(time.time() * 1000) - 10_000
    put(logs_client, STREAMS[1], [(now, "INFO first"), (now + 1, '{"level":"error","msg":"db down","status":500}')])
    gateway = AwsGateway(settings(moto_endpoint))
    try:
        feed = LogFeed(gateway, GROUP, buffer_lines=100)
        app = PaneApp(feed)
        async with app.run_test(size=(100, 10)) as pilot:
            await poll(pilot, feed)
            view = app.query_one(LogView)
            assert "ERROR db down · status=500" in view.render_line(1).text
            assert "INFO  INFO first" in view.render_line(0).text
    finally:
        await gateway.close()
