"""LogFeed over FakeGateway: exactly-once polling, filter changes, failures, ranges, bounds."""

from __future__ import annotations

import asyncio

import pytest

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.logquery import LAST_DAY
from kojan_tui.sources.logs import LogFeed
from tests.fixtures.logs import NOW, NOW_MS, event

BAD_PATTERN = AwsFailure(
    FailureKind.INVALID_REQUEST, "Invalid filter pattern: { $.x = ", code="InvalidParameterException", operation="FilterLogEvents"
)


def make_feed(events, **kwargs) -> tuple[FakeGateway, LogFeed]:
    gateway = FakeGateway()
    gateway.log_events = list(events)
    kwargs.setdefault("buffer_lines", 1000)
    return gateway, LogFeed(gateway, "/ecs/kojan-map-business", clock=lambda: NOW, **kwargs)


async def test_poll_delivers_each_event_once_and_new_ones_next_time():
    gateway, feed = make_feed(event(n, f"line {n}") for n in range(120))
    gateway.page_size = 7
    seen = []
    for _ in range(5):
        seen += [line.raw for line in await feed.poll()]
    assert seen == [f"line {n}" for n in range(120)]
    gateway.log_events.append(event(500, "fresh"))
    assert [line.raw for line in await feed.poll()] == ["fresh"]
    assert await feed.poll() == []


async def test_poll_is_bounded_and_reports_being_behind():
    gateway, feed = make_feed((event(n, f"l{n}") for n in range(100)), max_pages=2)
    gateway.page_size = 10
    first = await feed.poll()
    assert len(first) == 20 and feed.behind
    rest = [line for _ in range(10) for line in await feed.poll()]
    assert len(rest) == 80 and not feed.behind


async def test_a_burst_bigger_than_the_buffer_parses_only_what_fits():
    gateway, feed = make_feed((event(n, f"l{n}") for n in range(500)), buffer_lines=50, max_pages=20)
    lines = await feed.poll()
    assert len(lines) == 50 and lines[-1].raw == "l499" and feed.skipped == 450
    assert len(feed.buffer) == 50


async def test_polls_never_overlap():
    gateway, feed = make_feed([event(1, "a")])
    gateway.delays["filter_log_events"] = 0.05
    first, second = await asyncio.gather(feed.poll(), feed.poll())
    assert [line.raw for line in first] == ["a"] and second == []
    assert gateway.calls["filter_log_events"] == 1


async def test_set_filter_applies_server_side_and_reloads():
    gateway, feed = make_feed([event(1, "ERROR boom"), event(2, "INFO fine"), event(3, "ERROR again")])
    await feed.poll()
    lines = await feed.set_filter("ERROR")
    assert [line.raw for line in lines] == ["ERROR boom", "ERROR again"]
    assert [line.raw for line in feed.buffer] == ["ERROR boom", "ERROR again"]
    assert feed.pattern == "ERROR"
    gateway.log_events += [event(4, "INFO later"), event(5, "ERROR later")]
    assert [line.raw for line in await feed.poll()] == ["ERROR later"]


async def test_invalid_filter_keeps_the_previous_one_and_reraises():
    gateway, feed = make_feed([event(1, "ERROR boom"), event(2, "INFO fine")])
    await feed.set_filter("ERROR")
    gateway.failures["filter_log_events"] = BAD_PATTERN
    with pytest.raises(AwsFailure) as raised:
        await feed.set_filter("{ $.x = ")
    assert raised.value.kind is FailureKind.INVALID_REQUEST
    assert feed.pattern == "ERROR" and [line.raw for line in feed.buffer] == ["ERROR boom"]
    del gateway.failures["filter_log_events"]
    gateway.log_events.append(event(3, "ERROR next"))
    assert [line.raw for line in await feed.poll()] == ["ERROR next"]


async def test_an_answer_to_the_old_filter_is_dropped():
    gateway, feed = make_feed([event(1, "ERROR boom"), event(2, "INFO fine")])
    gateway.delays["filter_log_events"] = 0.05
    slow_poll = asyncio.create_task(feed.poll())
    await asyncio.sleep(0.01)
    await feed.set_filter("ERROR")
    assert await slow_poll == []
    assert [line.raw for line in feed.buffer] == ["ERROR boom"]


async def test_poll_failure_is_recorded_then_cleared():
    gateway, feed = make_feed([event(1, "a")])
    gateway.failures["filter_log_events"] = AwsFailure(FailureKind.THROTTLED, "Rate exceeded")
    notified = []
    feed.subscribe(lambda f: notified.append(f.last_failure))
    with pytest.raises(AwsFailure):
        await feed.poll()
    assert feed.last_failure is not None and feed.cursor is None
    del gateway.failures["filter_log_events"]
    assert len(await feed.poll()) == 1 and feed.last_failure is None
    assert notified[0] is not None and notified[-1] is None


async def test_set_range_restarts_from_the_range_start():
    gateway, feed = make_feed([event(1, "recent", at_ms=NOW_MS - 60_000), event(2, "old", at_ms=NOW_MS - 3 * 3_600_000)])
    assert [line.raw for line in await feed.poll()] == ["recent"]  # default: last 5 minutes
    feed.set_range(LAST_DAY)
    assert len(feed.buffer) == 0
    assert [line.raw for line in await feed.poll()] == ["old", "recent"]


async def test_unsubscribe_stops_notifications():
    _, feed = make_feed([event(1, "a")])
    calls = []
    unsubscribe = feed.subscribe(lambda f: calls.append(1))
    await feed.poll()
    unsubscribe()
    feed.set_range(LAST_DAY)
    assert calls == [1]
