"""Exactly-once log following over FilterLogEvents, whose start time is inclusive.

The follower asks again from the newest timestamp it has delivered; events at that millisecond come
back and are dropped by id. Pure functions: the gateway feeds them raw pages.
"""

from __future__ import annotations

from collections.abc import Iterable

from kojan_tui.core.models import LogCursor, LogEvent


def start_cursor(start_ms: int) -> LogCursor:
    return LogCursor(timestamp_ms=start_ms)


def order_events(events: Iterable[LogEvent]) -> list[LogEvent]:
    """All streams interleaved by time; events of one millisecond keep the order the service gave them.

    Never break ties by ``eventId``: it is an opaque string (moto's are counters, so "1000" sorts before
    "999"), and reordering by it shuffled a stream's own lines written in the same millisecond."""
    return sorted(events, key=lambda e: e.timestamp_ms)  # stable: ties stay in the service's order


def advance(cursor: LogCursor, fetched: Iterable[LogEvent]) -> tuple[list[LogEvent], LogCursor]:
    """Drop what ``cursor`` already delivered, order the rest, and return the cursor after them.

    ``fetched`` is everything one poll returned from ``cursor.timestamp_ms`` on (all pages).
    """
    fresh: dict[str, LogEvent] = {}
    for event in fetched:
        if event.timestamp_ms < cursor.timestamp_ms:
            continue
        if event.timestamp_ms == cursor.timestamp_ms and event.event_id in cursor.seen_ids:
            continue
        fresh.setdefault(event.event_id, event)
    ordered = order_events(fresh.values())
    if not ordered:
        return [], cursor
    newest = ordered[-1].timestamp_ms
    ids_at_newest = {e.event_id for e in ordered if e.timestamp_ms == newest}
    if newest == cursor.timestamp_ms:
        ids_at_newest |= cursor.seen_ids
    return ordered, LogCursor(timestamp_ms=newest, seen_ids=frozenset(ids_at_newest))
