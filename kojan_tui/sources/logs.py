"""Follow one CloudWatch log group through the Gateway: filter, time range, exactly-once polling.

The app awaits ``poll()`` on its interval (never two at once: a poll still running makes the next
return ``[]`` at once). Views subscribe to be told when the buffer changed; they render it.
"""

from __future__ import annotations

from collections.abc import Callable

from kojan_tui.aws.protocol import Gateway
from kojan_tui.core import logcursor
from kojan_tui.core.clock import Clock, epoch_ms, utc_now
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.logbuffer import DEFAULT_BUFFER_CHARS, DEFAULT_BUFFER_LINES, LogBuffer
from kojan_tui.core.loglines import LogLine
from kojan_tui.core.logquery import LAST_5_MIN, TimeRange
from kojan_tui.core.logtext import decode
from kojan_tui.core.models import LogCursor, LogEvent

FeedListener = Callable[["LogFeed"], None]


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

    async def poll(self) -> list[LogLine]:
        """One FilterLogEvents follow step from the cursor; the new lines (also added to the buffer)."""
        if self._polling:
            return []
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
            if epoch == self._epoch:
                self.last_failure = failure
                self._notify()
            raise
        finally:
            self._polling = False
        if epoch != self._epoch:  # filter or range changed while we waited: this answer is stale
            return []
        self.cursor = page.cursor
        self.behind = page.truncated
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
        return self._restart(page.cursor, page.events, page.truncated)

    def set_range(self, time_range: TimeRange) -> None:
        """Follow ``time_range`` instead; the buffer empties and the next poll loads from its start."""
        self._epoch += 1
        self.time_range = time_range
        self.cursor = None
        self.behind = False
        self.buffer.clear()
        self._notify()

    def _restart(self, cursor: LogCursor, events: tuple[LogEvent, ...], truncated: bool) -> list[LogLine]:
        self.cursor = cursor
        self.behind = truncated
        self.last_failure = None
        self.buffer.clear()
        lines = self._ingest(events)
        self._notify()
        return lines
