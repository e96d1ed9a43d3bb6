"""Mutation lifecycles in SQLite: every step is written through, and a new ``Lifecycles`` on the same file
(the next start) finds what was left unfinished and settles it: an unconfirmed one is closed as cancelled, a
watched export is watched again to its final record; finished ones are left alone."""

from __future__ import annotations

import asyncio

from kojan_tui.actions.audited import AuditedActions, ExportRequest, ParameterChangeRequest
from kojan_tui.actions.lifecycle import Lifecycles, Stage
from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.store.database import Database
from kojan_tui.store.mutations import SqliteMutations

EXPORT = ExportRequest("/ecs/kojan-map-business", "kojan-map-log-archive", "ecs/kojan-map-business/2026-10", 0, 1, "t")


def lifecycles_on(fake: FakeGateway, store: SqliteMutations, trail: AuditTrail) -> Lifecycles:
    return Lifecycles(AuditedActions(fake, trail), store=store, export_interval_s=0.01)


async def test_each_step_is_saved_and_the_next_start_settles_what_was_left(tmp_path) -> None:
    fake = FakeGateway()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    path = tmp_path / "kojan.sqlite3"
    database = await Database.open(path)
    store = SqliteMutations(database)
    first = lifecycles_on(fake, store, trail)
    left_open = await first.open(ParameterChangeRequest("pg", "slow_query_log", "1"))  # the dialog was open
    cancelled = await first.open(ParameterChangeRequest("pg", "slow_query_log", "1"))
    await cancelled.cancel()
    export = await first.open(EXPORT)
    assert (await export.send()).done and export.stage is Stage.WATCHING
    saved = await store.get(export.request.id)
    assert saved.stage is Stage.WATCHING and saved.watch == {"task_id": fake.export_tasks[0].id} and saved.sent_at
    assert (await store.get(cancelled.request.id)).final == "cancelled"
    await first.close()  # the process ends here (the export watch with it)
    await database.close()

    database = await Database.open(path)  # the next start
    store = SqliteMutations(database)
    assert {r.id for r in await store.unfinished()} == {left_open.request.id, export.request.id}
    second = lifecycles_on(fake, store, trail)
    resumed = await second.resume()
    assert {lc.request.id for lc in resumed} == {left_open.request.id, export.request.id}
    assert {lc.describe for lc in resumed} >= {
        "archive-logs s3://kojan-map-log-archive/ecs/kojan-map-business/2026-10 (watching)"
    }
    fake.advance_export(fake.export_tasks[0].id, "COMPLETED")
    again = second.lifecycles[export.request.id]
    assert await asyncio.wait_for(again.wait(), 10) == "export completed"
    assert await asyncio.wait_for(second.lifecycles[left_open.request.id].wait(), 10) == (
        "cancelled: the app ended before it was confirmed"
    )
    assert await store.unfinished() == []
    await database.close()
    assert len(fake.export_tasks) == 1  # watched again, never started again
    by_request = [e["outcome"] for e in trail.entries() if e["details"]["request_id"] == export.request.id]
    assert by_request == ["requested", "confirmed", "succeeded", "watch resumed after a restart", "export completed"]


async def test_a_bug_after_the_request_may_have_left_is_unknown_and_read_back_never_stuck(tmp_path) -> None:
    from dataclasses import replace

    from kojan_tui.actions.audited import DeployRequest
    from tests.fixtures import builders as b

    fake = FakeGateway()
    fake.service = b.service()
    fake.failures["update_service"] = RuntimeError("a converter bug")
    trail = AuditTrail(tmp_path / "audit.jsonl")
    lifecycles = Lifecycles(AuditedActions(fake, trail), read_back_interval_s=0.01)
    request = DeployRequest("kojan-map-production", "kojan-map-business", "force-new-deployment", force_new_deployment=True)
    lifecycle = await lifecycles.open(request)
    outcome = await lifecycle.send()
    assert outcome.resolved is not None and not outcome.done and "no new deployment" in outcome.summary
    assert [e["outcome"] for e in trail.entries()] == ["requested", "confirmed", "unknown: internal error", "resolved: not done"]
    assert lifecycle.stage is Stage.FINISHED and lifecycles.deploy_blocked() is None  # the guard is free again
    del fake.failures["update_service"]
    second = await lifecycles.open(replace(request, id="second"))
    assert (await second.send()).done
