"""Run by the checklist storage tests: ``tick_checklist.py kill DB`` ticks a few S28 items, prints READY and
waits to be killed; ``tick_checklist.py many DB PREFIX N`` ticks N items of a wide checklist as fast as it can."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from kojan_tui.core.config import Config
from kojan_tui.procedures.checks import CheckContext
from kojan_tui.procedures.library import load_all
from kojan_tui.procedures.loader import load_procedures
from kojan_tui.procedures.models import Kind, Language, Procedure, Step
from kojan_tui.procedures.runner import ProcedureRunner
from kojan_tui.store.database import Database
from kojan_tui.store.procedure_runs import SqliteProcedureRuns

WIDE = Procedure(
    "wide", Kind.CHECKLIST, Language.EN, "Wide", "", tuple(Step(f"{p}-{i}", f"item {p} {i}") for p in "ab" for i in range(100))
)


def clock() -> datetime:
    return datetime(2026, 11, 29, 1, 30, tzinfo=UTC)


async def kill(path: str) -> None:
    load_all()
    s28 = load_procedures([Kind.CHECKLIST], user_dir=None).by_id("s28-before-deploy", "ja")
    database = await Database.open(path)
    runner = await ProcedureRunner.resume_or_start(
        s28, SqliteProcedureRuns(database), CheckContext(None, Config(), clock), started_by="arn:aws:iam::123456789012:user/a"
    )
    await runner.mark("tests-pass", done=True, note="CI #812 green")
    await runner.mark("go-version", done=True)
    await runner.go("docker-build")
    print("READY", runner.run.id, flush=True)
    await asyncio.sleep(600)


async def many(path: str, prefix: str, count: int) -> None:
    database = await Database.open(path)
    runner = await ProcedureRunner.resume_or_start(WIDE, SqliteProcedureRuns(database), CheckContext(None, Config(), clock))
    for i in range(count):
        await runner.mark(f"{prefix}-{i}", done=True, note=f"{prefix} {i}")
    await database.close()
    print("DONE", runner.run.id, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "kill":
        asyncio.run(kill(sys.argv[2]))
    else:
        asyncio.run(many(sys.argv[2], sys.argv[3], int(sys.argv[4])))
