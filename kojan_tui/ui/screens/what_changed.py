"""Issue 27 "what changed": key ``w`` shows what differs from the last healthy configuration snapshot, with the
snapshot's time and when each difference was first seen. ``SnapshotRecorder`` (installed on mount) records a
snapshot while the dashboard is healthy (``core.config_snapshot``), in SQLite (``store.config_snapshots``)."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from kojan_tui.core.config_snapshot import (
    ChangeWatch,
    ConfigSnapshot,
    FieldChange,
    change_text,
    config_fields,
    is_healthy,
    scaling_text,
    should_record,
    tagged_images,
    words,
)
from kojan_tui.core.dashboard import DashboardData
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.secret_rule import mask_text
from kojan_tui.core.security_models import parse_image
from kojan_tui.core.state import DashboardState
from kojan_tui.store.config_snapshots import SqliteConfigSnapshots
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.capabilities import Capability, one_command
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.services import AppServices

WHAT_CHANGED_KEY = "w"
EXTENSION = "what-changed"


class SnapshotRecorder:
    """The newest healthy snapshot (loaded once from the store) and the one writer of new ones."""

    def __init__(
        self,
        store: SqliteConfigSnapshots | None,
        read_scaling: Callable[[], Awaitable[str | None]] | None = None,
        read_digest: Callable[[str], Awaitable[str | None]] | None = None,
        read_secret_version: Callable[[], Awaitable[str | None]] | None = None,
    ) -> None:
        self.store = store
        self.read_scaling = read_scaling  # the scalable target's min–max (None: could not be read)
        self.read_digest = read_digest  # an image's digest from ECR (None: could not be read)
        self.read_secret_version = read_secret_version  # the JWT secret's current version id (None: not read)
        self.scaling: str | None = None  # the newest read
        self.digests: dict[str, str] = {}  # image (by tag) → its digest, as last read
        self.secret_version: str | None = None  # the newest read (an id only: never a value)
        self.key: bytes | None = None
        self.latest: ConfigSnapshot | None = None
        self.problem: str | None = None  # why snapshots are kept in memory only
        self.watch = ChangeWatch()
        self._writing = False
        self.on_error: Any = None

    async def load(self) -> None:
        try:
            if self.store is None:
                raise OSError("no database")
            key = await self.store.hash_key()
            latest = await self.store.latest()
            # together: a record taken while ``latest`` was still being read would be overwritten by the older read
            self.key, self.latest = key, latest
        except (OSError, sqlite3.Error) as error:  # DatabaseUnavailable too: this run keeps its snapshots in memory
            self.problem, self.store = str(error), None
            self.key = secrets.token_bytes(32)
        await self.refresh_reads(None)

    async def refresh_reads(self, data: DashboardData | None) -> None:
        """What the dashboard does not poll: the scaling limits, the JWT secret's version id and, for images named
        by tag, their digests."""
        if self.read_scaling is not None:
            self.scaling = await self.read_scaling()
        if self.read_secret_version is not None:
            self.secret_version = await self.read_secret_version()
        if self.read_digest is not None and data is not None:
            for image in tagged_images(data):
                digest = await self.read_digest(image)
                if digest is None:
                    self.digests.pop(image, None)
                else:
                    self.digests[image] = digest

    def fields(self, data: DashboardData) -> tuple[tuple[str, str], ...] | None:
        if self.key is None:
            return None
        return config_fields(data, self.key, self.scaling, self.digests, self.secret_version)

    @property
    def loaded(self) -> bool:
        return self.key is not None

    @property
    def recorded(self) -> bool:
        """A snapshot exists and no record (with its reads) is being made now."""
        return self.latest is not None and not self._writing

    def take_due(self, state: DashboardState, now: datetime) -> tuple[str, tuple[tuple[str, str], ...]] | None:
        """("new" | "confirm", fields) when ``state`` is healthy and a record is due (then the writer is busy until
        ``record`` ends: one write at a time); else None."""
        if self.key is None or self._writing:
            return None
        fields = self.fields(state.data)
        if fields is None or not is_healthy(state.view, state.unjudged_reason(now)):
            return None
        action = should_record(self.latest, fields, now)
        if action is None:
            return None
        self._writing = True
        return action, fields

    async def record(self, action: str, fields: tuple[tuple[str, str], ...], now: datetime, state: DashboardState) -> None:
        try:
            await self.refresh_reads(state.data)  # read again for the record (once per RECORD_EVERY at most)
            fields = self.fields(state.data) or fields
            if action == "confirm" and self.latest is not None and fields != self.latest.fields:
                action = "new"
            if action == "confirm" and self.latest is not None:
                self.latest = ConfigSnapshot(self.latest.at, self.latest.fields, now)
                if self.store is not None:
                    await self.store.confirm(now)
            else:
                self.latest = ConfigSnapshot(now, fields)
                if self.store is not None:
                    await self.store.add(self.latest)
        except (OSError, sqlite3.Error) as error:  # a failed write: memory only from now on, never retried
            self.problem, self.store = str(error), None
        finally:
            self._writing = False

    def changes(self, state: DashboardState, now: datetime) -> list[FieldChange] | None:
        """The differences now (None: no snapshot yet, or the current configuration unknown)."""
        if self.latest is None or self.key is None:
            return None
        fields = self.fields(state.data)
        return None if fields is None else self.watch.changes(self.latest, fields, now)


def recorder_of(services: AppServices) -> SnapshotRecorder | None:
    found = services.extensions.get(EXTENSION)
    return found if isinstance(found, SnapshotRecorder) else None


def what_changed_text(recorder: SnapshotRecorder | None, state: DashboardState, now: datetime, language: str) -> str:
    say = words(language)
    if recorder is None or recorder.latest is None:
        return say["none_yet"]
    snapshot = recorder.latest
    confirmed = say["confirmed"].format(at=snapshot.confirmed_at) if snapshot.confirmed_at else ""
    lines = [say["snapshot"].format(at=snapshot.at, confirmed=confirmed)]
    changes = recorder.changes(state, now)
    if changes is None:
        lines.append(say["unknown_now"])
    elif not changes:
        lines.append(say["nothing"])
    else:
        lines.append(say["differs"].format(n=len(changes)))
        lines += [f"  {mask_text(change_text(c, language))}" for c in changes]
    if recorder.problem:
        lines += ["", tr("(snapshots kept in memory only this run: {problem})", language).format(problem=recorder.problem)]
    return "\n".join(lines)


def banner_line(services: AppServices, on_dashboard: bool = True) -> str | None:
    """The rollback screen's and banner's one line when something differs from the last healthy snapshot (on the
    rollback screen ``w`` stops a watch: there the line says to go back to the dashboard first)."""
    recorder = recorder_of(services)
    if recorder is None:
        return None
    changes = recorder.changes(services.state.current, services.clock())
    if not changes:
        return None
    return words(services.config.ui.language)["banner" if on_dashboard else "banner_modal"].format(key=WHAT_CHANGED_KEY)


class WhatChangedScreen(TextDetailScreen):
    pass


def open_what_changed(app: Any) -> None:
    if isinstance(app.screen, WhatChangedScreen):
        return
    services: AppServices = app.services
    recorder = recorder_of(services)

    async def read_then_show() -> None:
        if recorder is not None and recorder.loaded:
            await recorder.refresh_reads(services.state.current.data)  # not polled: read now
        if isinstance(app.screen, WhatChangedScreen):
            return
        language = services.config.ui.language
        text = what_changed_text(recorder, services.state.current, services.clock(), language)
        app.push_screen(WhatChangedScreen(words(language)["title"], text))

    app.run_worker(read_then_show(), group="what-changed-open", exclusive=True, exit_on_error=False)


def scaling_reader(services: AppServices) -> Callable[[], Awaitable[str | None]]:
    service = services.config.service

    async def read() -> str | None:
        try:
            target = await services.gateway.describe_scalable_target(f"service/{service.cluster}/{service.name}")
        except AwsFailure:
            return None  # not read: never compared
        return scaling_text(target)

    return read


def digest_reader(services: AppServices) -> Callable[[str], Awaitable[str | None]]:
    async def read(image: str) -> str | None:
        ref = parse_image(image)
        if ref.registry_id is None:
            return None  # not an ECR image: its digest is not asked
        try:
            return (await services.gateway.describe_image(ref, top_findings=0)).digest or None
        except AwsFailure:
            return None

    return read


def secret_version_reader(services: AppServices) -> Callable[[], Awaitable[str | None]]:
    secret_id = services.config.service.jwt_secret_id

    async def read() -> str | None:
        if not secret_id:
            return None
        try:
            return await services.gateway.secret_version(secret_id)
        except AwsFailure:
            return None  # unknown: never compared

    return read


def install(app: Any) -> None:
    services: AppServices = app.services
    database = services.database if services.database is not None else LazyDatabase(None)
    recorder = SnapshotRecorder(
        SqliteConfigSnapshots(database), scaling_reader(services), digest_reader(services), secret_version_reader(services)
    )
    services.extensions[EXTENSION] = recorder

    def on_state(state: DashboardState) -> None:
        now = services.clock()
        if recorder.loaded:
            recorder.changes(state, now)  # first-seen times follow every state, not only when the screen is open
        due = recorder.take_due(state, now)
        if due is not None:
            app.run_worker(recorder.record(*due, now, state), group="config-snapshot", exit_on_error=False)

    async def load_then_follow() -> None:
        await recorder.load()
        on_state(services.state.current)

    services.state.subscribe(app, on_state)
    app.run_worker(load_then_follow(), group="config-snapshot", exit_on_error=False)


WHAT_CHANGED = Capability(
    name="what-changed",
    description=N_("What changed"),
    key=WHAT_CHANGED_KEY,
    show_in_footer=False,
    tooltip=N_("Issue 27: what differs from the last healthy configuration snapshot, with times"),
    open=open_what_changed,
    install=install,
    commands=one_command(
        N_("What changed since the last healthy snapshot"),
        N_("Task definition, image, environment (hashed), secrets (version ids), desired count, RDS: what differs, since when"),
        open_what_changed,
    ),
)
