"""Exactly-once following: events of one millisecond keep the service's order, whatever their ids look like."""

from __future__ import annotations

from kojan_tui.core import logcursor
from kojan_tui.core.models import LogEvent

AT = 1_795_867_200_000


def same_ms(ids: list[str], stream: str = "ecs/business/a") -> list[LogEvent]:
    """One stream's events written in one call: same timestamp, same ingestion time, ids in write order."""
    return [
        LogEvent(event_id=i, timestamp_ms=AT, stream=stream, message=f"seq={n}", ingestion_ms=AT + 5) for n, i in enumerate(ids)
    ]


def test_equal_timestamps_keep_the_service_order_across_an_id_digit_boundary():
    written = same_ms(["998", "999", "1000", "1001"])  # as a string, "1000" < "998"
    delivered, cursor = logcursor.advance(logcursor.start_cursor(AT), written)
    assert [e.message for e in delivered] == ["seq=0", "seq=1", "seq=2", "seq=3"]
    assert cursor.timestamp_ms == AT and cursor.seen_ids == {"998", "999", "1000", "1001"}


def test_the_rest_of_a_millisecond_split_over_two_polls_follows_in_order():
    written = same_ms(["998", "999", "1000", "1001"])
    first, cursor = logcursor.advance(logcursor.start_cursor(AT), written[:2])  # a page ended inside the millisecond
    rest, _ = logcursor.advance(cursor, written)  # the next poll asks again from that millisecond
    assert [e.message for e in first + rest] == ["seq=0", "seq=1", "seq=2", "seq=3"]


def test_streams_are_interleaved_by_time_whatever_order_the_pages_came_in():
    late = LogEvent(event_id="5", timestamp_ms=AT + 1, stream="b", message="later", ingestion_ms=AT)
    early = LogEvent(event_id="9", timestamp_ms=AT, stream="a", message="earlier", ingestion_ms=AT)
    delivered, cursor = logcursor.advance(logcursor.start_cursor(0), [late, early])
    assert [e.message for e in delivered] == ["earlier", "later"] and cursor.timestamp_ms == AT + 1
