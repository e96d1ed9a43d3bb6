"""How the log tail follows the group: Live Tail (a StartLiveTail event stream) or FilterLogEvents polling,
why it polls, whether AWS sampled the stream, and the de-duplication of the two sources' events.

Live Tail's events carry no event id, so one event seen by both (the backfill after a (re)connect and the
stream) is known by its content: timestamp, stream and message. Pure: the feed and its tailer use these.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum

from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.models import LogEvent

SAMPLED_SHOWN_S = 30.0  # the pane says "sampled" this long after the last sampled update
SEEN_KEYS = 50_000  # events remembered for de-duplication (a flood's few seconds; bounded memory)


@dataclass(frozen=True)
class LiveTailUpdate:
    """One ``sessionUpdate`` of a Live Tail stream (AWS sends one a second, empty when nothing was ingested)."""

    events: tuple[LogEvent, ...]
    sampled: bool = False  # AWS kept 500 of more matching events (over 500 events/s)


class TailMode(str, Enum):
    CONNECTING = "connecting"
    LIVE = "live"
    POLLING = "polling"


class PollReason(str, Enum):
    """Why the tail polls FilterLogEvents instead of following Live Tail."""

    OFF = "off"  # this feed never uses Live Tail (a replay, a fixed range's feed)
    NOT_ALLOWED = "not allowed"  # AccessDenied on StartLiveTail
    NOT_SUPPORTED = "not supported"  # the endpoint does not know the operation
    PATTERN_REFUSED = "pattern refused"  # StartLiveTail refused the filter FilterLogEvents accepted
    SESSION_LIMIT = "session limit"  # the account's concurrent Live Tail sessions are all taken
    STREAM_FAILED = "stream failed"  # the stream failed or went silent: reconnecting
    PAST_RANGE = "past range"  # a fixed time range in the past: nothing live to tail


@dataclass(frozen=True)
class TailState:
    """What the pane says about how it follows: mode, why it polls, drops and the last sampled update."""

    mode: TailMode = TailMode.POLLING
    reason: PollReason = PollReason.OFF
    detail: str = ""  # the failure's own message (plain text; shown after the reason)
    drops: int = 0  # streams that ended or failed since the app started (each followed by a backfill)
    sampled_at_s: float | None = None  # monotonic time of the newest update AWS marked sampled
    retry_in_s: float | None = None  # the next StartLiveTail after a failure, seconds from the failure

    def connecting(self) -> TailState:
        return replace(self, mode=TailMode.CONNECTING, retry_in_s=None)

    def live(self) -> TailState:
        return replace(self, mode=TailMode.LIVE, reason=PollReason.OFF, detail="", retry_in_s=None)

    def polling(self, reason: PollReason, detail: str = "", *, retry_in_s: float | None = None) -> TailState:
        return replace(self, mode=TailMode.POLLING, reason=reason, detail=detail, retry_in_s=retry_in_s)

    def dropped(self) -> TailState:
        return replace(self, drops=self.drops + 1)

    def sampled(self, now_s: float) -> TailState:
        return replace(self, sampled_at_s=now_s)

    def shows_sampled(self, now_s: float) -> bool:
        return self.sampled_at_s is not None and now_s - self.sampled_at_s < SAMPLED_SHOWN_S


def reason_for(failure: AwsFailure) -> PollReason:
    """Why a failed StartLiveTail (or its stream) leaves the tail polling."""
    if failure.kind is FailureKind.ACCESS_DENIED:
        return PollReason.NOT_ALLOWED
    if failure.code == "LimitExceededException":
        return PollReason.SESSION_LIMIT
    if failure.code in ("InvalidParameterException", "ValidationException"):
        return PollReason.PATTERN_REFUSED
    if failure.kind is FailureKind.INVALID_REQUEST or failure.code in ("UnknownOperationException", "NotImplemented"):
        return PollReason.NOT_SUPPORTED
    return PollReason.STREAM_FAILED


def event_key(event: LogEvent) -> tuple[int, str, int, int]:
    """One event's identity across FilterLogEvents and Live Tail (which gives no event id)."""
    return (event.timestamp_ms, event.stream, len(event.message), hash(event.message))


def live_event_id(event_key_: tuple[int, str, int, int]) -> str:
    """A stable id for a Live Tail event (the buffer and the error tally key lines by id)."""
    timestamp_ms, stream, length, digest = event_key_
    return f"live:{timestamp_ms}:{hash(stream) & 0xFFFFFFFF:08x}:{length}:{digest & 0xFFFFFFFFFFFF:012x}"


class SeenEvents:
    """The newest ``limit`` events delivered, by content: ``fresh`` keeps only those not seen before."""

    def __init__(self, limit: int = SEEN_KEYS) -> None:
        self._order: deque[tuple[int, str, int, int]] = deque()
        self._keys: set[tuple[int, str, int, int]] = set()
        self.limit = limit

    def __len__(self) -> int:
        return len(self._keys)

    def fresh(self, events: Iterable[LogEvent]) -> list[LogEvent]:
        kept = []
        for event in events:
            key = event_key(event)
            if key in self._keys:
                continue
            self._keys.add(key)
            self._order.append(key)
            kept.append(event)
        while len(self._order) > self.limit:
            self._keys.discard(self._order.popleft())
        return kept

    def clear(self) -> None:
        self._order.clear()
        self._keys.clear()


WORDS: dict[object, str] = {  # the status line's words (shown through ``tr``)
    "live": N_("● live (Live Tail)"),
    "connecting": N_("connecting Live Tail…"),
    "polling": N_("polling"),
    PollReason.OFF: "",
    PollReason.NOT_ALLOWED: N_("Live Tail not allowed"),
    PollReason.NOT_SUPPORTED: N_("Live Tail not supported"),
    PollReason.PATTERN_REFUSED: N_("Live Tail refused this filter"),
    PollReason.SESSION_LIMIT: N_("Live Tail session limit reached"),
    PollReason.STREAM_FAILED: N_("Live Tail dropped — reconnecting"),
    PollReason.PAST_RANGE: N_("a past range"),
    "sampled": N_("⚠ sampled by AWS (over 500 events/s: some lines not shown)"),
    "drops": N_("reconnected {n}× (gaps backfilled)"),
}


def word(key: object, language: str) -> str:
    text = WORDS[key]
    return tr(text, language) if text else ""


def mode_text(state: TailState, language: str) -> str:
    """``● live (Live Tail)`` or ``polling (Live Tail not allowed)``: the mode and why."""
    if state.mode is TailMode.LIVE:
        return word("live", language)
    if state.mode is TailMode.CONNECTING:
        return word("connecting", language)
    reason = word(state.reason, language)
    return f"{word('polling', language)} ({reason})" if reason else word("polling", language)
