"""Team mode's published dashboard on the team table (issue 25): frames and heartbeats (``core.frames``).

Items (string keys ``pk``/``sk``):

- ``FRAMES#<cluster>/<service>`` / ``<iso time>#<source>``: one changed frame (``payload``: compressed bytes),
  written once, never overwritten, ``expires_at`` 48 h later: the flight recorder, in time order;
- ``LIVE#<cluster>/<service>`` / ``HEARTBEAT#<collector id>``: a collector's heartbeat (``core.frames.Heartbeat``),
  naming the newest frame of each source; overwritten by its own collector only.

``FrameWriter`` is the collector's one writer: at most one frame per source waits (a newer frame of that source
replaces it), so a slow table never builds a backlog: the newest frame wins. ``FrameTable.usage`` counts the
requests and the capacity units they cost (on-demand pricing), for the README's measurements.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from kojan_tui.aws.protocol import DynamoDbApi
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.frames import (
    FRAME_TTL,
    HEARTBEAT_TTL,
    MAX_FRAME_BYTES,
    Heartbeat,
    expires_at,
    frame_sk,
    history_pk,
    item_size,
    live_pk,
    newest,
    read_units,
    write_units,
)
from kojan_tui.core.secret_rule import mask_text

HEARTBEAT_PREFIX = "HEARTBEAT#"


@dataclass
class TableUsage:
    """What this process asked of the table: requests per operation, bytes and on-demand capacity units."""

    requests: Counter[str] = field(default_factory=Counter)
    write_units: int = 0
    read_units: float = 0.0
    bytes_written: int = 0
    bytes_read: int = 0

    def wrote(self, operation: str, size: int) -> None:
        self.requests[operation] += 1
        self.bytes_written += size
        self.write_units += write_units(size)

    def read(self, operation: str, size: int) -> None:
        self.requests[operation] += 1
        self.bytes_read += size
        self.read_units += read_units(size)


@dataclass(frozen=True)
class Frame:
    source: str
    sk: str
    written_at: datetime
    payload: bytes


class FrameTable:
    def __init__(self, api: DynamoDbApi, table: str, cluster: str, service: str) -> None:
        self.api = api
        self.table = table
        self.live_pk = live_pk(cluster, service)
        self.history_pk = history_pk(cluster, service)
        self.usage = TableUsage()

    async def put_frame(self, source: str, at: datetime, payload: bytes) -> str:
        """One frame, append-only; its sort key (what the heartbeat names)."""
        sk = frame_sk(source, at)
        item = {
            "pk": self.history_pk,
            "sk": sk,
            "source": source,
            "written_at": at.isoformat(),
            "payload": payload,
            "expires_at": expires_at(at, FRAME_TTL),
        }
        self.usage.wrote("PutItem", item_size(item))
        await self.api.dynamodb_put_item(self.table, item, condition="attribute_not_exists(pk)")
        return sk

    async def put_heartbeat(self, beat: Heartbeat) -> None:
        item = {
            "pk": self.live_pk,
            "sk": HEARTBEAT_PREFIX + beat.collector,
            **beat.to_item(),
            "expires_at": expires_at(beat.beat_at, HEARTBEAT_TTL),
        }
        self.usage.wrote("PutItem", item_size(item))
        await self.api.dynamodb_put_item(self.table, item)

    async def newest_heartbeat(self) -> Heartbeat | None:
        """The newest heartbeat of this service's collectors (one Query of their small items)."""
        items = await self.api.dynamodb_query(self.table, self.live_pk, sk_prefix=HEARTBEAT_PREFIX)
        self.usage.read("Query", sum(item_size(item) for item in items))
        beats = []
        for item in items:
            try:
                beats.append(Heartbeat.from_item(item))
            except (KeyError, ValueError, TypeError):  # a malformed item (another version?): not a collector
                continue
        return newest(beats)

    async def frame(self, sk: str) -> Frame | None:
        item = await self.api.dynamodb_get_item(self.table, {"pk": self.history_pk, "sk": sk})
        self.usage.read("GetItem", item_size(item) if item else 1)
        if item is None or not isinstance(item.get("payload"), bytes):
            return None
        return Frame(str(item["source"]), sk, datetime.fromisoformat(item["written_at"]), item["payload"])


class FrameWriter:
    """The collector's one writer: ``offer`` a source's frame, ``beat`` when its freshness moved; never a backlog."""

    def __init__(
        self,
        table: FrameTable,
        beat: Callable[[dict[str, str], datetime | None], Heartbeat],
        clock: Callable[[], datetime],
        *,
        on_error: Callable[[AwsFailure], None] | None = None,
    ) -> None:
        self.table = table
        self.make_beat = beat  # (the newest frame of each source, the last write) -> the heartbeat to write now
        self.clock = clock
        self.on_error = on_error
        self.frames: dict[str, str] = {}  # source -> the sort key of its newest frame written
        self.last_write: datetime | None = None
        self.written: Counter[str] = Counter()  # frames written per source
        self.replaced: Counter[str] = Counter()  # frames that never waited their turn: a newer one took their place
        self.skipped_too_large = 0
        self.heartbeats = 0
        self.failure: AwsFailure | None = None  # the newest failed write (None once a write succeeds again)
        self._sent: dict[str, bytes] = {}  # source -> the payload of its newest frame written
        self._pending: dict[str, bytes] = {}
        self._beat_due = False
        self._task: asyncio.Task[None] | None = None

    def offer(self, source: str, payload: bytes) -> None:
        """A source delivered: its frame is written if it differs from the last one written (newest wins)."""
        if payload == self._sent.get(source):
            self._pending.pop(source, None)  # back to what the table has: nothing to write
            return
        if len(payload) > MAX_FRAME_BYTES:
            self.skipped_too_large += 1
            return
        if source in self._pending:
            self.replaced[source] += 1
        self._pending[source] = payload
        self._kick()

    def beat(self) -> None:
        self._beat_due = True
        self._kick()

    async def flush(self) -> None:
        """Until everything offered so far is written (or failed)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    def _kick(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain(), name="frame-writer")

    async def _drain(self) -> None:
        while self._pending or self._beat_due:
            if self._pending:
                source = next(iter(self._pending))
                payload = self._pending.pop(source)
                at = self.clock()
                try:
                    self.frames[source] = await self.table.put_frame(source, at, payload)
                except AwsFailure as failure:
                    self._failed(failure)
                    continue
                self._sent[source] = payload
                self.last_write = at
                self.written[source] += 1
                self._beat_due = True  # the heartbeat names the new frame: viewers read it at their next look
                continue
            self._beat_due = False
            try:
                await self.table.put_heartbeat(self.make_beat(dict(self.frames), self.last_write))
            except AwsFailure as failure:
                self._failed(failure)
                continue
            self.heartbeats += 1
            self.failure = None

    def _failed(self, failure: AwsFailure) -> None:
        first = self.failure is None
        self.failure = failure
        if first and self.on_error is not None:  # once per run of failures, not per write
            self.on_error(failure)


def goodbye(beat: Heartbeat) -> Heartbeat:
    """The last heartbeat of a collector that stops cleanly: viewers poll by themselves at once."""
    return replace(beat, stopped=True)


def safe_collector_id(text: str) -> str:
    return mask_text(text)[:100]
