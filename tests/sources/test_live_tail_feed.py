"""LogFeed with Live Tail over FakeGateway: live mode sends no FilterLogEvents, a refused StartLiveTail falls back
to polling and says why, sampled updates and dropped streams are said, a new filter restarts the session."""

from __future__ import annotations

import asyncio

from rich.text import Text

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.livetail import LiveTailUpdate, PollReason, SeenEvents, TailMode
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.widgets.log_pane import status_text
from tests.fixtures.logs import NOW, event
from tests.fixtures.waits import until_true

DENIED = AwsFailure(
    FailureKind.ACCESS_DENIED,
    "User is not authorized to perform: logs:StartLiveTail",
    code="AccessDeniedException",
    operation="StartLiveTail",
)
WAIT_S = 15.0


class View:
    """What status_text reads of a LogView: following, no lines waiting, no local search."""

    following, pending, search = True, 0, None


def status(feed: LogFeed, language: str = "en") -> str:
    text = status_text(feed, View(), language)  # type: ignore[arg-type]
    assert isinstance(text, Text)
    return text.plain


def live_feed(events=()) -> tuple[FakeGateway, LogFeed]:
    gateway = FakeGateway()
    gateway.log_events = list(events)
    gateway.live_tail_failure = None
    return gateway, LogFeed(gateway, "/ecs/kojan-map-business", clock=lambda: NOW, buffer_lines=100, live=True)


async def test_access_denied_falls_back_to_polling_and_says_so_in_both_languages():
    gateway, feed = live_feed([event(1, "INFO one")])
    gateway.live_tail_failure = DENIED
    try:
        await feed.poll()
        await until_true(lambda: feed.tail.mode is TailMode.POLLING, "the fallback", timeout=WAIT_S)
        assert feed.tail.reason is PollReason.NOT_ALLOWED
        assert "polling (Live Tail not allowed)" in status(feed)
        assert "ポーリング (Live Tail が許可されていません)" in status(feed, "ja")
        gateway.log_events.append(event(2, "INFO two"))
        calls = gateway.calls["filter_log_events"]
        assert [line.raw for line in await feed.poll()] == ["INFO two"]  # polling goes on as before
        assert gateway.calls["filter_log_events"] == calls + 1
        assert gateway.calls["start_live_tail"] == 1  # not asked again every poll
    finally:
        await feed.close()


async def test_live_mode_sends_no_filter_log_events_and_hands_the_streamed_lines_to_the_poll():
    gateway, feed = live_feed([event(1, "INFO before")])
    try:
        await feed.poll()
        await until_true(lambda: feed.tail.mode is TailMode.LIVE, "live mode", timeout=WAIT_S)
        assert [line.raw for line in feed.buffer] == ["INFO before"]  # the backfill
        assert "● live (Live Tail)" in status(feed) and "● ライブ (Live Tail)" in status(feed, "ja")
        calls = gateway.calls["filter_log_events"]
        session = gateway.live_tails[-1]
        session.push(LiveTailUpdate((event(2, "ERROR streamed"), event(1, "INFO before"))))  # one already seen
        await until_true(lambda: len(feed.buffer) == 2, "the streamed line", timeout=WAIT_S)
        assert [line.raw for line in await feed.poll()] == ["ERROR streamed"]  # the error tally gets it
        assert await feed.poll() == []
        assert gateway.calls["filter_log_events"] == calls  # no request while live
    finally:
        await feed.close()
    assert gateway.live_tails[-1].closed


async def test_a_sampled_update_and_a_dropped_stream_are_said_and_the_gap_is_backfilled():
    gateway, feed = live_feed()
    try:
        await feed.poll()
        await until_true(lambda: feed.tail.mode is TailMode.LIVE, "live mode", timeout=WAIT_S)
        gateway.live_tails[-1].push(LiveTailUpdate((event(1, "INFO a"),), sampled=True))
        await until_true(lambda: len(feed.buffer) == 1, "the sampled update", timeout=WAIT_S)
        assert "sampled by AWS (over 500 events/s" in status(feed)
        assert "AWS がサンプリング中" in status(feed, "ja")
        gateway.log_events.append(event(2, "INFO while away"))  # written while the stream is down
        gateway.live_tails[-1].end(AwsFailure(FailureKind.UNAVAILABLE, "stream reset", operation="StartLiveTail"))
        await until_true(lambda: feed.tail.drops == 1, "the drop", timeout=WAIT_S)
        assert feed.tail.mode is TailMode.POLLING and feed.tail.reason is PollReason.STREAM_FAILED
        assert "Live Tail dropped — reconnecting" in status(feed)
        await until_true(
            lambda: len(gateway.live_tails) == 2 and feed.tail.mode is TailMode.LIVE, "the reconnect", timeout=WAIT_S
        )
        assert [line.raw for line in feed.buffer] == ["INFO a", "INFO while away"]
        assert "reconnected 1× (gaps backfilled)" in status(feed)
    finally:
        await feed.close()


