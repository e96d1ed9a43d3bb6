"""The procedure-run store's contract on SQLite, on moto's DynamoDB over HTTP and on the fake: what a
walkthrough writes comes back, two consoles writing the same run at once lose nothing."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.procedures.checks import Verdict
from kojan_tui.procedures.runs import ProcedureRun, StepRecord, StepState
from kojan_tui.store.database import LazyDatabase
from kojan_tui.store.procedure_runs import SqliteProcedureRuns
from kojan_tui.store.team import DynamoProcedureRuns
from tests.fixtures.aws_seed import fast_settings

T0 = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "dynamodb", "fake"])
async def run_stores(request, tmp_path):
    """Two stores on the same data, as two consoles would open them."""
    if request.param == "sqlite":
        one, two = LazyDatabase(tmp_path / "kojan.sqlite3"), LazyDatabase(tmp_path / "kojan.sqlite3")
        yield SqliteProcedureRuns(one), SqliteProcedureRuns(two)
        await one.close()
        await two.close()
        return
    table = f"kojan-team-{uuid.uuid4().hex[:8]}"
    if request.param == "fake":
        api = FakeGateway()
        await api.dynamodb_create_table(table)
        yield DynamoProcedureRuns(api, table), DynamoProcedureRuns(api, table)
        return
    endpoint = request.getfixturevalue("moto_endpoint")
    one, two = AwsGateway(fast_settings(endpoint)), AwsGateway(fast_settings(endpoint))
    await one.dynamodb_create_table(table)
    yield DynamoProcedureRuns(one, table), DynamoProcedureRuns(two, table)
    await one.close()
    await two.close()


def new_run(procedure_id: str = "s29", kind: str = "checklist") -> ProcedureRun:
    return ProcedureRun(0, procedure_id, kind, "ja", "S29 after a deploy", T0, "arn:aws:iam::1:user/alice", "step-1")


async def test_a_run_round_trips_between_consoles(run_stores):
    mine, theirs = run_stores
    run = await mine.start(new_run())
    await mine.set_step(run.id, "step-1", StepState(True, T0, "looked at the graphs"))
    check = StepRecord("step-2", "check", "5XX below 1 %", T0 + timedelta(seconds=1), Verdict.PASS, ("0.1 %", "0.2 %"))
    await mine.add_record(run.id, check)
    await mine.set_current(run.id, "step-2")
    seen = await theirs.open_run("s29")
    assert seen is not None and seen.id == run.id and seen.current_step == "step-2"
    assert seen.started_by == "arn:aws:iam::1:user/alice" and seen.started_at == T0
    assert seen.steps == {"step-1": StepState(True, T0, "looked at the graphs")}
    assert seen.records == (check,)
    await theirs.finish(run.id, T0 + timedelta(minutes=5))
    assert await mine.open_run("s29") is None
    assert (await mine.load(run.id)).finished_at == T0 + timedelta(minutes=5)
    assert await mine.load(run.id + 100) is None


async def test_runs_are_listed_newest_first_by_kind(run_stores):
    mine, theirs = run_stores
    first = await mine.start(new_run("s29"))
    second = await theirs.start(new_run("s06", kind="runbook"))
    third = await mine.start(new_run("s27"))
    assert len({first.id, second.id, third.id}) == 3
    assert [r.id for r in await theirs.runs("checklist")] == [third.id, first.id]
    assert [r.id for r in await theirs.runs()] == [third.id, second.id, first.id]


async def test_two_consoles_ticking_one_run_at_once_lose_nothing(run_stores):
    mine, theirs = run_stores
    run = await mine.start(new_run())
    ticks = [
        store.set_step(run.id, f"step-{i}", StepState(True, T0 + timedelta(seconds=i), f"by {name}"))
        for i, (store, name) in enumerate([(mine, "alice"), (theirs, "bob")] * 5)
    ]
    marks = [
        store.add_record(run.id, StepRecord(f"step-{i}", "mark", "done", T0, done=True))  # the same moment
        for i, store in enumerate([mine, theirs] * 5)
    ]
    await asyncio.gather(*ticks, *marks)
    seen = await theirs.load(run.id)
    assert sorted(seen.steps) == sorted(f"step-{i}" for i in range(10))
    assert all(state.done for state in seen.steps.values())
    assert sorted(r.step_id for r in seen.records) == sorted(f"step-{i}" for i in range(10))
