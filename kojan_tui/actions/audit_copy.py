"""``AuditCopy``: the team's copy of the audit trail in a CloudWatch Logs group (issue 11, ``[audit] log_group``).

The local audit file is the source of truth and is written first; each record written there is then handed
to ``offer`` (never blocks, never raises) and sent, in order, by one background task with PutLogEvents into
the stream ``kojan-tui/<user>@<host>/<YYYY-MM-DD>`` (the record's UTC day). A put is sent once and never
retried: when it fails (access denied, missing group, throttled, no answer) its records stay only in the
local file; the failure is shown once through ``on_warning`` and noted in the local file (action
``audit-copy``, which is itself never copied), and the next records are tried again. The queue is bounded:
when AWS cannot keep up, the oldest waiting records are dropped and counted. Nothing is copied in read-only
mode (``audit_copy_for`` returns None): nothing is written to AWS then.
"""

from __future__ import annotations

import asyncio
import getpass
import socket
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from kojan_tui.core.audit import AuditTrail, encode_entry
from kojan_tui.core.errors import AwsFailure

COPY_ACTION = "audit-copy"  # the local notes about the copy itself (never copied)
MAX_QUEUED = 1000  # records waiting to be sent; beyond that the oldest are dropped (and counted)
MAX_BATCH = 100  # records per PutLogEvents (AWS allows 10,000 events)...
MAX_BATCH_BYTES = 512 * 1024  # ...and 1 MB (each event's UTF-8 message + 26 bytes)
CLOSE_WAIT_S = 3.0  # on quit, how long the records still queued may take to go out
STREAM_PREFIX = "kojan-tui"


class LogsWriter(Protocol):
    read_only: bool

    async def put_log_events(self, log_group: str, stream: str, events: Sequence[tuple[int, str]]) -> None: ...


def stream_name(entry: dict, owner: str) -> str:
    """``kojan-tui/<user>@<host>/<YYYY-MM-DD>``: the record's UTC day (``:`` and ``*`` are not allowed in a name)."""
    day = str(entry.get("ts", ""))[:10] or datetime.now(UTC).strftime("%Y-%m-%d")
    return f"{STREAM_PREFIX}/{owner}/{day}".replace(":", "_").replace("*", "_")[:512]


