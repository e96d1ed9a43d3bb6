"""What to ask CloudWatch Logs for: filter presets from the guide, time ranges, the S05 Insights query.

Custom ranges accept ``30m``, ``2h``, ``3d``, ``90s`` (that long ago until now), an absolute UTC start
``2026-11-28 12:00``, or ``START..END`` with two absolute UTC times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from kojan_tui.core.i18n import N_, Phrase


@dataclass(frozen=True)
class FilterPreset:
    key: str  # the key that applies it
    label: str
    pattern: str  # a CloudWatch Logs filter pattern


FILTER_PRESETS: tuple[FilterPreset, ...] = (
    FilterPreset("e", N_("errors (S02/S04)"), "ERROR"),
    FilterPreset("i", N_("invalid token (S07)"), '"invalid token"'),
    FilterPreset("d", N_("database connection (S08)"), '"database connection"'),
)

ERROR_SUMMARY_QUERY = "fields @timestamp, @message | filter @message like /ERROR/ | stats count() by @message"
ERROR_LINES_LIMIT = 10_000  # the most rows one Insights query returns
# The ERROR lines themselves, newest first, for grouping by shape (core/log_groups.py).
ERROR_LINES_QUERY = (
    f"fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit {ERROR_LINES_LIMIT}"
)


@dataclass(frozen=True)
class TimeRange:
    """``since_s`` seconds ago until now (following), or a fixed ``start_ms``..``end_ms`` window."""

    label: str
    since_s: int | None = None
    start_ms: int | None = None
    end_ms: int | None = None

    def bounds(self, now_ms: int) -> tuple[int, int | None]:
        """(start_ms, end_ms or None for "until now, and keep following")."""
        if self.since_s is not None:
            return now_ms - self.since_s * 1000, None
        return self.start_ms or 0, self.end_ms

    @property
    def follows(self) -> bool:
        return self.end_ms is None


LAST_5_MIN = TimeRange(Phrase(N_("last 5 min")), since_s=300)
LAST_HOUR = TimeRange(Phrase(N_("last 1 h")), since_s=3600)
LAST_DAY = TimeRange(Phrase(N_("last 24 h")), since_s=86400)
TIME_RANGES: tuple[TimeRange, ...] = (LAST_5_MIN, LAST_HOUR, LAST_DAY)

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_RANGE_S = 30 * 86400


def parse_time_range(text: str) -> TimeRange:
    """A custom range from what the user typed; ValueError with a readable reason otherwise."""
    text = text.strip()
    duration = _DURATION.match(text)
    if duration:
        seconds = int(duration.group(1)) * _UNIT_SECONDS[duration.group(2).lower()]
        if not 0 < seconds <= MAX_RANGE_S:
            raise ValueError(f"a range must be between 1 s and {MAX_RANGE_S // 86400} days")
        return TimeRange(Phrase(N_("last {span}"), span=f"{duration.group(1)}{duration.group(2).lower()}"), since_s=seconds)
    start_text, sep, end_text = text.partition("..")
    start_ms = _utc_ms(start_text)
    end_ms = _utc_ms(end_text) if sep else None
    if end_ms is not None and end_ms <= start_ms:
        raise ValueError("the end of a range must be after its start")
    label = f"{start_text.strip()} → {end_text.strip()} UTC" if sep else Phrase(N_("since {start} UTC"), start=start_text.strip())
    return TimeRange(label, start_ms=start_ms, end_ms=end_ms)


def _utc_ms(text: str) -> int:
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise ValueError(f"not a duration (30m, 2h, 3d) nor a UTC time (2026-11-28 12:00): {text.strip()!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def pattern_for_message(message: str, max_chars: int = 200) -> str:
    """A quoted CloudWatch filter term matching lines that contain ``message`` (from the error summary).

    A term cannot hold a double quote or span lines, so it is the longest run of ``message`` free of
    quotes and control characters (for a JSON line that is usually its message text), cut at
    ``max_chars``.
    """
    runs = [run.strip() for run in re.split(r'["\x00-\x1f\x7f]', message)]
    run = max(runs, key=len)[:max_chars].strip()
    if not run:
        raise ValueError("this message has no text a filter pattern can match")
    return f'"{run}"'
