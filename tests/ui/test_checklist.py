"""The checklist screen on the fake gateway: palette entries and key k, walking S21 by keyboard (tick, note,
Markdown written to a new 0600 file), resuming in a new app, S27's archive behind the typed confirmation and
watched to COMPLETED, refused read-only, and S29's timer failing on an alert fired while it runs."""

from __future__ import annotations

import stat
from dataclasses import replace

from textual.command import CommandPalette

from kojan_tui.core.alerts import Alert
from kojan_tui.core.archive import last_month
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.events import AlertFired
from kojan_tui.core.incidents import TimelineEntry
from kojan_tui.core.levels import Level
from kojan_tui.procedures.activity import ProcedureActivity
from kojan_tui.procedures.checks import Verdict
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.screens.checklist import CHECKLISTS, ChecklistScreen, checklists
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, quiet_config, until


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def open_screen(app, pilot, procedure_id: str) -> ChecklistScreen:
    procedure = next(p for p in checklists(app.services) if p.id == procedure_id)
    app.push_screen(ChecklistScreen(app.services, procedure))
    await until(pilot, lambda: isinstance(app.screen, ChecklistScreen) and app.screen.runner is not None, "the run")
    screen = app.screen
    await until(
        pilot,
        lambda: not screen.running and all(screen.runner.run.latest_check(s.id) for s in procedure.steps if s.check),
        "checks",
    )
    return screen


def config(**checklists):
    base = quiet_config(language="en")
    actions = replace(base.actions, watch_seconds=0.1)
    return replace(base, actions=actions, checklists=replace(base.checklists, **checklists))


async def test_palette_lists_every_checklist_and_k_opens_the_picker(tmp_path):
    app = make_app(config=config(), database=LazyDatabase(None), audit=AuditTrail(tmp_path / "a.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        titles = [c.title for c in CHECKLISTS.commands(app)]
        assert len(titles) == 11 and "Checklist: S29 After a production deploy" in titles
        assert "Checklist: S27 Start of month" in titles
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_walk_s21_by_keyboard_write_markdown_and_resume(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "runs.sqlite3"
    app = make_app(config=config(), database=LazyDatabase(database), audit=AuditTrail(tmp_path / "a.jsonl"))
    seen: list[TimelineEntry] = []
    async with app.run_test(size=(160, 48)) as pilot:
        app.services.events.subscribe(ProcedureActivity, lambda e: seen.append(e.timeline_entry()))
        screen = await open_screen(app, pilot, "s21-release-docs")
        await pilot.press("space")
        await pilot.press("n", *"v1.6.0 | [b]bold[/b]", "enter")
        await pilot.press("j", "down", "space", "k")
        await pilot.pause()
        run = screen.runner.run
        assert run.state("changelog").done and run.state("changelog").note == "v1.6.0 | [b]bold[/b]"
        assert run.state("test-list").done and screen.runner.current.id == "readme"
        assert "2/4 done" in text_of(screen, "#checklist-head")
        assert run.started_by == "arn:aws:iam::123456789012:user/oncall" and run.started_at == b.NOW
        assert "run by arn:aws:iam::123456789012:user/oncall" in text_of(screen, "#checklist-head")
        items = text_of(screen, "#checklist-items")
        assert "  [x]   manual  ✎ Update the CHANGELOG" in items and "▶ [ ]   manual    Update README.md" in items
        await pilot.press("w")
        await pilot.pause()
        written = list(tmp_path.glob("checklist-s21-release-docs-run*.md"))
        assert len(written) == 1 and stat.S_IMODE(written[0].stat().st_mode) == 0o600
        assert f"written to {written[0]}" in text_of(screen, "#checklist-message")
        markdown = written[0].read_text(encoding="utf-8")
        assert "- [x] Update the CHANGELOG" in markdown and "note: v1.6.0 \\| [b]bold[/b]" in markdown
        await pilot.press("w")
        await pilot.pause()
        assert len(list(tmp_path.glob("checklist-s21-*.md"))) == 2  # a second export never overwrites the first
        assert [e.kind for e in seen][:2] == ["step", "step"] and "S21 Release documents: changelog ticked" in seen[1].text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ChecklistScreen)
    again = make_app(config=config(), database=LazyDatabase(database), audit=AuditTrail(tmp_path / "b.jsonl"))
    notes: list[str] = []
    again.notify = lambda message, **kw: notes.append(str(message))  # the start-up reminder of the open run
    async with again.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: any("S21 Release documents" in n for n in notes), "the reminder")
        assert any("open since 2026" in n and "k resumes it" in n for n in notes)
        screen = await open_screen(again, pilot, "s21-release-docs")
        assert screen.runner.resumed and screen.runner.current.id == "readme"
        assert screen.runner.run.state("changelog").note == "v1.6.0 | [b]bold[/b]"
        assert "resumed the run" in text_of(screen, "#checklist-message")


async def test_s27_archive_behind_the_typed_confirmation_watched_to_completed(tmp_path):
    fake = healthy_fake()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_app(fake, config=config(), database=LazyDatabase(None), audit=trail)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_screen(app, pilot, "s27-start-of-month")
        latest = screen.runner.run.latest_check("archive-logs")
        assert latest.verdict is Verdict.FAIL and "is not archived" in latest.summary
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmationDialog), "the confirmation")
        await pilot.press(*"kojan-map-log-archiv", "enter")  # a near miss sends nothing
        await pilot.pause()
        assert fake.export_tasks == [] and isinstance(app.screen, ConfirmationDialog)
        await pilot.press("e", "enter")
        await until(pilot, lambda: len(fake.export_tasks) == 1, "the export task")
        task = fake.export_tasks[0]
        start, end = last_month(b.NOW)
        assert task.prefix == f"ecs/kojan-map-business/{start:%Y-%m}" and task.covers(start, end)
        await until(pilot, lambda: isinstance(app.screen, ChecklistScreen), "back on the checklist")
        assert "watching it until it ends" in text_of(screen, "#checklist-message")
        fake.advance_export(task.id, "COMPLETED", "Completed successfully")
        await until(pilot, lambda: (c := screen.runner.run.latest_check("archive-logs")) and c.verdict is Verdict.PASS, "PASS")
        actions = [r.summary for r in screen.runner.run.records if r.type == "action"]
        assert actions[0].startswith("archive: export task") and "COMPLETED" in actions[1]
        outcomes = [e["outcome"] for e in trail.entries()]
        assert outcomes == ["requested", "confirmed", "succeeded", "export completed"]