def default_owner() -> str:
    """``<user>@<host>`` of this process (``unknown`` for what cannot be found out)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container), no LOGNAME/USER
        user = "unknown"
    return f"{user}@{socket.gethostname() or 'unknown'}"


def event_time_ms(entry: dict) -> int:
    try:
        return int(datetime.fromisoformat(str(entry["ts"])).timestamp() * 1000)
    except (KeyError, ValueError):
        return int(datetime.now(UTC).timestamp() * 1000)


class AuditCopy:
    """One group's copy: ``offer`` queues, one task sends; ``sent``/``unsent``/``dropped`` count what became of them."""

    def __init__(
        self,
        gateway: LogsWriter,
        log_group: str,
        trail: AuditTrail,
        *,
        owner: str | None = None,
        on_warning: Callable[[str], None] | None = None,
        max_queued: int = MAX_QUEUED,
    ) -> None:
        self.gateway = gateway
        self.log_group = log_group
        self.trail = trail
        self.owner = owner or default_owner()
        self.on_warning = on_warning
        self.sent = 0  # records AWS accepted
        self.unsent = 0  # records whose put failed (they are in the local file only)
        self.dropped = 0  # records dropped unsent because the queue was full
        self.last_error: str | None = None  # the current failure (None once a put succeeds again)
        self._queue: deque[dict] = deque(maxlen=max_queued)
        self._task: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._warned = False  # one warning per run of failures

    def offer(self, entry: dict) -> None:
        """Queue one record that the local trail already holds; the sender task starts when needed."""
        if entry.get("action") == COPY_ACTION:
            return
        if len(self._queue) == self._queue.maxlen:
            self.dropped += 1
            if self.dropped == 1:  # said once; the viewer's status line keeps the count
                self._report("records dropped unsent (CloudWatch Logs is not keeping up)", "dropped", 1)
        self._queue.append(entry)
        self._idle.clear()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._send_all(), name="audit-copy")

    async def drain(self) -> None:
        """Wait until every queued record was sent or given up on (tests, and before the gateway closes)."""
        await self._idle.wait()

    async def close(self) -> None:
        """Give the queued records a moment to go out, then stop the sender (they are in the local file)."""
        task = self._task
        if task is None or task.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), CLOSE_WAIT_S)
        except TimeoutError:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    @property
    def status(self) -> str:
        """One line for the audit trail viewer."""
        line = f"copied to CloudWatch Logs {self.log_group}: {self.sent} sent"
        if self.unsent or self.dropped:
            line += f", {self.unsent} failed, {self.dropped} dropped"
        return line + (f" · ⚠ {self.last_error}" if self.last_error else "")

    async def _send_all(self) -> None:
        try:
            while self._queue:
                batch = self._next_batch()
                stream = stream_name(batch[0], self.owner)
                try:
                    await self.gateway.put_log_events(self.log_group, stream, _events(batch))
                except AwsFailure as failure:
                    self.unsent += len(batch)
                    self._problem(f"{failure.kind.value}: {failure.message}", f"failed: {failure.kind.value}", len(batch))
                except Exception as error:  # noqa: BLE001 - a bug in the copy must never reach the action
                    self.unsent += len(batch)
                    self._problem(f"{type(error).__name__}: {error}", "failed: internal error", len(batch))
                else:
                    self.sent += len(batch)
                    self.last_error, self._warned = None, False
        finally:
            self._idle.set()

    def _next_batch(self) -> list[dict]:
        """The oldest records of one stream (one UTC day), in order, within AWS's limits per request."""
        stream = stream_name(self._queue[0], self.owner)
        batch = [self._queue.popleft()]
        size = _size(batch[0])
        while self._queue and len(batch) < MAX_BATCH and stream_name(self._queue[0], self.owner) == stream:
            size += _size(self._queue[0])
            if size > MAX_BATCH_BYTES:
                break
            batch.append(self._queue.popleft())
        return batch

    def _problem(self, text: str, outcome: str, records: int) -> None:
        """A failed put: the first of a run of failures is reported; the action is unaffected."""
        self.last_error = text
        if not self._warned:
            self._warned = True
            self._report(text, outcome, records)

    def _report(self, text: str, outcome: str, records: int) -> None:
        """Shown once (a toast) and noted in the local file (never copied)."""
        if self.on_warning is not None:
            self.on_warning(f"audit copy to {self.log_group} failed ({text}); the local audit trail is complete")
        try:
            self.trail.record(
                COPY_ACTION,
                f"logs:{self.log_group}",
                outcome,
                None,
                {"message": text, "records": records, "dropped": self.dropped},
            )
        except OSError:
            pass  # the local trail is failing too: the action itself says so


def _size(entry: dict) -> int:
    return len(encode_entry(entry).encode("utf-8")) + 26


def _events(batch: list[dict]) -> list[tuple[int, str]]:
    """The records as log events: the same JSON as the local line, times never going backwards."""
    events: list[tuple[int, str]] = []
    for entry in batch:
        timestamp = max(event_time_ms(entry), events[-1][0] if events else 0)
        events.append((timestamp, encode_entry(entry)))
    return events


def audit_copy_for(
    gateway: LogsWriter, log_group: str, trail: AuditTrail, *, read_only: bool, on_warning: Callable[[str], None] | None = None
) -> AuditCopy | None:
    """The copy ``[audit] log_group`` asks for; None when it is off or the app is read-only."""
    if not log_group or read_only or getattr(gateway, "read_only", False):
        return None
    return AuditCopy(gateway, log_group, trail, on_warning=on_warning)
