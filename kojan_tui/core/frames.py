"""Team mode's published dashboard (issue 25): what one collector writes for many viewers, as plain values.

The collector (``kojan-tui collect``) polls AWS like a console does and writes each *changed* frame of a source
(the ``DashboardData`` fields that source delivers, zlib-compressed JSON by ``snapshot_codec``) as one
append-only item with a 48 h TTL: the flight recorder. Its heartbeat item names the newest frame of each source
and carries each source's freshness (last success, failure and why), so a viewer shows exactly what the
collector's own console would: a source failing there is stale here, with its age, never current.

A viewer (``--team``) reads the heartbeat each refresh and the frames it names that changed; when the newest
heartbeat is older than two of the collector's refreshes (or says it stopped), it polls AWS itself again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from kojan_tui.core import snapshot_codec
from kojan_tui.core.dashboard import DashboardData
from kojan_tui.core.errors import FailureKind
from kojan_tui.core.freshness import SourceFreshness, format_age
from kojan_tui.core.i18n import tr
from kojan_tui.core.state import SourceName

FRAME_TTL = timedelta(hours=48)  # the flight recorder: DynamoDB drops a frame some time after this
HEARTBEAT_TTL = timedelta(days=1)
SILENT_AFTER_REFRESHES = 2.0  # a heartbeat older than this many of the collector's refreshes: poll by yourself
MAX_FRAME_BYTES = 350_000  # DynamoDB's item limit is 400 KB, keys and names included

# The fields each published source delivers (``sources.dashboard``'s ``_got_*``). Identity stays each console's
# own (an acknowledgement names the person, not the collector), and so do the log lines (each keeps its Live Tail).
FRAME_FIELDS: dict[str, tuple[str, ...]] = {
    SourceName.SERVICE.value: ("service", "task_definition"),
    SourceName.METRICS.value: ("metrics_period", "metrics", "slo_recent"),
    SourceName.DATABASE.value: ("db_instance",),
    SourceName.ERRORS.value: ("errors_last_hour", "errors_complete", "db_connection_errors"),
    SourceName.SCALING.value: ("scaling_activities",),
    SourceName.SLO.value: ("slo_long", "slo_long_at"),
    SourceName.TASKS.value: ("task_stops",),
}
PUBLISHED_SOURCES = tuple(FRAME_FIELDS)


def live_pk(cluster: str, service: str) -> str:
    """The partition of one service's heartbeats (several services can share the table)."""
    return f"LIVE#{cluster}/{service}"


def history_pk(cluster: str, service: str) -> str:
    """The partition of one service's frames, in time order (``<iso time>#<source>``)."""
    return f"FRAMES#{cluster}/{service}"


def frame_sk(source: str, at: datetime) -> str:
    return f"{at.astimezone(UTC).isoformat(timespec='microseconds')}#{source}"


def frame_payload(data: DashboardData, source: str) -> bytes:
    """The compressed fields ``source`` delivers (the rest at their defaults: a few bytes)."""
    fields_ = FRAME_FIELDS[source]
    return snapshot_codec.encode(replace(DashboardData(), **{name: getattr(data, name) for name in fields_}))


def frame_fields(payload: bytes, source: str) -> dict[str, Any]:
    """The fields of ``source`` from a frame's payload (``frame_payload``'s inverse)."""
    data = snapshot_codec.decode(payload)
    return {name: getattr(data, name) for name in FRAME_FIELDS[source]}


def expires_at(at: datetime, kept: timedelta) -> int:
    """The TTL attribute's value: epoch seconds."""
    return int((at + kept).timestamp())


# -- freshness across processes ------------------------------------------------------------------


def freshness_item(freshness: SourceFreshness) -> dict[str, Any]:
    return {
        "interval_s": str(freshness.interval_s),
        "last_success": _iso(freshness.last_success),
        "last_failure": _iso(freshness.last_failure),
        "failure_reason": freshness.failure_reason,
        "failure_kind": freshness.failure_kind.value if freshness.failure_kind is not None else "",
        "consecutive_failures": freshness.consecutive_failures,
        "polls": freshness.polls,
    }


def copy_freshness(item: Mapping[str, Any], into: SourceFreshness) -> None:
    """The collector's freshness of a source, written over the viewer's (in place: the poller holds it)."""
    into.last_success = _time(item.get("last_success"))
    into.last_failure = _time(item.get("last_failure"))
    into.failure_reason = str(item.get("failure_reason", ""))
    kind = str(item.get("failure_kind", ""))
    into.failure_kind = FailureKind(kind) if kind in {k.value for k in FailureKind} else None
    into.consecutive_failures = int(item.get("consecutive_failures", 0))
    into.polls = max(into.polls, int(item.get("polls", 0)))
    into.in_flight_since = None
    into.waiting_for_limit = ""


