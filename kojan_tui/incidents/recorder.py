"""``IncidentRecorder``: while an incident is open, every event worth a line goes on its timeline and every
dashboard change is recorded as a compressed frame; both are written in order by one writer task.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from kojan_tui.core import snapshot_codec
from kojan_tui.core.before_after import before_after, dashboard_series, timeline_milestone
from kojan_tui.core.clock import Clock
from kojan_tui.core.events import EventBus, timeline_entry
from kojan_tui.core.i18n import say, tr
from kojan_tui.core.incidents import (
    ErFileError,
    IncidentRecord,
    TimelineEntry,
    append_er_row,
    markdown_report,
    next_er_number,
    read_er_numbers,
)
from kojan_tui.core.private_files import create_exclusive
from kojan_tui.core.response_flow import report_lines
from kojan_tui.core.state import DashboardState, SourceName
from kojan_tui.store.incidents import IncidentStore

MAX_PENDING_WRITES = 1000  # bounded: if SQLite stalls, the oldest frames wait, the newest are dropped
RECORDED_SOURCES = {SourceName.SERVICE, SourceName.METRICS, SourceName.DATABASE, SourceName.ERRORS}


def already_firing(state: DashboardState | None, at: datetime, language: str = "en") -> list[TimelineEntry]:
    """The alerts and S25 reasons active when an incident opens, as its first lines (they fired before it), in
    ``language`` (the timeline is written once, in the UI language of the moment)."""
    if state is None:
        return []
    firing = tr("already firing since {at:%H:%M:%S}: {title}: {value} — {action}", language)
    entries = [
        TimelineEntry(at, "alert", firing.format(at=a.since, title=a.title, value=a.value_text, action=a.action))
        for a in state.alerts.active
    ]
    holding = tr("already holding: ROLL BACK NOW: {reason}", language)
    entries += [TimelineEntry(at, "s25", holding.format(reason=say(r.text, language))) for r in state.view.rollback]
    return entries


class IncidentRecorder:
    def __init__(self, store: IncidentStore, bus: EventBus, clock: Clock, *, er_md: Path, reports_dir: Path) -> None:
        self.store = store
        self.clock = clock
        self.er_md = er_md
        self.reports_dir = reports_dir
        self.current: int | None = None
        self.frames_dropped = 0
        self._last_payload: bytes | None = None
        self._queue: asyncio.Queue[Callable[[], Awaitable[None]]] = asyncio.Queue(MAX_PENDING_WRITES)
        self._writer: asyncio.Task[None] | None = None
        self.on_error: Callable[[BaseException], None] | None = None
        self.latest_state: DashboardState | None = None  # what is firing when an incident opens
        self.language = "en"  # of the timeline's own lines (the app sets it from the config, and on a switch)
        self._compared: set[tuple[int, datetime, int]] = set()  # (incident, deployment createdAt, milestone) written
        bus.subscribe_all(self.on_event)

    async def resume(self) -> int | None:
        """After a restart: carry on recording the incident left open."""
        self.current = await self.store.open_number()
        return self.current

    async def start(self, title: str = "") -> IncidentRecord:
        """Open ER-NNN (continuing er.md and the numbers already used here); only one is open at a time."""
        if self.current is not None:
            record = await self.store.get(self.current)
            if record is not None:
                return record
        record = await self.store.open_next(self.clock(), title, at_least=next_er_number(self.er_md))
        number = self.current = record.number
        await self.store.add_entry(
            number,
            TimelineEntry(
                record.opened_at,
                "note",
                tr("incident opened: {title}", self.language).format(title=title)
                if title
                else tr("incident opened", self.language),
            ),
        )
        for entry in already_firing(self.latest_state, record.opened_at, self.language):  # what fired before it opened
            await self.store.add_entry(number, entry)
        return record

    def context_badge(self) -> str | None:
        """What every screen's top line says while an incident is open (its timeline records what happens)."""
        if self.current is None:
            return None
        return tr("INCIDENT {id} open", self.language).format(id=f"ER-{self.current:03d}")

    async def close(self) -> None:
        if self.current is not None:
            number, self.current = self.current, None
            await self.flush()
            await self.store.add_entry(number, TimelineEntry(self.clock(), "note", tr("incident closed", self.language)))
            await self.store.close_incident(number, self.clock())

    async def note(self, text: str) -> None:
        if self.current is not None:
            await self.store.add_entry(self.current, TimelineEntry(self.clock(), "note", text))

    async def export(self, number: int) -> tuple[Path, Path]:
        """Append the record's row to er.md and write its full report; raises ``ErFileError`` / ``OSError``."""
        await self.flush()
        record = await self.store.get(number)
        if record is None:
            raise KeyError(number)
        read_er_numbers(self.er_md)  # a malformed er.md refuses the export before any file is written
        report = self.reports_dir / f"{record.record_id}.md"
        try:
            text = markdown_report(record, report_lines(record))  # with S06's stages when the flow moved on
            create_exclusive(report, text, tighten_dir=False)  # never overwritten, never a symlink
        except FileExistsError:
            raise ErFileError(
                report,
                None,
                tr("already exists (a file or a link); not overwritten: move it away to export again", self.language),
            ) from None
        try:
            append_er_row(self.er_md, record)
        except BaseException:
            report.unlink(missing_ok=True)  # the two exports stay together: no report without its row
            raise
        await self.store.mark_exported(number, self.clock())
        return self.er_md, report

    # -- what is heard ----------------------------------------------------------------------------

    def on_event(self, event: object) -> None:
        number = self.current
        entry = timeline_entry(event, self.language) if number is not None else None
        if number is not None and entry is not None:
            self._enqueue(lambda: self.store.add_entry(number, entry))

    def on_state(self, state: DashboardState) -> None:
        self.latest_state = state
        number = self.current
        if number is None or state.changed not in RECORDED_SOURCES:
            return
        at, payload = self.clock(), snapshot_codec.encode(state.data)
        if state.changed == SourceName.METRICS:
            self._before_after(number, state, at)
        if payload == self._last_payload:  # nothing the dashboard shows changed: no frame
            return
        self._last_payload = payload
        self._enqueue(lambda: self.store.add_frame(number, at, payload))

    def _before_after(self, number: int, state: DashboardState, at: datetime) -> None:
        """Issue 27: the metrics before/after the newest deployment, a line each time its windows reach a milestone."""
        series = dashboard_series(state.data.metrics, state.data.slo_recent)
        result = before_after(series, state.data.service, at, state.data.metrics_period)
        milestone = timeline_milestone(result)
        if result is None or milestone is None or (key := (number, result.deployed_at, milestone)) in self._compared:
            return
        self._compared.add(key)
        entry = TimelineEntry(at, "deployment", result.line(self.language))
        self._enqueue(lambda: self.store.add_entry(number, entry))

    # -- the one writer -----------------------------------------------------------------------------

    def _enqueue(self, write: Callable[[], Awaitable[None]]) -> None:
        try:
            self._queue.put_nowait(write)
        except asyncio.QueueFull:
            self.frames_dropped += 1
            return
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._drain(), name="incident-recorder")

    async def _drain(self) -> None:
        while not self._queue.empty():
            write = self._queue.get_nowait()
            try:
                await write()
            except Exception as error:  # a failed write is reported, the recording goes on
                if self.on_error is not None:
                    self.on_error(error)
            finally:
                self._queue.task_done()

    async def flush(self) -> None:
        await self._queue.join()
