"""Live Tail against the embedded AWS over HTTP: the stream carries what is written, honours the filter, and the
feed reconnects after a stream ends with the gap backfilled by FilterLogEvents, every line exactly once."""

from __future__ import annotations

import asyncio
import time
import uuid

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import AwsSettings, ServiceSettings
from kojan_tui.core.livetail import TailMode
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from kojan_tui.sources.logs import LogFeed
from tests.fixtures.waits import until_true

LOG_GROUP = ServiceSettings().log_group
STREAM = "ecs/business/livetail-test"
WAIT_S = 30.0  # a loaded CI machine: the demo sends an update every second


def gateway(aws) -> AwsGateway:
    return AwsGateway(AwsSettings(endpoint_url=aws.endpoint_url, max_attempts=2), static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET))


def now_ms() -> int:
    return int(time.time() * 1000)


async def test_the_stream_carries_what_is_written_and_only_what_matches_the_filter(demo_world):
    gw = gateway(demo_world)
    marker = f"lt-{uuid.uuid4().hex[:12]}"
    try:
        stream = await gw.start_live_tail(LOG_GROUP, pattern=f'"{marker}"')
        try:
            at = now_ms()
            await gw.put_log_events(LOG_GROUP, STREAM, [(at, f"{marker} first ERROR"), (at + 1, "another line")])
            await gw.put_log_events(LOG_GROUP, STREAM, [(at + 2, f"{marker} second")])
            got = []
            async with asyncio.timeout(WAIT_S):
                async for update in stream:
                    got += update.events
                    if len(got) >= 2:
                        break
            # the simulator writes its own lines all the while: none of them (nor "another line") match
            assert [e.message for e in got] == [f"{marker} first ERROR", f"{marker} second"]
            assert {e.stream for e in got} == {STREAM} and got[0].timestamp_ms == at
            assert got[0].event_id != got[1].event_id and got[0].event_id.startswith("live:")
        finally:
            stream.close()
        assert gw.requests["StartLiveTail"] == 1
    finally:
        await gw.close()


async def test_a_filter_the_demo_cannot_match_is_refused_before_the_stream_starts(demo_world):
    gw = gateway(demo_world)
    try:
        try:
            await gw.start_live_tail(LOG_GROUP, pattern="[ip, user]")
        except Exception as failure:  # noqa: BLE001 - the AwsFailure is what the feed turns into "polling"
            assert getattr(failure, "kind", None) is not None and failure.kind.value == "invalid request"
        else:
            raise AssertionError("a space-delimited pattern the demo does not support was accepted")
    finally:
        await gw.close()


async def test_after_the_stream_ends_the_feed_reconnects_and_backfills_the_gap_exactly_once(demo_world):
    gw = gateway(demo_world)
    marker = f"lt-{uuid.uuid4().hex[:12]}"
    streams = []
    reconnect = asyncio.Event()
    start = gw.start_live_tail

    async def gated_start(log_group, *, pattern=""):
        if streams:  # the second session waits until the test wrote into the gap
            await reconnect.wait()
        stream = await start(log_group, pattern=pattern)
        streams.append(stream)
        return stream

    gw.start_live_tail = gated_start
    feed = LogFeed(gw, LOG_GROUP, live=True)
    try:
        await feed.set_filter(f'"{marker}"')
        await feed.poll()  # starts the tailer
        await until_true(lambda: feed.tail.mode is TailMode.LIVE, "Live Tail to open", timeout=WAIT_S)

        async def write(numbers):
            at = now_ms()
            await gw.put_log_events(LOG_GROUP, STREAM, [(at + i, f"{marker} line {n}") for i, n in enumerate(numbers)])

        def delivered() -> list[str]:
            return [line.raw for line in feed.buffer]

        await write([1, 2, 3])
        await until_true(lambda: len(delivered()) == 3, "lines 1-3 from the stream", timeout=WAIT_S)
        streams[0].close()  # the stream ends (as AWS ends a session after 3 h)
        await until_true(lambda: feed.tail.mode is not TailMode.LIVE, "the feed to notice the end", timeout=WAIT_S)
        await write([4, 5, 6])  # no session open: only the backfill can bring these
        reconnect.set()
        await until_true(lambda: len(streams) == 2 and feed.tail.mode is TailMode.LIVE, "the reconnect", timeout=WAIT_S)
        await write([7, 8, 9])
        await until_true(lambda: len(delivered()) >= 9, "lines 4-9", timeout=WAIT_S)
        assert delivered() == [f"{marker} line {n}" for n in range(1, 10)]  # no gap, no duplicate, in order
        assert feed.tail.drops == 1
        assert gw.requests["StartLiveTail"] == 2
    finally:
        await feed.close()
        for stream in streams:
            stream.close()
        await gw.close()


