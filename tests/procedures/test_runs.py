"""Walkthroughs written through to SQLite: resume at the same step with the same results, even after kill -9."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kojan_tui.core.config import Config
from kojan_tui.procedures.actions import ActionResult
from kojan_tui.procedures.checks import CheckContext, Verdict
from kojan_tui.procedures.runner import ProcedureRunner
from kojan_tui.store.database import Database
from kojan_tui.store.procedure_runs import SqliteProcedureRuns
from tests.procedures.killed_script import run_until_ready_then_kill
from tests.procedures.walk_and_wait import PROCEDURE

SCRIPT = Path(__file__).with_name("walk_and_wait.py")


def context() -> CheckContext:
    return CheckContext(None, Config(), lambda: datetime(2026, 11, 29, 1, 5, tzinfo=UTC))


async def test_marks_checks_and_actions_survive_a_reopen(tmp_path):
    path = tmp_path / "runs.sqlite3"
    database = await Database.open(path)
    runner = await ProcedureRunner.resume_or_start(PROCEDURE, SqliteProcedureRuns(database), context(), started_by="arn:me")
    assert not runner.resumed and runner.current.id == "one"
    await runner.mark(note="ok")
    await runner.move(5)  # clamps to the last step
    assert runner.current.id == "four"
    await runner.move(-2)
    result = await runner.check()
    assert result is not None and result.verdict is Verdict.WARN
    await runner.record_action("two", ActionResult(False, "not done: read-only", datetime(2026, 11, 29, 1, 6, tzinfo=UTC)))
    await runner.mark("one")  # toggle: undone, keeps its note
    await runner.mark("one", done=True)
    await database.close()

    database = await Database.open(path)
    again = await ProcedureRunner.resume_or_start(PROCEDURE, SqliteProcedureRuns(database), context())
    assert again.resumed and again.run.id == runner.run.id
    assert again.current.id == "two"
    assert again.run.started_by == "arn:me"
    assert again.run.state("one").done and again.run.state("one").note == "ok"
    latest = again.run.latest_check("two")
    assert latest is not None and latest.verdict is Verdict.WARN and latest.evidence == ("evidence line", "second line")
    action = again.run.latest_action("two")
    assert action is not None and action.done is False and action.summary == "not done: read-only"
    assert [r.type for r in again.run.records] == ["mark", "check", "action", "mark", "mark"]
    await again.finish()
    fresh = await ProcedureRunner.resume_or_start(PROCEDURE, SqliteProcedureRuns(database), context())
    assert fresh.run.id != runner.run.id and not fresh.resumed  # a finished run is not resumed
    assert [r.id for r in await SqliteProcedureRuns(database).runs("runbook")] == [fresh.run.id, runner.run.id]
    await database.close()


async def test_a_killed_walkthrough_resumes_at_the_same_step_with_the_same_results(tmp_path):
    path = tmp_path / "runs.sqlite3"
    line = run_until_ready_then_kill(SCRIPT, str(path))

    database = await Database.open(path)
    runner = await ProcedureRunner.resume_or_start(PROCEDURE, SqliteProcedureRuns(database), context())
    assert runner.resumed and runner.run.id == int(line.split()[1])
    assert runner.current.id == "three"
    assert runner.run.state("one").done and runner.run.state("one").note == "looked: fine"
    result = runner.run.latest_check("two")
    assert result is not None and (result.verdict, result.summary) == (Verdict.WARN, "measured 42")
    assert result.at == datetime(2026, 11, 29, 1, 0, tzinfo=UTC)
    await database.close()


async def test_an_action_runs_only_with_the_exact_phrase():
    from kojan_tui.procedures.actions import ActionContext, ActionPlan, ActionSpec, run_action

    calls = []

    async def plan(ctx):
        return ActionPlan("Do it", "svc", {}, "kojan-map-business")

    async def execute(ctx, planned):
        calls.append(planned)
        return ActionResult(True, "done")

    spec = ActionSpec("test.do", "Do it", plan, execute)
    ctx = ActionContext(None, None, Config(), lambda: datetime(2026, 11, 29, tzinfo=UTC))
    planned = await spec.plan(ctx)
    refused = await run_action(planned, "kojan-map", spec, ctx)
    assert not refused.done and "type 'kojan-map-business' exactly" in refused.summary and calls == []
    done = await run_action(planned, "kojan-map-business", spec, ctx)
    assert done.done and done.at == datetime(2026, 11, 29, tzinfo=UTC) and len(calls) == 1
