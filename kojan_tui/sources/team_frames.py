"""A ``--team`` console's frame-reading source (issue 25): the collector's frames in place of the AWS polls.

One source on the console's poller (``team-frames``, every refresh) reads the newest heartbeat of the service's
collectors (one small Query) and, for each published source whose newest frame changed, that frame (one GetItem).
While the heartbeat is alive, the published sources are paused on the poller: their data comes from the frames
(``DashboardSources.apply``) and their freshness is the collector's (a source failing there is stale here, with
its age). When the heartbeat is older than two of the collector's refreshes, says it stopped, or the table cannot be
read, those sources are resumed and poll AWS themselves at once; they are paused again when the collector is back.
The identity and the log feed (its own Live Tail) are always this console's, and so are the metrics while this
console's chart window differs from the collector's (a person who picked 24 h sees 24 h, never the collector's 1 h).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from kojan_tui.core.clock import Clock
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.frames import (
    FRAMES,
    POLLING,
    PUBLISHED_SOURCES,
    STARTING,
    Heartbeat,
    ViewerMode,
    copy_freshness,
    frame_fields,
)
from kojan_tui.core.state import SourceName
from kojan_tui.sources.dashboard import DashboardSources
from kojan_tui.sources.poller import Poller
from kojan_tui.store.frames import Frame, FrameTable

SOURCE_NAME = "team-frames"


@dataclass
class Reading:
    """One look at the table: the newest heartbeat and the frames that changed since the last look."""

    heartbeat: Heartbeat | None
    frames: list[Frame] = field(default_factory=list)


@dataclass(frozen=True)
class Switch:
    """A change of mode, for tests and the measurements: when, and the heartbeat it was judged on."""

    at: datetime
    mode: str
    heartbeat: Heartbeat | None


class FrameFeed:
    def __init__(
        self,
        table: FrameTable,
        sources: DashboardSources,
        poller: Poller,
        *,
        clock: Clock,
        refresh_s: float,
        on_change: Callable[[ViewerMode], None] | None = None,
    ) -> None:
        self.table = table
        self.sources = sources
        self.poller = poller
        self.clock = clock
        self.refresh_s = refresh_s
        self.on_change = on_change
        self.mode = ViewerMode(STARTING)
        self.switches: list[Switch] = []
        self.applied: dict[str, tuple[str, datetime, datetime]] = {}  # source -> (frame sk, written at, applied at)
        self._read: dict[str, str] = {}  # source -> the sort key of the frame applied last

    def register(self) -> None:
        """On the poller, the published sources paused until the first look says whether a collector is alive."""
        self.poller.pause(PUBLISHED_SOURCES)
        self.poller.register(SOURCE_NAME, self.refresh_s, self.read, self.deliver, on_failure=self.table_failed)

    async def read(self) -> Reading:
        beat = await self.table.newest_heartbeat()
        if beat is None or not beat.alive(self.clock()):
            return Reading(beat)
        frames, framed = [], self.framed(beat)
        for source, sk in beat.frames.items():
            if source in framed and sk != self._read.get(source):
                frame = await self.table.frame(sk)
                if frame is not None:
                    frames.append(frame)
        return Reading(beat, frames)

    def deliver(self, reading: Reading) -> None:
        beat, now = reading.heartbeat, self.clock()
        if beat is None or not beat.alive(now):
            self._switch(ViewerMode(POLLING, beat), now)
            return
        framed = self.framed(beat)
        for source in framed:  # freshness first: the data then shows with the collector's age
            item = beat.freshness.get(source)
            if item is not None and source in self.poller.sources:
                copy_freshness(item, self.poller.sources[source].freshness)
        for frame in sorted(reading.frames, key=lambda f: f.written_at):
            if frame.source not in framed:
                continue
            self.sources.apply(SourceName(frame.source), frame_fields(frame.payload, frame.source))
            self._read[frame.source] = frame.sk
            self.applied[frame.source] = (frame.sk, frame.written_at, now)
        self._switch(ViewerMode(FRAMES, beat), now)

    def framed(self, beat: Heartbeat) -> tuple[str, ...]:
        """The sources the frames feed now: all published ones, but the metrics on a chart window of this console's own."""
        own_window = bool(beat.window) and self.sources.window != beat.window
        return tuple(s for s in PUBLISHED_SOURCES if not (own_window and s == SourceName.METRICS.value))

    def table_failed(self, failure: AwsFailure) -> None:
        """The table cannot be read (unreachable, throttled, denied): this console polls AWS itself meanwhile."""
        self._switch(ViewerMode(POLLING, self.mode.heartbeat, table_error=failure.kind.value), self.clock())

    def _switch(self, mode: ViewerMode, now: datetime) -> None:
        changed = mode.mode != self.mode.mode
        self.mode = mode
        if mode.mode == FRAMES and mode.heartbeat is not None:
            framed = self.framed(mode.heartbeat)
            self.poller.pause(framed)
            self.poller.resume([s for s in PUBLISHED_SOURCES if s not in framed])
        else:
            self.poller.resume(PUBLISHED_SOURCES)
        if changed:
            self.switches.append(Switch(now, mode.mode, mode.heartbeat))
        if self.on_change is not None:
            self.on_change(mode)