async def test_over_500_events_in_a_second_the_update_is_sampled_down_to_500(demo_world):
    gw = gateway(demo_world)
    marker = f"lt-{uuid.uuid4().hex[:12]}"
    try:
        stream = await gw.start_live_tail(LOG_GROUP, pattern=f'"{marker}"')
        try:
            at = now_ms()
            await gw.put_log_events(LOG_GROUP, STREAM, [(at + n, f"{marker} flood {n}") for n in range(800)])
            async with asyncio.timeout(WAIT_S):
                async for update in stream:
                    if update.events:
                        break
            assert update.sampled and len(update.events) == 500
            assert all(marker in e.message for e in update.events)
            assert [e.timestamp_ms for e in update.events] == sorted(e.timestamp_ms for e in update.events)
        finally:
            stream.close()
    finally:
        await gw.close()


async def test_a_session_ends_on_the_server_when_its_client_goes_away(demo_world):
    """The demo allows 15 sessions at once, as AWS's default quota: closed ones must free their place."""
    from kojan_tui.core.errors import AwsFailure
    from kojan_tui.demo.live_tail import MAX_SESSIONS

    gateways = [gateway(demo_world) for _ in range(MAX_SESSIONS + 1)]  # one session per app, as the app opens
    gw = gateways[-1]
    streams = []
    try:
        for other in gateways[:-1]:
            streams.append(await other.start_live_tail(LOG_GROUP))
        try:
            streams.append(await gw.start_live_tail(LOG_GROUP))
        except AwsFailure as failure:
            assert failure.code == "LimitExceededException"
        else:
            raise AssertionError(f"a session beyond the {MAX_SESSIONS} allowed opened")
        for stream in streams:
            stream.close()
        reopened = None
        deadline = time.monotonic() + WAIT_S
        while reopened is None:  # each server-side stream notices at its next update's write (a second or two)
            try:
                reopened = await gw.start_live_tail(LOG_GROUP)
            except AwsFailure:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        reopened.close()
    finally:
        for stream in streams:
            stream.close()
        for each in gateways:
            await each.close()


async def test_the_stream_passes_the_fault_proxy_frame_by_frame(demo_world):
    """The proofs count requests at a loopback proxy: it must relay Live Tail as a stream, not wait for its end."""
    from kojan_tui.demo.faults import FaultPlan, FaultProxy

    marker = f"lt-{uuid.uuid4().hex[:12]}"
    with FaultProxy(demo_world.endpoint_url, FaultPlan()) as proxy:
        proxied = AwsGateway(
            AwsSettings(endpoint_url=proxy.endpoint_url, max_attempts=1), static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)
        )
        try:
            stream = await proxied.start_live_tail(LOG_GROUP, pattern=f'"{marker}"')
            try:
                await proxied.put_log_events(LOG_GROUP, STREAM, [(now_ms(), f"{marker} through the proxy")])
                async with asyncio.timeout(WAIT_S):
                    async for update in stream:
                        if update.events:
                            break
                assert [e.message for e in update.events] == [f"{marker} through the proxy"]
            finally:
                stream.close()
            assert proxy.requests["StartLiveTail"] == 1
        finally:
            await proxied.close()
