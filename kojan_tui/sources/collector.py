"""``kojan-tui collect`` (issue 25): the console's sources and poller, headless, publishing to the team table.

The same ``DashboardSources`` on the same ``Poller`` as the app, at the configured refresh; each delivery's frame
is offered to one ``FrameWriter`` (written only when it changed; the newest wins while the table is slow), and
each finished poll of a published source moves the heartbeat, which carries every source's freshness. A
heartbeat is also written at least once a refresh, so a viewer can tell a quiet collector from a dead one.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from datetime import datetime

from kojan_tui.aws.protocol import Gateway
from kojan_tui.core.clock import Clock
from kojan_tui.core.config import Config
from kojan_tui.core.dashboard import DashboardData
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.frames import MAX_FRAME_BYTES, PUBLISHED_SOURCES, Heartbeat, frame_payload, freshness_item, refresh_of
from kojan_tui.core.freshness import SourceFreshness
from kojan_tui.core.state import SourceName
from kojan_tui.sources.dashboard import DashboardSources
from kojan_tui.sources.poller import Poller
from kojan_tui.store.frames import FrameTable, FrameWriter, goodbye, safe_collector_id


def default_collector_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Collector:
    def __init__(
        self,
        gateway: Gateway,
        config: Config,
        *,
        clock: Clock,
        table: str,
        collector_id: str | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.collector_id = safe_collector_id(collector_id or default_collector_id())
        self.host = socket.gethostname()
        self.refresh_s = refresh_of(config.refresh.service_seconds, config.refresh.metrics_seconds)
        self.started = clock()
        self.on_error = on_error
        self.table = FrameTable(gateway, table, config.service.cluster, config.service.name)
        self.writer = FrameWriter(self.table, self._heartbeat, clock, on_error=self._write_failed)
        self.sources = DashboardSources(gateway, config, clock=clock, on_change=self._changed)
        self.poller = Poller(clock=clock, on_freshness=self._polled, on_internal_error=self._internal_error)
        self.sources.register(self.poller)
        self.last_beat_offered: datetime | None = None
        self.too_large: set[str] = set()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll and publish until ``stop`` is set; then a last heartbeat that says so."""
        self.poller.start()
        try:
            while not stop.is_set():
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.refresh_s)
                except TimeoutError:
                    self._beat_if_quiet()
        finally:
            await self.poller.stop()
            await self.sources.close()
            await self.writer.flush()
            try:
                await self.table.put_heartbeat(goodbye(self._heartbeat(dict(self.writer.frames), self.writer.last_write)))
            except AwsFailure as failure:
                self._say(f"the last heartbeat (stopped) was not written: {failure}")

    # -- what the sources tell ---------------------------------------------------------------------

    def _changed(self, data: DashboardData, source: SourceName) -> None:
        if source.value not in PUBLISHED_SOURCES:
            return
        payload = frame_payload(data, source.value)
        if len(payload) > MAX_FRAME_BYTES and source.value not in self.too_large:
            self.too_large.add(source.value)  # said once: the viewers keep that source's previous frame
            self._say(f"a {source.value} frame of {len(payload)} bytes is over DynamoDB's item limit: not written")
        self.writer.offer(source.value, payload)

    def _polled(self, name: str, _freshness: SourceFreshness) -> None:
        if name in PUBLISHED_SOURCES:
            self._offer_beat()

    def _beat_if_quiet(self) -> None:
        last = self.last_beat_offered
        if last is None or (self.clock() - last).total_seconds() >= self.refresh_s:
            self._offer_beat()

    def _offer_beat(self) -> None:
        self.last_beat_offered = self.clock()
        self.writer.beat()

    def _heartbeat(self, frames: dict[str, str], last_write: datetime | None) -> Heartbeat:
        freshness = {name: freshness_item(self.poller.freshness(name)) for name in PUBLISHED_SOURCES}
        return Heartbeat(
            collector=self.collector_id,
            host=self.host,
            started=self.started,
            beat_at=self.clock(),
            refresh_s=self.refresh_s,
            last_write=last_write,
            frames=frames,
            freshness=freshness,
            window=self.sources.window,
        )

    # -- what goes wrong -------------------------------------------------------------------------

    def _write_failed(self, failure: AwsFailure) -> None:
        self._say(f"team table {self.table.table}: {failure} (carrying on; the newest frame of each source waits)")

    def _internal_error(self, name: str, error: BaseException) -> None:
        if self.poller.freshness(name).consecutive_failures == 1:
            self._say(f"source {name}: internal error {type(error).__name__}: {error}")

    def _say(self, text: str) -> None:
        if self.on_error is not None:
            self.on_error(text)
