"""Checklist runs in SQLite: a run killed with SIGKILL resumes with every tick; two processes ticking the same
run at once lose nothing and leave the database intact; the schema version counts the named migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kojan_tui.core.config import Config
from kojan_tui.procedures.checks import CheckContext
from kojan_tui.procedures.loader import load_procedures
from kojan_tui.procedures.models import Kind
from kojan_tui.procedures.runner import ProcedureRunner
from kojan_tui.store.database import MIGRATIONS, Database
from kojan_tui.store.procedure_runs import SqliteProcedureRuns
from tests.procedures.killed_script import run_until_ready_then_kill, start_script
from tests.procedures.tick_checklist import WIDE, clock

SCRIPT = Path(__file__).with_name("tick_checklist.py")


async def test_a_checklist_run_killed_with_sigkill_resumes_with_every_tick(tmp_path):
    path = tmp_path / "kojan.sqlite3"
    line = run_until_ready_then_kill(SCRIPT, "kill", str(path))
    s28 = load_procedures([Kind.CHECKLIST], user_dir=None).by_id("s28-before-deploy", "ja")
    database = await Database.open(path)
    runner = await ProcedureRunner.resume_or_start(s28, SqliteProcedureRuns(database), CheckContext(None, Config(), clock))
    assert runner.resumed and runner.run.id == int(line.split()[1])
    assert runner.current.id == "docker-build"
    assert runner.run.started_by == "arn:aws:iam::123456789012:user/a"
    assert runner.run.state("tests-pass").done and runner.run.state("tests-pass").note == "CI #812 green"
    assert runner.run.state("go-version").done and not runner.run.state("docker-build").done
    assert [r.type for r in runner.run.records] == ["mark", "mark"]
    assert database.schema_version() == len(MIGRATIONS)
    await database.close()


async def test_two_processes_ticking_one_run_at_once_lose_nothing(tmp_path):
    path = tmp_path / "kojan.sqlite3"
    database = await Database.open(path)  # the run exists before both start, as when two app instances resume it
    run = (await ProcedureRunner.resume_or_start(WIDE, SqliteProcedureRuns(database), CheckContext(None, Config(), clock))).run
    await database.close()
    children = [start_script(SCRIPT, "many", str(path), prefix, "100") for prefix in "ab"]
    outputs = []
    for child in children:
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 0, out
        outputs.append(out)
    assert all(out.startswith(f"DONE {run.id}") for out in outputs)
    database = await Database.open(path)
    loaded = await SqliteProcedureRuns(database).load(run.id)
    assert all(loaded.state(step.id).done for step in WIDE.steps)
    assert loaded.state("a-42").note == "a 42" and loaded.state("b-99").note == "b 99"
    assert len(loaded.records) == 200
    await database.close()
    with sqlite3.connect(path) as probe:
        assert probe.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert probe.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
