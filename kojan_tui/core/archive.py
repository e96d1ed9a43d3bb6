"""S27 log archive: last month's UTC boundaries (pure) and a CloudWatch Logs export task as the gateway returns it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

ACTIVE_STATUSES = frozenset({"PENDING", "RUNNING", "PENDING_CANCEL"})
DONE_STATUSES = frozenset({"COMPLETED", "CANCELLED", "FAILED"})


def month_start(moment: datetime) -> datetime:
    """00:00 UTC on the first day of ``moment``'s month (in UTC)."""
    utc = moment.astimezone(UTC)
    return datetime(utc.year, utc.month, 1, tzinfo=UTC)


def last_month(now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the calendar month before ``now``'s, in UTC: 2026-01-15 → 2025-12-01 .. 2026-01-01."""
    end = month_start(now)
    start = datetime(end.year - 1, 12, 1, tzinfo=UTC) if end.month == 1 else datetime(end.year, end.month - 1, 1, tzinfo=UTC)
    return start, end


def month_label(start: datetime) -> str:
    return f"{start:%Y-%m}"


def archive_prefix(log_group: str, start: datetime) -> str:
    """``ecs/kojan-map-business/2026-10``: where one month of one log group goes in the bucket."""
    return f"{log_group.strip('/')}/{month_label(start)}"


@dataclass(frozen=True)
class ExportTask:
    id: str
    name: str
    log_group: str
    destination: str  # the bucket
    prefix: str
    from_ms: int
    to_ms: int
    status: str  # PENDING | RUNNING | COMPLETED | CANCELLED | FAILED | PENDING_CANCEL
    message: str = ""
    created_at: datetime | None = None
    completed_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def done(self) -> bool:
        return self.status in DONE_STATUSES

    def covers(self, start: datetime, end: datetime) -> bool:
        """Exports exactly [start, end) (``to`` is the last millisecond included)."""
        return self.from_ms <= int(start.timestamp() * 1000) and self.to_ms >= int(end.timestamp() * 1000) - 1
