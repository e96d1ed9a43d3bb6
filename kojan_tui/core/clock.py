"""The one clock type of the app: a callable returning an aware UTC ``datetime`` (tests freeze it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def epoch_ms(moment: datetime) -> int:
    """Milliseconds since the epoch, as CloudWatch Logs counts time."""
    return int(moment.timestamp() * 1000)