# -- the heartbeat ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heartbeat:
    collector: str  # the collector's id (``--id``, else host and process)
    host: str
    started: datetime
    beat_at: datetime  # when this heartbeat was written
    refresh_s: float  # the collector's refresh: silent after SILENT_AFTER_REFRESHES of them
    last_write: datetime | None = None  # its newest frame
    frames: Mapping[str, str] = field(default_factory=dict)  # source -> the sort key of its newest frame
    freshness: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # source -> freshness_item
    stopped: bool = False  # it said goodbye (a clean stop): viewers need not wait two refreshes
    window: str = ""  # its chart window: a viewer on another one charts its own metrics

    def age_s(self, now: datetime) -> float:
        return max(0.0, (now - self.beat_at).total_seconds())

    def alive(self, now: datetime) -> bool:
        return not self.stopped and self.age_s(now) <= SILENT_AFTER_REFRESHES * self.refresh_s

    def to_item(self) -> dict[str, Any]:
        return {
            "collector": self.collector,
            "host": self.host,
            "started": self.started.isoformat(),
            "beat_at": self.beat_at.isoformat(),
            "refresh_s": str(self.refresh_s),
            "last_write": _iso(self.last_write),
            "frames": dict(self.frames),
            "freshness": {name: dict(item) for name, item in self.freshness.items()},
            "stopped": self.stopped,
            "window": self.window,
        }

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Heartbeat:
        return cls(
            collector=str(item["collector"]),
            host=str(item.get("host", "")),
            started=datetime.fromisoformat(item["started"]),
            beat_at=datetime.fromisoformat(item["beat_at"]),
            refresh_s=float(item["refresh_s"]),
            last_write=_time(item.get("last_write")),
            frames={str(k): str(v) for k, v in (item.get("frames") or {}).items()},
            freshness={str(k): dict(v) for k, v in (item.get("freshness") or {}).items()},
            stopped=bool(item.get("stopped", False)),
            window=str(item.get("window", "")),
        )


def newest(heartbeats: list[Heartbeat]) -> Heartbeat | None:
    return max(heartbeats, key=lambda beat: beat.beat_at, default=None)


def refresh_of(service_seconds: float, metrics_seconds: float) -> float:
    """The collector's refresh: its most frequent published source (the service, by default every 10 s)."""
    return min(service_seconds, metrics_seconds)


# -- what the viewer says ------------------------------------------------------------------------

STARTING, FRAMES, POLLING = "starting", "frames", "polling"


@dataclass(frozen=True)
class ViewerMode:
    """Where a ``--team`` console's dashboard comes from now, said on every screen's top line."""

    mode: str  # STARTING (before the first read), FRAMES, POLLING
    heartbeat: Heartbeat | None = None
    table_error: str = ""  # why the table could not be read ("" when it could)

    def line(self, now: datetime, language: str) -> str:
        beat = self.heartbeat
        if self.mode == STARTING:
            return tr("TEAM: reading the collector's frames…", language)
        if self.mode == FRAMES and beat is not None:
            return tr("TEAM: frames from collector {collector} ({age} ago)", language).format(
                collector=beat.collector, age=format_age(beat.age_s(now))
            )
        if self.table_error:
            return tr("TEAM: team table unreadable ({reason}) — polling AWS itself", language).format(reason=self.table_error)
        if beat is None:
            return tr("TEAM: no collector — polling AWS itself", language)
        if beat.stopped:
            return tr("TEAM: collector {collector} stopped — polling AWS itself", language).format(collector=beat.collector)
        return tr("TEAM: collector {collector} silent for {age} — polling AWS itself", language).format(
            collector=beat.collector, age=format_age(beat.age_s(now))
        )


# -- what the table costs (on-demand capacity units) ---------------------------------------------


def item_size(item: Mapping[str, Any]) -> int:
    """An item's size as DynamoDB bills it, near enough: names plus values (numbers ~ their digits)."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: Any) -> int:
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, int | float):
        return 1 + math.ceil(len(str(value).lstrip("-").replace(".", "")) / 2)
    if isinstance(value, Mapping):
        return 3 + sum(len(str(k).encode()) + 1 + _value_size(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return 3 + sum(1 + _value_size(v) for v in value)
    return len(str(value).encode())


def write_units(size: int) -> int:
    """On-demand: one write request unit per KB (rounded up) of the item written."""
    return max(1, math.ceil(size / 1024))


def read_units(size: int, *, consistent: bool = True) -> float:
    """On-demand: one read request unit per 4 KB read strongly consistent, half of one eventually consistent."""
    units = max(1, math.ceil(size / 4096))
    return float(units) if consistent else units / 2


def _iso(at: datetime | None) -> str:
    return at.isoformat() if at is not None else ""


def _time(text: object) -> datetime | None:
    return datetime.fromisoformat(str(text)) if text else None
