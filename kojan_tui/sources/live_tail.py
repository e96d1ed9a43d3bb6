"""Keep one Live Tail session open for a LogFeed: connect, backfill the gap since the last line by
FilterLogEvents, follow the stream, and reconnect when it ends (AWS ends a session after 3 h) or fails.

While a session is open the feed's own polls send no request; while none is (not allowed, not supported,
reconnecting, a past range) the feed polls FilterLogEvents as before. The feed's ``tail`` says which and why.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.livetail import LiveTailUpdate, PollReason, reason_for

if TYPE_CHECKING:
    from kojan_tui.sources.logs import LogFeed

RETRY_FIRST_S = 2.0  # after a failed stream: the first reconnect, doubled up to RETRY_MAX_S
RETRY_MAX_S = 60.0
RETRY_REFUSED_S = 15 * 60.0  # after AccessDenied / not supported: ask again this rarely (a policy may change)
STALL_S = 15.0  # AWS sends an update every second: a stream silent this long is dead
BACKFILL_STEPS = 50  # FilterLogEvents follow steps at most per (re)connect (each up to the feed's max_pages);
# a longer gap stays "catching up" on the pane: the stream carries only what is ingested from now on


class LiveTailer:
    """``run()`` until cancelled; one session at a time, restarted when the feed's filter or range changes."""

    def __init__(self, feed: LogFeed, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.feed = feed
        self.monotonic = monotonic
        self.sessions = 0  # StartLiveTail calls that opened a stream

    async def run(self) -> None:
        feed = self.feed
        backoff = RETRY_FIRST_S
        while True:
            feed.changed.clear()
            epoch, pattern = feed.epoch, feed.pattern
            if not feed.time_range.follows:
                feed.set_tail(feed.tail.polling(PollReason.PAST_RANGE))
                await feed.changed.wait()
                continue
            feed.set_tail(feed.tail.connecting())
            try:
                stream = await feed.gateway.start_live_tail(feed.log_group, pattern=pattern)
            except AwsFailure as failure:
                reason = reason_for(failure)
                refused = reason in (PollReason.NOT_ALLOWED, PollReason.NOT_SUPPORTED, PollReason.PATTERN_REFUSED)
                wait = RETRY_REFUSED_S if refused else backoff  # a new filter or range asks again at once
                backoff = min(backoff * 2, RETRY_MAX_S)
                feed.set_tail(feed.tail.polling(reason, failure.message, retry_in_s=wait))
                await self._wait_changed(wait)
                continue
            self.sessions += 1
            try:
                ended_cleanly = await self._follow(stream, epoch)
            except AwsFailure as failure:
                feed.set_tail(feed.tail.dropped().polling(PollReason.STREAM_FAILED, failure.message, retry_in_s=backoff))
                await self._wait_changed(backoff)
                backoff = min(backoff * 2, RETRY_MAX_S)
                continue
            finally:
                stream.close()
            if ended_cleanly:  # the session's end (AWS: after 3 h): reconnect at once, the backfill fills the gap
                feed.set_tail(feed.tail.dropped())
                backoff = RETRY_FIRST_S

    async def _follow(self, stream: AsyncIterator[LiveTailUpdate], epoch: int) -> bool:
        """Backfill, then follow ``stream``: True when it ended by itself, False when the feed changed."""
        feed = self.feed
        for _ in range(BACKFILL_STEPS):  # events since the last line: the stream only carries what comes now
            await feed.backfill()
            if not feed.behind:
                break
        if feed.epoch != epoch:
            return False
        feed.set_tail(feed.tail.live())
        updates = aiter(stream)
        while True:
            update = await self._next(updates)
            if update is None:
                return feed.epoch == epoch and not feed.changed.is_set()
            if update is _CHANGED:
                return False
            assert isinstance(update, LiveTailUpdate)
            if update.sampled:
                feed.set_tail(feed.tail.sampled(self.monotonic()))
            feed.ingest_live(update.events, epoch)

    async def _next(self, updates: AsyncIterator[LiveTailUpdate]) -> LiveTailUpdate | object | None:
        """The next update, None at the stream's end, ``_CHANGED`` when the feed changed first."""
        next_update = asyncio.ensure_future(anext(updates))
        changed = asyncio.ensure_future(self.feed.changed.wait())
        try:
            done, _ = await asyncio.wait({next_update, changed}, timeout=STALL_S, return_when=asyncio.FIRST_COMPLETED)
        finally:
            changed.cancel()
            if not next_update.done():
                next_update.cancel()
                await asyncio.gather(next_update, return_exceptions=True)
        if next_update in done:
            try:
                return next_update.result()
            except StopAsyncIteration:
                return None
        if changed in done:
            return _CHANGED
        raise AwsFailure(FailureKind.TIMEOUT, f"Live Tail sent nothing for {STALL_S:g} s", operation="StartLiveTail")

    async def _wait_changed(self, timeout_s: float) -> None:
        try:
            await asyncio.wait_for(self.feed.changed.wait(), timeout=timeout_s)
        except TimeoutError:
            pass


_CHANGED = object()
