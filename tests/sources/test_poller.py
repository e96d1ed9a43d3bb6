"""The poller: never overlapping polls, refresh now, failures marking only their source, recovery."""

import asyncio
from datetime import timedelta

from kojan_tui.aws.limits import RequestLimits
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.sources.poller import Poller
from tests.fixtures.builders import NOW
from tests.fixtures.waits import until_true


class Probe:
    """A fetch that counts calls and concurrent calls, can be slowed down and made to fail."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.calls = 0
        self.running = 0
        self.max_running = 0
        self.failure: Exception | None = None
        self.delivered: list[int] = []

    async def fetch(self) -> int:
        self.calls += 1
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            await asyncio.sleep(self.delay)
            if self.failure:
                raise self.failure
            return self.calls
        finally:
            self.running -= 1


async def test_first_poll_at_start_then_on_interval_only():
    probe = Probe()
    poller = Poller(clock=lambda: NOW)
    poller.register("a", 3600, probe.fetch, probe.delivered.append)
    poller.start()
    await poller.refresh_now(wait=True)  # satisfied by the start poll
    assert probe.delivered == [1]
    await poller.refresh_now(wait=True)
    await asyncio.sleep(0.05)
    await poller.stop()
    assert probe.delivered == [1, 2]  # the start poll and the refresh; the 1 h interval never came


async def test_slow_polls_never_overlap_even_when_refreshed_repeatedly():
    probe = Probe(delay=0.05)
    poller = Poller(clock=lambda: NOW)
    poller.register("slow", 0.01, probe.fetch, probe.delivered.append)
    poller.start()
    for _ in range(5):
        await poller.refresh_now()
        await asyncio.sleep(0.02)
    await poller.refresh_now(wait=True)
    await poller.stop()
    assert probe.max_running == 1
    assert probe.calls >= 3


async def test_refresh_during_a_poll_polls_once_more_after_it():
    probe = Probe(delay=0.05)
    poller = Poller(clock=lambda: NOW)
    poller.register("a", 3600, probe.fetch, probe.delivered.append)
    poller.start()
    await asyncio.sleep(0.01)  # first poll in flight
    await poller.refresh_now(wait=True)
    await poller.stop()
    assert probe.delivered == [1, 2] and probe.max_running == 1


async def test_failure_marks_only_its_source_and_recovers():
    good, bad = Probe(), Probe()
    seen: list[tuple[str, bool]] = []
    poller = Poller(clock=lambda: NOW, on_freshness=lambda name, f: seen.append((name, f.stale)))
    poller.register("good", 3600, good.fetch, good.delivered.append)
    poller.register("bad", 3600, bad.fetch, bad.delivered.append)
    bad.failure = AwsFailure(FailureKind.THROTTLED, "Rate exceeded")
    poller.start()
    await poller.refresh_now(wait=True)
    assert poller.freshness("bad").stale and not poller.freshness("good").stale
    assert poller.freshness("bad").stale_text(NOW) == "STALE never loaded — throttled"
    assert bad.delivered == []
    bad.failure = None
    await poller.refresh_now(["bad"], wait=True)
    await poller.stop()
    assert not poller.freshness("bad").stale and bad.delivered
    assert ("bad", True) in seen and seen[-1] == ("bad", False)


async def test_an_internal_error_is_reported_and_the_loop_survives():
    probe = Probe()
    errors: list[str] = []
    poller = Poller(clock=lambda: NOW, on_internal_error=lambda name, e: errors.append(f"{name}:{type(e).__name__}"))
    poller.register("a", 3600, probe.fetch, lambda value: 1 / 0)
    poller.start()
    await poller.refresh_now(wait=True)
    await poller.refresh_now(wait=True)
    await poller.stop()
    assert errors[:2] == ["a:ZeroDivisionError", "a:ZeroDivisionError"]
    assert poller.freshness("a").failure_reason == "internal error: ZeroDivisionError"


async def test_register_while_running_and_unregister():
    probe = Probe()
    poller = Poller(clock=lambda: NOW)
    poller.start()
    poller.register("late", 3600, probe.fetch, probe.delivered.append)
    await poller.refresh_now(["late"], wait=True)
    await poller.unregister("late")
    assert "late" not in poller.sources and probe.delivered
    await poller.stop()


async def test_waiting_on_a_poller_that_was_never_started_fails_fast():
    import pytest

    poller = Poller(clock=lambda: NOW)
    poller.register("a", 3600, Probe().fetch, lambda value: None)
    with pytest.raises(RuntimeError, match="before start"):
        await poller.refresh_now(wait=True)


async def test_a_poll_past_its_deadline_is_cancelled_marked_timeout_and_the_next_is_armed():
    probe = Probe(delay=3600)  # AWS never answers
    poller = Poller(clock=lambda: NOW)
    poller.register("slow", 0.01, probe.fetch, probe.delivered.append, deadline_s=0.05)
    poller.start()
    try:
        for _ in range(200):
            await asyncio.sleep(0.01)
            if poller.sources["slow"].completed >= 2:
                break
        freshness = poller.freshness("slow")
        assert poller.sources["slow"].completed >= 2 and probe.calls >= 2  # not stuck on the first poll
        assert freshness.failure_kind is FailureKind.TIMEOUT and freshness.stale
        assert freshness.stale_text(NOW) == "STALE never loaded — timeout"
        assert probe.max_running == 1  # the cancelled poll is gone before the next starts
    finally:
        await poller.stop()


async def test_on_failure_hears_every_failure_the_source_is_marked_with_a_deadline_cut_included():
    probe = Probe(delay=3600)  # cut off at its deadline: the fetch itself is cancelled and tells no one
    heard: list[AwsFailure] = []
    poller = Poller(clock=lambda: NOW)
    poller.register("slow", 3600, probe.fetch, probe.delivered.append, deadline_s=0.05, on_failure=heard.append)
    poller.start()
    try:
        await poller.refresh_now(wait=True)
        assert [f.kind for f in heard] == [FailureKind.TIMEOUT]
        probe.delay, probe.failure = 0, AwsFailure(FailureKind.THROTTLED, "Rate exceeded")
        await poller.refresh_now(wait=True)
        assert heard[-1] is probe.failure and len(heard) == 2
        probe.failure = None
        await poller.refresh_now(wait=True)
        assert len(heard) == 2 and not poller.freshness("slow").stale  # a success is no failure
    finally:
        await poller.stop()


async def test_a_deliver_that_raises_does_not_stop_its_source():
    calls: list[int] = []

    def deliver(value: int) -> None:
        calls.append(value)
        raise RuntimeError("a bug in a callback")

    errors: list[str] = []
    probe = Probe()
    poller = Poller(clock=lambda: NOW, on_internal_error=lambda name, error: errors.append(name))
    poller.register("buggy", 3600, probe.fetch, deliver)
    poller.start()
    try:
        for _ in range(3):
            await poller.refresh_now(["buggy"], wait=True)
        assert calls == [1, 2, 3] and errors == ["buggy"] * 3
    finally:
        await poller.stop()


async def test_a_poll_queued_behind_its_request_limit_says_so_once_it_is_older_than_its_interval():
    limits = RequestLimits(log_requests_per_second=2.0)  # the second request waits 0.5 s for its slot
    now = [NOW]

    async def two_log_reads() -> int:
        for _ in range(2):
            await limits.before_send(event_name="before-send.logs.FilterLogEvents")
        return 1

    delivered: list[int] = []
    poller = Poller(clock=lambda: now[0])
    poller.register("logs", 1.0, two_log_reads, delivered.append)
    freshness = poller.freshness("logs")
    poller.start()
    await until_true(lambda: limits.waiting["FilterLogEvents"], "the second request to queue for its slot")
    assert freshness.waiting_for_limit == "FilterLogEvents"
    assert freshness.stale_reason(now[0]) is None  # within its interval: nothing to say yet
    now[0] = NOW + timedelta(seconds=1.5)
    assert freshness.stale_reason(now[0]) == "waiting for the request limit (FilterLogEvents)"
    await poller.refresh_now(wait=True)
    await poller.stop()
    assert delivered and freshness.waiting_for_limit == ""
    assert freshness.stale_reason(now[0]) is None
