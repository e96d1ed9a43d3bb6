"""Follow one CloudWatch log group through the Gateway: filter, time range, exactly-once polling, Live Tail.

The app awaits ``poll()`` on its interval (never two at once: a poll still running makes the next
return ``[]`` at once). Views subscribe to be told when the buffer changed; they render it.

A feed made with ``live=True`` also keeps a Live Tail session open (``sources.live_tail``, started by the
first poll, stopped by ``close()``): while it is open, ``poll()`` sends nothing and returns the lines the
stream brought since the last poll. Lines seen by both (backfill and stream) are kept once (``core.livetail``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from kojan_tui.aws.protocol import Gateway
from kojan_tui.core import logcursor
from kojan_tui.core.clock import Clock, epoch_ms, utc_now
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.livetail import SeenEvents, TailMode, TailState
from kojan_tui.core.logbuffer import DEFAULT_BUFFER_CHARS, DEFAULT_BUFFER_LINES, LogBuffer
from kojan_tui.core.loglines import LogLine
from kojan_tui.core.logquery import LAST_5_MIN, TimeRange
from kojan_tui.core.logtext import decode
from kojan_tui.core.models import LogCursor, LogEvent
from kojan_tui.sources.live_tail import LiveTailer

FeedListener = Callable[["LogFeed"], None]
LIVE_POLL_WAIT_S = 5.0  # a live poll waits this long for the stream's next update (AWS: one a second)


class LogFeed:
    """The log lines of ``log_group`` matching ``pattern`` in ``time_range``, newest last."""

    def __init__(
        self,
        gateway: Gateway,
        log_group: str,
        *,
        buffer_lines: int = DEFAULT_BUFFER_LINES,
        buffer_chars: int = DEFAULT_BUFFER_CHARS,
        since_ms: int | None = None,
        time_range: TimeRange = LAST_5_MIN,
        max_pages: int = 5,
        clock: Clock = utc_now,
        live: bool = False,
    ) -> None:
        self.gateway = gateway
        self.log_group = log_group
        self.buffer = LogBuffer(buffer_lines, max_chars=buffer_chars)
        self.pattern = ""
        self.time_range = time_range if since_ms is None else TimeRange("since start", start_ms=since_ms)
        self.max_pages = max_pages
        self.clock = clock
        self.cursor: LogCursor | None = None  # None: start at the range's start on the next poll
        self.behind = False  # the last poll hit max_pages: poll again soon to catch up
        self.last_failure: AwsFailure | None = None
        self.skipped = 0  # events delivered in bursts larger than the buffer, never parsed
        self._epoch = 0  # bumped whenever filter or range change: older answers are dropped
        self._polling = False
        self._listeners: list[FeedListener] = []
        self.live = live  # keep a Live Tail session open (else: FilterLogEvents polling only)
        self.tail = TailState() if not live else TailState().connecting()
        self.seen = SeenEvents()  # what was delivered, by content: backfill and stream overlap
        self.changed = asyncio.Event()  # set when filter or range change: the Live Tail session restarts
        self._live_lines: list[LogLine] = []  # what the stream brought since the last poll (the poller's delivery)
        self._tailer: asyncio.Task[None] | None = None
        self._step_lock = asyncio.Lock()
        self._backfilling = False
        self._updates_heard = 0  # Live Tail updates received (empty ones too: AWS sends one a second)
        self._tail_news = asyncio.Event()  # set on every update and mode change: a live poll's wake-up

    # -- listeners ------------------------------------------------------------------------------

    def subscribe(self, listener: FeedListener) -> Callable[[], None]:
        """Call ``listener(feed)`` after every change; returns the function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    # -- polling --------------------------------------------------------------------------------

    def _now_ms(self) -> int:
        return epoch_ms(self.clock())

    @property
    def polling(self) -> bool:
        return self._polling

    @property
    def epoch(self) -> int:
        return self._epoch

    async def poll(self) -> list[LogLine]:
        """One FilterLogEvents follow step from the cursor; the new lines (also added to the buffer).

        While Live Tail is open: no request, the lines the stream brought since the last poll, once the stream
        proved alive by an update after the poll began (so a dead stream never passes for fresh lines: the
        poll falls back to FilterLogEvents when the stream ends meanwhile, and fails when it stays silent)."""
        if self.live and self._tailer is None:
            self._tailer = asyncio.create_task(LiveTailer(self).run(), name=f"live-tail:{self.log_group}")
        if self.tail.mode is TailMode.LIVE and await self._live_update_heard():
            lines, self._live_lines = self._live_lines, []
            return lines
        if self._polling and not self._backfilling:  # another poll's answer is on its way
            return []
        lines = await self._step()  # after the tailer's backfill: its success says nothing of this poll
        if self._live_lines:  # what the stream brought before it ended: the poller's delivery gets it too
            lines, self._live_lines = self._live_lines + lines, []
        return lines

    async def _live_update_heard(self) -> bool:
        """True when the stream delivered an update after this call began; False when live mode ended first."""
        heard = self._updates_heard
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LIVE_POLL_WAIT_S
        while self.tail.mode is TailMode.LIVE and self._updates_heard == heard:
            self._tail_news.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                failure = AwsFailure(
                    FailureKind.TIMEOUT, f"Live Tail sent nothing for {LIVE_POLL_WAIT_S:g} s", operation="StartLiveTail"
                )
                self.last_failure = failure
                self._notify()
                raise failure
            try:
                await asyncio.wait_for(self._tail_news.wait(), remaining)
            except TimeoutError:
                pass
        if self.tail.mode is TailMode.LIVE and self.last_failure is not None:
            self.last_failure = None
            self._notify()
        return self.tail.mode is TailMode.LIVE

    async def backfill(self) -> list[LogLine]:
        """One follow step from the last line seen (Live Tail's (re)connect: the gap it cannot carry)."""
        self._backfilling = True
        try:
            # After a poll in flight, if any (one step at a time). Its outcome is the tailer's (it reconnects and
            # says so), never the pane's failure line: that line follows the polls, as the logs source's freshness does.
            return await self._step(polled=False)
        finally:
            self._backfilling = False

    async def close(self) -> None:
        """Stop the Live Tail session (the app's exit); idempotent."""
        task, self._tailer = self._tailer, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def set_tail(self, state: TailState) -> None:
        if state != self.tail:
            self.tail = state
            self._tail_news.set()
            self._notify()

    def ingest_live(self, events: Iterable[LogEvent], epoch: int) -> list[LogLine]:
        """Lines from the Live Tail stream of ``epoch`` (older filters' are dropped), each once."""
        if epoch != self._epoch:
            return []
        self._updates_heard += 1
        self._tail_news.set()
        events = tuple(events)
        lines = self._ingest(events)
        if events:
            newest = max(e.timestamp_ms for e in events)
            if self.cursor is None or newest > self.cursor.timestamp_ms:
                self.cursor = LogCursor(timestamp_ms=newest)  # a fallback poll resumes here; ``seen`` drops repeats
        if lines:
            self._live_lines = (self._live_lines + lines)[-self.buffer.maxlen :]
            self._notify()
        return lines

    async def _step(self, polled: bool = True) -> list[LogLine]:
        async with self._step_lock:
            return await self._step_locked(polled)

    async def _step_locked(self, polled: bool) -> list[LogLine]:
        self._polling = True
        epoch = self._epoch
        try:
            start_ms, end_ms = self.time_range.bounds(self._now_ms())
            page = await self.gateway.filter_log_events(
                self.log_group,
                start_ms=start_ms,
                end_ms=end_ms,
                pattern=self.pattern,
                cursor=self.cursor or logcursor.start_cursor(start_ms),
                max_pages=self.max_pages,
            )
        except AwsFailure as failure:
            if epoch == self._epoch and polled:
                self.last_failure = failure
                self._notify()
            raise
        finally:
            self._polling = False
        if epoch != self._epoch:  # filter or range changed while we waited: this answer is stale
            return []
        self.cursor = page.cursor
        self.behind = page.truncated
        if polled:
            self.last_failure = None
        lines = self._ingest(page.events)
        self._notify()
        return lines

    def record_failure(self, failure: AwsFailure) -> None:
        """A poll failed where the feed could not see it (cut off at the poller's deadline): show it like any other."""
        if failure is not self.last_failure:
            self.last_failure = failure
            self._notify()

    def _ingest(self, events: tuple[LogEvent, ...]) -> list[LogLine]:
        events = tuple(self.seen.fresh(events))
        keep = self.buffer.maxlen
        if len(events) > keep:  # only the newest fit: do not decode what would be evicted at once
            self.skipped += len(events) - keep
            events = events[-keep:]
        rows = [(decode(e.message), e.timestamp_ms, e.stream, e.event_id) for e in events]
        self.buffer.extend_rows(rows)
        return [LogLine(*row) for row in rows]

    # -- what to follow -------------------------------------------------------------------------

    async def set_filter(self, pattern: str) -> list[LogLine]:
        """Apply ``pattern`` server-side and reload the range with it.

        The service validates the pattern: on ``AwsFailure`` (INVALID_REQUEST for a bad pattern)
        nothing changes — the previous filter, cursor and buffer stay — and the failure propagates
        so the UI can show the service's own message.
        """
        pattern = pattern.strip()
        start_ms, end_ms = self.time_range.bounds(self._now_ms())
        self._epoch += 1  # answers of polls already in flight would mix two filters
        epoch = self._epoch
        page = await self.gateway.filter_log_events(
            self.log_group,
            start_ms=start_ms,
            end_ms=end_ms,
            pattern=pattern,
            cursor=logcursor.start_cursor(start_ms),
            max_pages=self.max_pages,
        )
        if epoch != self._epoch:  # a newer set_filter/set_range won
            return []
        self._epoch += 1  # polls started while we waited used the old filter: drop their answers
        self.pattern = pattern
        self.changed.set()
        return self._restart(page.cursor, page.events, page.truncated)

    def set_range(self, time_range: TimeRange) -> None:
        """Follow ``time_range`` instead; the buffer empties and the next poll loads from its start."""
        self._epoch += 1
        self.time_range = time_range
        self.cursor = None
        self.behind = False
        self.buffer.clear()
        self.seen.clear()
        self._live_lines = []
        self.changed.set()
        self._notify()

    def _restart(self, cursor: LogCursor, events: tuple[LogEvent, ...], truncated: bool) -> list[LogLine]:
        self.cursor = cursor
        self.behind = truncated
        self.last_failure = None
        self.buffer.clear()
        self.seen.clear()
        self._live_lines = []
        lines = self._ingest(events)
        self._notify()
        return lines
