"""The runbook screen on the fake gateway: Enter on a breached panel opens its runbook; keys walk it; the run
is kept in SQLite and resumes; S24 shows stage clocks and publishes EmergencyStarted; palette entries."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.events import EmergencyStarted
from kojan_tui.core.metrics_catalog import ECS_MEMORY
from kojan_tui.procedures.activity import ProcedureActivity
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.screens.rollback import RollbackScreen
from kojan_tui.ui.screens.runbook import RunbookScreen, runbooks
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from tests.ui.harness import alert_fake, make_app, make_screen_app, quiet_config, refresh


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def wait_checks(app, pilot, screen) -> None:
    for _ in range(100):
        await pilot.pause(0.05)
        if (
            screen.runner is not None
            and not screen.running
            and all(screen.runner.run.latest_check(s.id) for s in screen.procedure.auto_checked())
        ):
            return
    raise AssertionError("checks did not finish")


async def test_enter_on_the_breached_memory_panel_opens_s09_and_the_walk_is_kept(tmp_path):
    database = LazyDatabase(tmp_path / "runs.sqlite3")
    config = quiet_config(language="en")
    fake = alert_fake()
    fake.metrics["memory"] = replace(fake.metrics[ECS_MEMORY], id="memory")  # the S09 check's own query (24 h, 5 min)
    app = make_app(fake, config=config, database=database, audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        memory = next(p for p in app.screen.query(MetricPanel) if p.spec.key == "ecs_memory_percent")
        activity: list[ProcedureActivity] = []
        app.services.events.subscribe(ProcedureActivity, activity.append)
        memory.focus()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunbookScreen) and screen.procedure.id == "s09-memory-leak"
        await wait_checks(app, pilot, screen)
        steps = text_of(screen, "#runbook-steps")
        assert "1. ECS MemoryUtilization" in steps and "⚡action" in steps
        assert "✖ FAIL" in steps  # memory at its alert level in the fake's bad hour
        assert screen.runner.run.latest_check("memory-after") is None  # verifies the action: run with r after it
        await pilot.press("space", "j", "j")  # first step done, on to "memory-after"
        await pilot.press("n", *"looked at it", "enter")
        await pilot.pause()
        assert screen.runner.current.id == "memory-after"
        assert screen.runner.run.state("memory-after").note == "looked at it"
        assert "[x] 1." in text_of(screen, "#runbook-steps")
        assert [(a.kind, a.text.split(":")[0]) for a in activity] == [
            ("check", "memory-24h"),
            ("step", "memory-24h done"),
            ("step", "memory-after note"),
        ]
        assert activity[0].timeline_entry().text.startswith("S09 Memory leak: memory-24h: ✖ FAIL")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RunbookScreen)
    app2 = make_app(
        alert_fake(), config=config, database=LazyDatabase(tmp_path / "runs.sqlite3"), audit=AuditTrail(tmp_path / "a2.jsonl")
    )
    async with app2.run_test(size=(160, 48)) as pilot:
        procedure = next(p for p in runbooks(app2.services) if p.id == "s09-memory-leak")
        app2.push_screen(RunbookScreen(app2.services, procedure))
        for _ in range(50):
            await pilot.pause(0.05)
            if app2.screen.runner is not None:
                break
        again = app2.screen
        assert again.runner.resumed and again.runner.current.id == "memory-after"
        assert again.runner.run.state("memory-after").done is False
        assert again.runner.run.state("memory-24h").done
        assert "resumed the run" in text_of(again, "#runbook-message")


async def test_the_palette_lists_every_runbook_in_the_configured_language(tmp_path):
    for language, title in (("en", "Runbook: S09 Memory leak"), ("ja", "Runbook: S09 メモリリーク")):
        app = make_screen_app(
            config=quiet_config(language=language), database=LazyDatabase(None), audit=AuditTrail(tmp_path / "a.jsonl")
        )
        async with app.run_test(size=(120, 40)):
            from kojan_tui.ui.registry import CAPABILITIES

            titles = [c.title for cap in CAPABILITIES if cap.name == "runbook" for c in cap.commands(app)]
            assert title in titles and len([t for t in titles if t.startswith("Runbook: ")]) == 5


async def test_s24_publishes_emergency_started_once_and_shows_stage_clocks(tmp_path):
    database = LazyDatabase(tmp_path / "runs.sqlite3")
    app = make_screen_app(
        alert_fake(), config=quiet_config(language="en"), database=database, audit=AuditTrail(tmp_path / "a.jsonl")
    )
    started: list[EmergencyStarted] = []
    async with app.run_test(size=(160, 48)) as pilot:
        app.services.events.subscribe(EmergencyStarted, started.append)
        await refresh(app, pilot)
        procedure = next(p for p in runbooks(app.services) if p.id == "s24-emergency")
        for _ in range(2):  # the second opening resumes: no second emergency
            app.push_screen(RunbookScreen(app.services, procedure))
            await wait_checks(app, pilot, app.screen)
            steps = text_of(app.screen, "#runbook-steps")
            assert "⏱ 0:00 / 5:00" in steps and "— / 10:00" in steps
            s25 = text_of(app.screen, "#runbook-s25")
            assert "S25 roll back at once" in s25 and "every API call answers 500" in s25
            await pilot.press("b")  # the rollback screen, on top of the walkthrough
            await pilot.pause()
            assert isinstance(app.screen, RollbackScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, RunbookScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, RunbookScreen)
        assert len(started) == 1 and started[0].title.startswith("S24")


async def test_a_broken_user_runbook_is_reported_and_the_others_load(tmp_path, monkeypatch):
    user = tmp_path / "config" / "kojan-tui" / "runbooks"
    user.mkdir(parents=True)
    (user / "mine.toml").write_text(
        'id = "mine"\nkind = "runbook"\nlanguage = "en"\ntitle = "Mine"\n[[steps]]\nid = "a"\ntext = "x"\ncheck = "nope"\n'
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = make_screen_app(
        config=replace(quiet_config(language="en")), database=LazyDatabase(None), audit=AuditTrail(tmp_path / "a.jsonl")
    )
    notes = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert len(runbooks(app.services)) == 5
    assert any("mine.toml: steps[1].check: unknown check 'nope'" in n for n in notes), notes
