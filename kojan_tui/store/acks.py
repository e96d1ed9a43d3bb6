"""Acknowledgements of alerts in SQLite (one person: still worth recording); ``AckStore`` is what the
dashboard needs, the team table (``store/team.py``) is the shared implementation."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from kojan_tui.core.acks import Acknowledgement
from kojan_tui.core.secret_rule import mask_text
from kojan_tui.store.database import LazyDatabase, Migration, register

register(
    Migration(
        "0400-alert-acknowledgements",
        """
        CREATE TABLE IF NOT EXISTS alert_acks (
            alert_key TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL, until TEXT NOT NULL,
            PRIMARY KEY (alert_key, who)
        )
        """,
    )
)


class AckStore(Protocol):
    async def acknowledge(self, ack: Acknowledgement) -> None:
        """Record (or renew: one per alert and person) ``ack``."""
        ...

    async def acknowledgements(self, now: datetime) -> list[Acknowledgement]:
        """Every acknowledgement still running at ``now``."""
        ...


class SqliteAckStore:
    def __init__(self, db: LazyDatabase) -> None:
        self.db = db

    async def acknowledge(self, ack: Acknowledgement) -> None:
        await self.db.call(
            lambda c: c.execute(
                "INSERT INTO alert_acks (alert_key, who, at, until) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (alert_key, who) DO UPDATE SET at = excluded.at, until = excluded.until",
                (ack.alert_key, mask_text(ack.who), ack.at.isoformat(), ack.until.isoformat()),
            )
        )

    async def acknowledgements(self, now: datetime) -> list[Acknowledgement]:
        def read(c) -> list[Acknowledgement]:
            rows = c.execute("SELECT alert_key, who, at, until FROM alert_acks ORDER BY until")
            acks = [Acknowledgement(k, w, datetime.fromisoformat(a), datetime.fromisoformat(u)) for k, w, a, u in rows]
            return [a for a in acks if a.active(now)]

        return await self.db.call(read)
