"""Healthy configuration snapshots (issue 27 "what changed") in SQLite: the newest ``KEEP`` records, and the
per-installation random key that hashes environment values (made once, kept in ``meta``, never shown)."""

from __future__ import annotations

import json
import secrets
import sqlite3
from datetime import datetime
from typing import Any

from kojan_tui.core.config_snapshot import ConfigSnapshot
from kojan_tui.store.database import Migration, register

KEEP = 50
HASH_KEY_NAME = "config-snapshot-hash-key"

register(
    Migration(
        "0400-config-snapshots",
        """
        CREATE TABLE IF NOT EXISTS config_snapshots (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            recorded_at TEXT NOT NULL,
            confirmed_at TEXT,
            fields TEXT NOT NULL
        )
        """,
    )
)


class SqliteConfigSnapshots:
    """On the app's database (a ``Database`` or ``LazyDatabase``: anything with ``call``)."""

    def __init__(self, database: Any) -> None:
        self.database = database

    async def hash_key(self) -> bytes:
        return await self.database.call(_hash_key)

    async def latest(self) -> ConfigSnapshot | None:
        return await self.database.call(_latest)

    async def add(self, snapshot: ConfigSnapshot) -> None:
        await self.database.call(_add, snapshot)

    async def confirm(self, at: datetime) -> None:
        await self.database.call(_confirm, at)

    async def count(self) -> int:
        return await self.database.call(lambda c: int(c.execute("SELECT COUNT(*) FROM config_snapshots").fetchone()[0]))


def _hash_key(connection: sqlite3.Connection) -> bytes:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (HASH_KEY_NAME,)).fetchone()
    if row is not None:
        return bytes.fromhex(row[0])
    key = secrets.token_bytes(32)
    connection.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (HASH_KEY_NAME, key.hex()))
    return key


def _latest(connection: sqlite3.Connection) -> ConfigSnapshot | None:
    row = connection.execute("SELECT * FROM config_snapshots ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return ConfigSnapshot(
        at=datetime.fromisoformat(row["recorded_at"]),
        fields=tuple((str(k), str(v)) for k, v in json.loads(row["fields"])),
        confirmed_at=datetime.fromisoformat(row["confirmed_at"]) if row["confirmed_at"] else None,
    )


def _add(connection: sqlite3.Connection, snapshot: ConfigSnapshot) -> None:
    connection.execute(
        "INSERT INTO config_snapshots (recorded_at, confirmed_at, fields) VALUES (?, ?, ?)",
        (
            snapshot.at.isoformat(),
            snapshot.confirmed_at.isoformat() if snapshot.confirmed_at else None,
            json.dumps([list(f) for f in snapshot.fields]),
        ),
    )
    connection.execute(
        "DELETE FROM config_snapshots WHERE id NOT IN (SELECT id FROM config_snapshots ORDER BY id DESC LIMIT ?)", (KEEP,)
    )


def _confirm(connection: sqlite3.Connection, at: datetime) -> None:
    connection.execute(
        "UPDATE config_snapshots SET confirmed_at = ? WHERE id = (SELECT MAX(id) FROM config_snapshots)", (at.isoformat(),)
    )
