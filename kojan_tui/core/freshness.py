"""Per-source freshness (last success, last failure and why, age) and the pure polling delay rule.

A source is stale when its newest outcome is a failure, or when its newest success is older than twice
its interval while a poll is still out (AWS slow, nothing failed yet); it recovers with its next success.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.i18n import N_, Phrase

MAX_BACKOFF_FACTOR = 8
OVERDUE_FACTOR = 2.0  # a success older than this many intervals is shown with its age


@dataclass
class SourceFreshness:
    name: str
    interval_s: float = 0.0  # 0: unknown, never overdue
    last_success: datetime | None = None
    last_failure: datetime | None = None
    failure_reason: str = ""
    failure_kind: FailureKind | None = None
    consecutive_failures: int = 0
    polls: int = 0
    in_flight_since: datetime | None = None
    waiting_for_limit: str = ""  # the operation whose client-side request limit this poll is queued behind now

    def record_success(self, now: datetime) -> None:
        self.polls += 1
        self.last_success = now
        self.consecutive_failures = 0

    def record_failure(self, now: datetime, error: BaseException) -> None:
        self.polls += 1
        self.last_failure = now
        self.consecutive_failures += 1
        if isinstance(error, AwsFailure):
            self.failure_kind = error.kind
            self.failure_reason = Phrase(error.kind.value)
        else:
            self.failure_kind = None
            self.failure_reason = Phrase(N_("internal error: {kind}"), kind=type(error).__name__)

    @property
    def stale(self) -> bool:
        return self.consecutive_failures > 0

    @property
    def measured(self) -> bool:
        """True once one poll succeeded: the source has something true to show."""
        return self.last_success is not None

    def age_seconds(self, now: datetime) -> float | None:
        """Seconds since the data was last fetched successfully; None when it never was."""
        if self.last_success is None:
            return None
        return max(0.0, (now - self.last_success).total_seconds())

    def overdue(self, now: datetime) -> bool:
        """No failure yet, but the newest success is older than twice the interval (a poll hangs), or older than
        the interval while the poll waits for a request limit (the wait is known, so it is said at once)."""
        if self.stale or not self.interval_s:
            return False
        since = self.last_success or self.in_flight_since
        factor = 1.0 if self.waiting_for_limit else OVERDUE_FACTOR
        return since is not None and (now - since).total_seconds() > factor * self.interval_s

    def stale_reason(self, now: datetime) -> str | None:
        """Why this source's data is not current: its newest poll's failure, or, while a poll is overdue,
        ``waiting for the request limit (FilterLogEvents)`` when it is queued behind the client's own limit,
        else ``waiting for AWS``; None when fresh."""
        if self.stale:
            return self.failure_reason
        if not self.overdue(now):
            return None
        if self.waiting_for_limit:
            return Phrase(N_("waiting for the request limit ({operation})"), operation=self.waiting_for_limit)
        return Phrase(N_("waiting for AWS"))

    def stale_text(self, now: datetime) -> str | None:
        """``STALE 42s — throttled`` (or ``STALE never loaded — …``); None when fresh."""
        reason = self.stale_reason(now)
        if reason is None:
            return None
        age = self.age_seconds(now)
        return Phrase(
            N_("STALE {age} — {reason}"), age=format_age(age) if age is not None else Phrase(N_("never loaded")), reason=reason
        )


# The freshness of the source whose poll runs in this task (set by the poller; copied into the tasks a fetch
# gathers): the request limiter marks it while one of its requests waits for a slot.
POLLING_SOURCE: ContextVar[SourceFreshness | None] = ContextVar("kojan_polling_source", default=None)


def format_age(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"


def next_delay(interval: float, freshness: SourceFreshness) -> float:
    """Seconds from the end of one poll to the start of the next.

    The interval as configured; after throttling, doubled per consecutive failure (capped at
    ``MAX_BACKOFF_FACTOR`` × interval) so a throttled account is not hammered.
    """
    if freshness.failure_kind is FailureKind.THROTTLED and freshness.consecutive_failures:
        return interval * min(MAX_BACKOFF_FACTOR, 2**freshness.consecutive_failures)
    return interval