async def test_leaving_the_checklist_does_not_stop_the_s27_export_watch(tmp_path):
    fake = healthy_fake()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_app(fake, config=config(), database=LazyDatabase(None), audit=trail)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_screen(app, pilot, "s27-start-of-month")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmationDialog), "the confirmation")
        await pilot.press(*"kojan-map-log-archive", "enter")
        await until(pilot, lambda: isinstance(app.screen, ChecklistScreen), "back on the checklist")
        await pilot.press("escape")  # leave the checklist while the export runs
        await until(pilot, lambda: not isinstance(app.screen, ChecklistScreen), "the checklist closed")
        task = fake.export_tasks[0]
        fake.advance_export(task.id, "COMPLETED", "Completed successfully")
        await until(pilot, lambda: trail.entries()[-1]["outcome"] == "export completed", "the export's final record")
        assert trail.entries()[-1]["details"]["task_id"] == task.id
        assert app.services.lifecycles.unfinished() == []


async def test_s27_archive_is_refused_read_only(tmp_path):
    fake = healthy_fake()
    fake.read_only = True
    base = config()
    app = make_app(
        fake,
        config=replace(base, ui=replace(base.ui, read_only=True)),
        database=LazyDatabase(None),
        audit=AuditTrail(tmp_path / "a.jsonl"),
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await open_screen(app, pilot, "s27-start-of-month")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmationDialog), "the confirmation")
        dialog = app.screen
        assert dialog.disabled
        await pilot.press(*"kojan-map-log-archive", "enter")
        await pilot.pause()
        assert fake.export_tasks == [] and dialog.runs == 0


async def test_s29_timer_runs_and_fails_on_an_alert_fired_while_it_runs(tmp_path):
    app = make_app(config=config(stability_minutes=30), database=LazyDatabase(None), audit=AuditTrail(tmp_path / "a.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_screen(app, pilot, "s29-after-deploy")
        timer = screen.runner.run.latest_check("stable")
        assert timer.verdict is Verdict.WARN and timer.summary.startswith("timer running: 0:00 of 30:00")
        assert "⏱ 30:00" in text_of(screen, "#checklist-items")
        alert = Alert("ecs_cpu_percent", "ECS CPU", Level.ALERT, "97.0 %", "consider scaling", b.NOW)
        app.services.events.publish(AlertFired(alert, b.NOW))
        for _ in range(100):
            await pilot.pause(0.02)
            loaded = await screen.store.load(screen.runner.run.id)
            if any(r.type == "alert" for r in loaded.records):
                break
        assert [r.summary for r in loaded.records if r.type == "alert"] == ["ECS CPU: 97.0 %"]
        await pilot.press(*["j"] * 4, "r")
        await until(pilot, lambda: screen.runner.run.latest_check("stable").verdict is Verdict.FAIL, "FAIL")
        assert "ECS CPU: 97.0 %" in screen.runner.run.latest_check("stable").summary
