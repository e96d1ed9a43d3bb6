"""Walkthroughs of runbooks and checklists in SQLite: every mark, check result and action written through,
so a run resumes after a restart or a lost SSH session at the same step with the same results.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Protocol

from kojan_tui.procedures.checks import Verdict
from kojan_tui.procedures.runs import ProcedureRun, StepRecord, StepState
from kojan_tui.store.database import Database, Migration, register

register(
    Migration(
        "0100-procedure-runs",
        """
        CREATE TABLE IF NOT EXISTS procedure_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            procedure_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            language TEXT NOT NULL,
            title TEXT NOT NULL,
            started_at TEXT NOT NULL,
            started_by TEXT,
            current_step TEXT,
            finished_at TEXT
        );
        CREATE INDEX IF NOT EXISTS procedure_runs_by_procedure ON procedure_runs (procedure_id, finished_at);
        CREATE TABLE IF NOT EXISTS procedure_steps (
            run_id INTEGER NOT NULL REFERENCES procedure_runs (id) ON DELETE CASCADE,
            step_id TEXT NOT NULL,
            done INTEGER NOT NULL,
            done_at TEXT,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (run_id, step_id)
        );
        CREATE TABLE IF NOT EXISTS procedure_records (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES procedure_runs (id) ON DELETE CASCADE,
            step_id TEXT NOT NULL,
            type TEXT NOT NULL,
            summary TEXT NOT NULL,
            at TEXT NOT NULL,
            verdict TEXT,
            evidence TEXT NOT NULL DEFAULT '[]',
            done INTEGER
        );
        CREATE INDEX IF NOT EXISTS procedure_records_by_run ON procedure_records (run_id, id)
        """,
    )
)

MAX_EVIDENCE_LINES = 50


class ProcedureRunStore(Protocol):
    """What a walkthrough needs from storage (SQLite here; anything with these calls will do)."""

    async def start(self, run: ProcedureRun) -> ProcedureRun: ...

    async def open_run(self, procedure_id: str) -> ProcedureRun | None: ...

    async def load(self, run_id: int) -> ProcedureRun | None: ...

    async def set_current(self, run_id: int, step_id: str) -> None: ...

    async def set_step(self, run_id: int, step_id: str, state: StepState) -> None: ...

    async def add_record(self, run_id: int, record: StepRecord) -> None: ...

    async def finish(self, run_id: int, at: datetime) -> None: ...

    async def runs(self, kind: str | None = None, limit: int = 50) -> list[ProcedureRun]: ...


class SqliteProcedureRuns:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def start(self, run: ProcedureRun) -> ProcedureRun:
        def insert(c: sqlite3.Connection) -> int:
            cursor = c.execute(
                "INSERT INTO procedure_runs (procedure_id, kind, language, title, started_at, started_by, current_step)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (run.procedure_id, run.kind, run.language, run.title, _iso(run.started_at), run.started_by, run.current_step),
            )
            return int(cursor.lastrowid)

        run_id = await self.database.call(insert)
        return ProcedureRun(
            run_id, run.procedure_id, run.kind, run.language, run.title, run.started_at, run.started_by, run.current_step
        )

    async def open_run(self, procedure_id: str) -> ProcedureRun | None:
        """The newest unfinished run of ``procedure_id``, if any."""

        def newest(c: sqlite3.Connection) -> int | None:
            row = c.execute(
                "SELECT id FROM procedure_runs WHERE procedure_id = ? AND finished_at IS NULL ORDER BY id DESC LIMIT 1",
                (procedure_id,),
            ).fetchone()
            return int(row[0]) if row else None

        run_id = await self.database.call(newest)
        return await self.load(run_id) if run_id is not None else None

    async def load(self, run_id: int) -> ProcedureRun | None:
        return await self.database.call(_load, run_id)

    async def set_current(self, run_id: int, step_id: str) -> None:
        await self.database.call(
            lambda c: c.execute("UPDATE procedure_runs SET current_step = ? WHERE id = ?", (step_id, run_id))
        )

    async def set_step(self, run_id: int, step_id: str, state: StepState) -> None:
        await self.database.call(
            lambda c: c.execute(
                "INSERT INTO procedure_steps (run_id, step_id, done, done_at, note) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (run_id, step_id) DO UPDATE SET done = excluded.done, done_at = excluded.done_at, note = excluded.note",
                (run_id, step_id, int(state.done), _iso(state.done_at), state.note),
            )
        )

    async def add_record(self, run_id: int, record: StepRecord) -> None:
        evidence = json.dumps(list(record.evidence[:MAX_EVIDENCE_LINES]), ensure_ascii=False)
        await self.database.call(
            lambda c: c.execute(
                "INSERT INTO procedure_records (run_id, step_id, type, summary, at, verdict, evidence, done)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    record.step_id,
                    record.type,
                    record.summary,
                    _iso(record.at),
                    record.verdict.value if record.verdict else None,
                    evidence,
                    None if record.done is None else int(record.done),
                ),
            )
        )

    async def finish(self, run_id: int, at: datetime) -> None:
        await self.database.call(
            lambda c: c.execute("UPDATE procedure_runs SET finished_at = ? WHERE id = ?", (_iso(at), run_id))
        )

    async def runs(self, kind: str | None = None, limit: int = 50) -> list[ProcedureRun]:
        def ids(c: sqlite3.Connection) -> list[int]:
            if kind is None:
                rows = c.execute("SELECT id FROM procedure_runs ORDER BY id DESC LIMIT ?", (limit,))
            else:
                rows = c.execute("SELECT id FROM procedure_runs WHERE kind = ? ORDER BY id DESC LIMIT ?", (kind, limit))
            return [int(r[0]) for r in rows]

        return [run for run_id in await self.database.call(ids) if (run := await self.load(run_id)) is not None]


def _load(c: sqlite3.Connection, run_id: int) -> ProcedureRun | None:
    row = c.execute("SELECT * FROM procedure_runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        return None
    steps = {
        s["step_id"]: StepState(bool(s["done"]), _time(s["done_at"]), s["note"])
        for s in c.execute("SELECT * FROM procedure_steps WHERE run_id = ?", (run_id,))
    }
    records = tuple(
        StepRecord(
            step_id=r["step_id"],
            type=r["type"],
            summary=r["summary"],
            at=_time(r["at"]) or datetime.now(UTC),
            verdict=Verdict(r["verdict"]) if r["verdict"] else None,
            evidence=tuple(json.loads(r["evidence"] or "[]")),
            done=None if r["done"] is None else bool(r["done"]),
        )
        for r in c.execute("SELECT * FROM procedure_records WHERE run_id = ? ORDER BY id", (run_id,))
    )
    return ProcedureRun(
        id=int(row["id"]),
        procedure_id=row["procedure_id"],
        kind=row["kind"],
        language=row["language"],
        title=row["title"],
        started_at=_time(row["started_at"]) or datetime.now(UTC),
        started_by=row["started_by"],
        current_step=row["current_step"],
        finished_at=_time(row["finished_at"]),
        steps=steps,
        records=records,
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="microseconds") if moment else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
