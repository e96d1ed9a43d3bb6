"""Mutation lifecycles in SQLite: each step written through before it is taken, so the next start finds what
a crash, kill or quit left unfinished (``kojan_tui.actions.lifecycle.Lifecycles.resume``)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from kojan_tui.actions.lifecycle import MutationRecord, Stage
from kojan_tui.store.database import Migration, register

register(
    Migration(
        "0300-mutations",
        """
        CREATE TABLE IF NOT EXISTS mutations (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            request TEXT NOT NULL,
            stage TEXT NOT NULL,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sent_at TEXT,
            final TEXT,
            watch TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX IF NOT EXISTS mutations_open ON mutations (stage, started_at)
        """,
    )
)


class SqliteMutations:
    """``MutationStore`` on the app's database (a ``Database`` or ``LazyDatabase``: anything with ``call``)."""

    def __init__(self, database: Any) -> None:
        self.database = database

    async def save(self, record: MutationRecord) -> None:
        await self.database.call(_save, record)

    async def unfinished(self) -> list[MutationRecord]:
        return await self.database.call(_unfinished)

    async def get(self, mutation_id: str) -> MutationRecord | None:
        return await self.database.call(_get, mutation_id)


def _save(connection: sqlite3.Connection, record: MutationRecord) -> None:
    connection.execute(
        "INSERT INTO mutations (id, kind, request, stage, started_at, updated_at, sent_at, final, watch)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET request = excluded.request, stage = excluded.stage,"
        " updated_at = excluded.updated_at, sent_at = excluded.sent_at, final = excluded.final, watch = excluded.watch",
        (
            record.id,
            record.kind,
            json.dumps(record.request, sort_keys=True),
            record.stage.value,
            record.started_at.isoformat(),
            record.updated_at.isoformat(),
            record.sent_at.isoformat() if record.sent_at else None,
            record.final,
            json.dumps(record.watch, sort_keys=True),
        ),
    )


def _row(row: sqlite3.Row) -> MutationRecord:
    return MutationRecord(
        id=row["id"],
        kind=row["kind"],
        request=json.loads(row["request"]),
        stage=Stage(row["stage"]),
        started_at=datetime.fromisoformat(row["started_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        sent_at=datetime.fromisoformat(row["sent_at"]) if row["sent_at"] else None,
        final=row["final"],
        watch=json.loads(row["watch"] or "{}"),
    )


def _unfinished(connection: sqlite3.Connection) -> list[MutationRecord]:
    rows = connection.execute("SELECT * FROM mutations WHERE stage != ? ORDER BY started_at", (Stage.FINISHED.value,))
    return [_row(r) for r in rows]


def _get(connection: sqlite3.Connection, mutation_id: str) -> MutationRecord | None:
    row = connection.execute("SELECT * FROM mutations WHERE id = ?", (mutation_id,)).fetchone()
    return _row(row) if row is not None else None
