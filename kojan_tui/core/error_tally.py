"""S02 between scans: the hourly ERROR count of the last FilterLogEvents scan plus the ERROR lines the
log feed has delivered since, so the errors panel keeps up with the log pane without extra requests.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

ERROR_TERM = "ERROR"  # the S02 pattern, matched as the scan's filter matches it: case-sensitive, anywhere in the line
MAX_FOLLOWED = 200_000  # ERROR lines remembered since the last scan (a bound; scans run every minute)


@dataclass
class ErrorTally:
    """``count`` = the scan's count over [end − 1 h, end] + followed ERROR lines newer than ``end``.

    Lines are de-duplicated by event id (the feed re-delivers its range when its filter or range
    changes). Lines that leave the hour between two scans are dropped at the next scan, so between
    scans the count can run at most one scan interval's worth of old lines high, never low.
    """

    scan_end_ms: int | None = None
    scan_count: int | None = None
    _followed: OrderedDict[str, int] = field(default_factory=OrderedDict)  # event id -> timestamp, ERROR lines after the scan

    @property
    def count(self) -> int | None:
        """None until the first scan: a count that follows nothing is not a measurement."""
        if self.scan_count is None:
            return None
        return self.scan_count + len(self._followed)

    def scanned(self, end_ms: int, count: int) -> None:
        """A full scan ended at ``end_ms``: it counted every ERROR line up to then."""
        self.scan_end_ms, self.scan_count = end_ms, count
        for event_id in [i for i, ts in self._followed.items() if ts <= end_ms]:
            del self._followed[event_id]

    def follow(self, lines: Iterable[tuple[str, int, str]]) -> bool:
        """``(event id, timestamp ms, text)`` of new feed lines; True when the count changed."""
        before = len(self._followed)
        for event_id, timestamp_ms, text in lines:
            if ERROR_TERM not in text or event_id in self._followed:
                continue
            if self.scan_end_ms is not None and timestamp_ms <= self.scan_end_ms:
                continue  # the scan counted it
            self._followed[event_id] = timestamp_ms
            if len(self._followed) > MAX_FOLLOWED:
                self._followed.popitem(last=False)
        return len(self._followed) != before
