"""The bounded ring of log lines a feed keeps, and the follow/pause state of one view onto it.

Lines get absolute indexes (``first_index`` … ``appended - 1``) that survive eviction and clearing,
so a paused view keeps its place and counts what is waiting without touching the lines.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from kojan_tui.core.loglines import LogLine

DEFAULT_BUFFER_LINES = 10_000
DEFAULT_BUFFER_CHARS = 32 * 1024 * 1024  # ~32 MB of text however long the lines


Row = tuple[str, int, str, str]  # (raw, timestamp_ms, stream, event_id)


class LogBuffer:
    """At most ``maxlen`` lines and ``max_chars`` characters of text; the oldest fall off.

    ``appended`` counts every line ever added. The character budget keeps memory bounded when
    lines are huge (CloudWatch events reach 1 MB); the newest line is always kept.

    Lines are held as plain tuples of str/int, which Python's cyclic GC stops tracking: a full
    buffer adds nothing to collection pauses, however fast lines churn. ``LogLine`` objects are
    made on access (cheap; views only touch what is on screen).
    """

    def __init__(self, maxlen: int = DEFAULT_BUFFER_LINES, *, max_chars: int = DEFAULT_BUFFER_CHARS) -> None:
        if maxlen < 1 or max_chars < 1:
            raise ValueError(f"a log buffer needs room for at least one line, not {maxlen} lines / {max_chars} chars")
        self._rows: deque[Row] = deque(maxlen=maxlen)
        self.max_chars = max_chars
        self.chars = 0  # characters of raw text held
        self.appended = 0
        self.generation = 0  # bumped by clear(): views start over

    @property
    def maxlen(self) -> int:
        return self._rows.maxlen or 0

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[LogLine]:
        return (LogLine(*row) for row in list(self._rows))

    @property
    def first_index(self) -> int:
        """Absolute index of the oldest line still held."""
        return self.appended - len(self._rows)

    def extend(self, lines: Sequence[LogLine]) -> None:
        self.extend_rows([(line.raw, line.timestamp_ms, line.stream, line.event_id) for line in lines])

    def extend_rows(self, rows: Sequence[Row]) -> None:
        """Add lines given as ``(raw, timestamp_ms, stream, event_id)`` tuples (the feed's fast path)."""
        rows_ = self._rows
        overflow = len(rows_) + len(rows) - self.maxlen
        if overflow >= len(rows_):  # everything held now falls off
            rows_.extend(rows)
            self.chars = sum(len(row[0]) for row in rows_)
        else:
            if overflow > 0:  # the deque drops these on extend: stop counting them first
                self.chars -= sum(len(row[0]) for row in islice(rows_, overflow))
            rows_.extend(rows)
            self.chars += sum(len(row[0]) for row in rows)
        self.appended += len(rows)
        while self.chars > self.max_chars and len(rows_) > 1:
            self.chars -= len(rows_.popleft()[0])

    def clear(self) -> None:
        self._rows.clear()
        self.chars = 0
        self.generation += 1

    def holds(self, index: int) -> bool:
        return 0 <= index - self.first_index < len(self._rows)

    def at(self, index: int) -> LogLine | None:
        """The line with absolute ``index``, or None when it was evicted or never existed."""
        offset = index - self.first_index
        if 0 <= offset < len(self._rows):
            return LogLine(*self._rows[offset])
        return None

    def window(self, start: int, count: int) -> list[LogLine]:
        """Up to ``count`` lines from absolute index ``start`` on."""
        offset = max(0, start - self.first_index)
        if offset < len(self._rows) // 2:
            rows = list(islice(self._rows, offset, offset + count))
        else:
            rows = [self._rows[i] for i in range(offset, min(offset + count, len(self._rows)))]
        return [LogLine(*row) for row in rows]

    def raw_texts(self, start: int, count: int) -> list[str]:
        """The raw text of up to ``count`` lines from absolute index ``start`` on (a search's scan: no LogLine made)."""
        offset = max(0, start - self.first_index)
        rows = self._rows
        if offset < len(rows) // 2:
            return [row[0] for row in islice(rows, offset, offset + count)]
        return [rows[i][0] for i in range(offset, min(offset + count, len(rows)))]


@dataclass
class FollowState:
    """One view's follow/pause state: paused views remember ``appended`` when they paused."""

    following: bool = True
    mark: int = 0

    def pause(self, appended: int) -> None:
        if self.following:
            self.following = False
            self.mark = appended

    def follow(self) -> None:
        self.following = True

    def pending(self, appended: int) -> int:
        """How many lines arrived since the view paused."""
        return 0 if self.following else max(0, appended - self.mark)