async def test_a_new_filter_restarts_the_session_with_that_pattern():
    gateway, feed = live_feed([event(1, "ERROR x"), event(2, "INFO y")])
    try:
        await feed.poll()
        await until_true(lambda: feed.tail.mode is TailMode.LIVE, "live mode", timeout=WAIT_S)
        first = gateway.live_tails[-1]
        assert first.pattern == ""
        await feed.set_filter("ERROR")
        await until_true(
            lambda: len(gateway.live_tails) == 2 and feed.tail.mode is TailMode.LIVE, "the new session", timeout=WAIT_S
        )
        assert first.closed and gateway.live_tails[-1].pattern == "ERROR"
        first.push(LiveTailUpdate((event(3, "INFO old filter"),)))  # the old session's late update is dropped
        gateway.live_tails[-1].push(LiveTailUpdate((event(4, "ERROR new"),)))
        await until_true(lambda: len(feed.buffer) == 2, "the new session's line", timeout=WAIT_S)
        assert [line.raw for line in feed.buffer] == ["ERROR x", "ERROR new"]
    finally:
        await feed.close()


def test_seen_events_are_bounded_and_know_an_event_by_its_content():
    seen = SeenEvents(limit=3)
    a, b = event(1, "same"), event(2, "other")
    assert seen.fresh([a, b, a]) == [a, b]
    assert seen.fresh([event(1, "same")]) == []  # another id, same line: FilterLogEvents and Live Tail
    seen.fresh([event(n, f"x{n}") for n in range(10, 15)])
    assert len(seen) == 3 and seen.fresh([a]) == [a]  # the oldest were forgotten


async def test_a_past_range_polls_and_following_now_again_reopens_live_tail():
    from kojan_tui.core.logquery import LAST_HOUR, TimeRange

    gateway, feed = live_feed([event(1, "INFO one")])
    try:
        await feed.poll()
        await until_true(lambda: feed.tail.mode is TailMode.LIVE, "live mode", timeout=WAIT_S)
        feed.set_range(TimeRange("yesterday", start_ms=0, end_ms=1))
        await until_true(lambda: feed.tail.reason is PollReason.PAST_RANGE, "polling a past range", timeout=WAIT_S)
        assert gateway.live_tails[-1].closed and "polling (a past range)" in status(feed)
        feed.set_range(LAST_HOUR)
        await until_true(lambda: len(gateway.live_tails) == 2 and feed.tail.mode is TailMode.LIVE, "live again", timeout=WAIT_S)
    finally:
        await feed.close()


async def test_a_filter_live_tail_refuses_keeps_polling_with_that_filter_and_says_why():
    gateway, feed = live_feed([event(1, "ERROR a")])
    gateway.live_tail_failure = AwsFailure(
        FailureKind.INVALID_REQUEST, "bad pattern", code="InvalidParameterException", operation="StartLiveTail"
    )
    try:
        await feed.poll()
        await until_true(lambda: feed.tail.reason is PollReason.PATTERN_REFUSED, "the refusal", timeout=WAIT_S)
        assert "polling (Live Tail refused this filter)" in status(feed)
        assert "Live Tail がこのフィルタを拒否" in status(feed, "ja")
    finally:
        await feed.close()


async def test_a_silent_stream_never_passes_for_fresh_lines():
    """The poller's freshness of the log source is a live poll's answer: no update since it began, no success."""
    import pytest

    gateway, feed = live_feed()
    gateway.live_tail_heartbeat_s = None  # the stream stays open but sends nothing
    try:
        await feed.poll()
        await until_true(lambda: feed.tail.mode is TailMode.LIVE, "live mode", timeout=WAIT_S)
        with pytest.raises(AwsFailure) as silent:
            await feed.poll()
        assert silent.value.kind is FailureKind.TIMEOUT and feed.last_failure is silent.value
        gateway.live_tails[-1].push(LiveTailUpdate(()))  # it speaks again: the next poll succeeds
        assert await feed.poll() == []
        assert feed.last_failure is None
    finally:
        await feed.close()


async def test_a_stream_that_ends_during_a_live_poll_hands_the_poll_to_filter_log_events():
    gateway, feed = live_feed()
    gateway.live_tail_heartbeat_s = None
    try:
        await feed.poll()
        await until_true(lambda: feed.tail.mode is TailMode.LIVE, "live mode", timeout=WAIT_S)
        gateway.live_tail_failure = AwsFailure(FailureKind.UNAVAILABLE, "gone", operation="StartLiveTail")
        gateway.failures["filter_log_events"] = AwsFailure(FailureKind.UNAVAILABLE, "AWS gone", operation="FilterLogEvents")
        poll = asyncio.ensure_future(feed.poll())
        await asyncio.sleep(0)
        gateway.live_tails[-1].end(AwsFailure(FailureKind.UNAVAILABLE, "connection closed", operation="StartLiveTail"))
        try:
            await poll
        except AwsFailure as failure:
            assert failure.operation == "FilterLogEvents"  # the fallback poll asked, and AWS is gone: stale
        else:
            raise AssertionError("the poll passed for fresh although the stream ended and AWS is gone")
    finally:
        await feed.close()
