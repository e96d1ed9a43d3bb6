"""Run by test_resume_after_kill: walk a procedure, print READY, then wait to be killed (SIGKILL)."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from kojan_tui.core.config import Config
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check
from kojan_tui.procedures.models import Kind, Language, Procedure, Step
from kojan_tui.procedures.runner import ProcedureRunner
from kojan_tui.store.database import Database
from kojan_tui.store.procedure_runs import SqliteProcedureRuns

PROCEDURE = Procedure(
    "killme",
    Kind.RUNBOOK,
    Language.EN,
    "Kill me",
    "",
    (Step("one", "first"), Step("two", "second", check="test.counted"), Step("three", "third"), Step("four", "fourth")),
)


@check("test.counted", "a check that says how often it ran")
async def counted(ctx: CheckContext) -> CheckResult:
    return CheckResult(Verdict.WARN, "measured 42", ("evidence line", "second line"))


def clock() -> datetime:
    return datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


async def main(path: str) -> None:
    database = await Database.open(path)
    runner = await ProcedureRunner.resume_or_start(PROCEDURE, SqliteProcedureRuns(database), CheckContext(None, Config(), clock))
    await runner.mark("one", note="looked: fine")
    await runner.move(1)
    await runner.check()
    await runner.move(1)
    print("READY", runner.run.id, flush=True)
    await asyncio.sleep(600)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
