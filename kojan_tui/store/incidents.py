"""Incidents in SQLite: the record fields, the timeline, and the recorded dashboard frames for replay.

``IncidentStore`` is what the incident feature needs; ``SqliteIncidentStore`` implements it on
``store/database.py``. Every call is one transaction, written through.
"""

from __future__ import annotations

import sqlite3
from dataclasses import fields, replace
from datetime import datetime
from typing import Protocol

from kojan_tui.core.incidents import IncidentRecord, TimelineEntry
from kojan_tui.core.secret_rule import mask_text
from kojan_tui.store.database import LazyDatabase, Migration, register

EDITABLE_FIELDS = ("title", "test_item", "module", "what_failed", "what_was_done", "classification")

register(
    Migration(
        "0100-incidents",
        """
        CREATE TABLE incidents (
            number INTEGER PRIMARY KEY, opened_at TEXT NOT NULL, closed_at TEXT,
            title TEXT NOT NULL DEFAULT '', test_item TEXT NOT NULL DEFAULT '', module TEXT NOT NULL DEFAULT '',
            what_failed TEXT NOT NULL DEFAULT '', what_was_done TEXT NOT NULL DEFAULT '',
            classification TEXT NOT NULL DEFAULT '', exported_at TEXT
        );
        CREATE TABLE incident_timeline (
            id INTEGER PRIMARY KEY, number INTEGER NOT NULL REFERENCES incidents(number),
            at TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL
        );
        CREATE INDEX incident_timeline_by_number ON incident_timeline (number, at);
        CREATE TABLE incident_frames (
            id INTEGER PRIMARY KEY, number INTEGER NOT NULL REFERENCES incidents(number),
            at TEXT NOT NULL, payload BLOB NOT NULL
        );
        CREATE INDEX incident_frames_by_number ON incident_frames (number, at)
        """,
    )
)


class IncidentStore(Protocol):
    async def open_incident(self, number: int, opened_at: datetime, title: str = "") -> IncidentRecord: ...

    async def open_next(self, opened_at: datetime, title: str = "", *, at_least: int = 1) -> IncidentRecord:
        """Open a record under a number allocated atomically: above every number the store holds and at
        least ``at_least`` (the team's er.md); two callers at once never get the same number."""
        ...

    async def open_number(self) -> int | None:
        """The incident still open (at most one), if any."""
        ...

    async def numbers(self) -> list[int]: ...

    async def get(self, number: int) -> IncidentRecord | None: ...

    async def add_entry(self, number: int, entry: TimelineEntry) -> None: ...

    async def update(self, number: int, **changes: str) -> None: ...

    async def close_incident(self, number: int, at: datetime) -> None: ...

    async def mark_exported(self, number: int, at: datetime) -> None: ...

    async def add_frame(self, number: int, at: datetime, payload: bytes) -> None: ...

    async def frames(self, number: int) -> list[tuple[datetime, bytes]]: ...

    async def frame_bytes(self, number: int) -> int: ...


class SqliteIncidentStore:
    def __init__(self, db: LazyDatabase) -> None:
        self.db = db

    async def open_incident(self, number: int, opened_at: datetime, title: str = "") -> IncidentRecord:
        title = mask_text(title)  # the one secret rule: nothing secret-shaped is stored

        def insert(c: sqlite3.Connection) -> None:
            c.execute("INSERT INTO incidents (number, opened_at, title) VALUES (?, ?, ?)", (number, opened_at.isoformat(), title))

        await self.db.call(insert)
        return IncidentRecord(number=number, opened_at=opened_at, title=title)

    async def open_next(self, opened_at: datetime, title: str = "", *, at_least: int = 1) -> IncidentRecord:
        title = mask_text(title)

        def insert(c: sqlite3.Connection) -> int:  # one transaction: the number and the row together
            highest = c.execute("SELECT COALESCE(MAX(number), 0) FROM incidents").fetchone()[0]
            number = max(int(highest) + 1, at_least)
            c.execute("INSERT INTO incidents (number, opened_at, title) VALUES (?, ?, ?)", (number, opened_at.isoformat(), title))
            return number

        return IncidentRecord(number=await self.db.call(insert), opened_at=opened_at, title=title)

    async def open_number(self) -> int | None:
        def find(c: sqlite3.Connection) -> int | None:
            row = c.execute("SELECT number FROM incidents WHERE closed_at IS NULL ORDER BY number DESC LIMIT 1").fetchone()
            return row[0] if row else None

        return await self.db.call(find)

    async def numbers(self) -> list[int]:
        return await self.db.call(lambda c: [r[0] for r in c.execute("SELECT number FROM incidents ORDER BY number")])

    async def get(self, number: int) -> IncidentRecord | None:
        return await self.db.call(_read, number)

    async def add_entry(self, number: int, entry: TimelineEntry) -> None:
        await self.db.call(
            lambda c: c.execute(
                "INSERT INTO incident_timeline (number, at, kind, text) VALUES (?, ?, ?, ?)",
                (number, entry.at.isoformat(), entry.kind, mask_text(entry.text)),
            )
        )

    async def update(self, number: int, **changes: str) -> None:
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"not an incident field: {', '.join(sorted(unknown))}")
        changes = {name: mask_text(value) for name, value in changes.items()}
        if changes:
            assignments = ", ".join(f"{name} = ?" for name in changes)  # names from EDITABLE_FIELDS only
            await self.db.call(
                lambda c: c.execute(f"UPDATE incidents SET {assignments} WHERE number = ?", (*changes.values(), number))
            )

    async def close_incident(self, number: int, at: datetime) -> None:
        await self.db.call(lambda c: c.execute("UPDATE incidents SET closed_at = ? WHERE number = ?", (at.isoformat(), number)))

    async def mark_exported(self, number: int, at: datetime) -> None:
        await self.db.call(lambda c: c.execute("UPDATE incidents SET exported_at = ? WHERE number = ?", (at.isoformat(), number)))

    async def add_frame(self, number: int, at: datetime, payload: bytes) -> None:
        await self.db.call(
            lambda c: c.execute(
                "INSERT INTO incident_frames (number, at, payload) VALUES (?, ?, ?)", (number, at.isoformat(), payload)
            )
        )

    async def frames(self, number: int) -> list[tuple[datetime, bytes]]:
        def read(c: sqlite3.Connection) -> list[tuple[datetime, bytes]]:
            rows = c.execute("SELECT at, payload FROM incident_frames WHERE number = ? ORDER BY at, id", (number,))
            return [(datetime.fromisoformat(at), bytes(payload)) for at, payload in rows]

        return await self.db.call(read)

    async def frame_bytes(self, number: int) -> int:
        query = "SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM incident_frames WHERE number = ?"
        return await self.db.call(lambda c: int(c.execute(query, (number,)).fetchone()[0]))


def _read(c: sqlite3.Connection, number: int) -> IncidentRecord | None:
    row = c.execute("SELECT * FROM incidents WHERE number = ?", (number,)).fetchone()
    if row is None:
        return None
    names = {f.name for f in fields(IncidentRecord)}
    record = IncidentRecord(
        number=row["number"],
        opened_at=datetime.fromisoformat(row["opened_at"]),
        closed_at=datetime.fromisoformat(row["closed_at"]) if row["closed_at"] else None,
        **{name: row[name] for name in EDITABLE_FIELDS if name in names},
    )
    entries = c.execute("SELECT at, kind, text FROM incident_timeline WHERE number = ? ORDER BY at, id", (number,))
    return replace(record, timeline=tuple(TimelineEntry(datetime.fromisoformat(at), kind, text) for at, kind, text in entries))
