"""Old verdicts are never shown as current: a resumed runbook or checklist re-runs its automatic checks on
opening, and a result kept from before this opening reads "was ✓ PASS 12 min ago", dim, until re-run."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.metrics_catalog import ECS_MEMORY
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.checklist import ChecklistScreen, checklists
from kojan_tui.ui.screens.runbook import RunbookScreen, runbooks
from tests.fixtures import builders as b
from tests.ui.harness import alert_fake, quiet_config, until

CONFIG = quiet_config(language="en")


class Clock:
    def __init__(self) -> None:
        self.now = b.NOW

    def __call__(self):
        return self.now


def s09_fake():
    fake = alert_fake()
    fake.metrics["memory"] = replace(fake.metrics[ECS_MEMORY], id="memory")  # the S09 check's own query
    return fake


def app_on(tmp_path, clock: Clock, name: str) -> KojanApp:
    return KojanApp(
        CONFIG,
        s09_fake(),
        clock=clock,
        database=LazyDatabase(tmp_path / "runs.sqlite3"),
        audit=AuditTrail(tmp_path / f"{name}.jsonl"),
    )


def rendered(screen, selector: str):
    return screen.query_one(selector).render()


def spans_at(text, words: str) -> list[str]:
    """The styles applied where ``words`` starts in a rich Text."""
    start = text.plain.index(words)
    return [str(span.style) for span in text.spans if span.start <= start < span.end]


async def test_a_resumed_runbook_rechecks_and_shows_a_kept_result_as_old(tmp_path) -> None:
    clock = Clock()
    app = app_on(tmp_path, clock, "a1")
    async with app.run_test(size=(160, 48)) as pilot:
        procedure = next(p for p in runbooks(app.services) if p.id == "s09-memory-leak")
        app.push_screen(RunbookScreen(app.services, procedure))
        screen = app.screen
        await until(pilot, lambda: screen.runner and screen.runner.run.latest_check("memory-24h"), "the opening check")
        await pilot.press("j", "j", "r")  # memory-after checked by hand (it verifies the action: not automatic)
        await until(pilot, lambda: screen.runner.run.latest_check("memory-after") and not screen.running, "the re-check")
        first_24h = screen.runner.run.latest_check("memory-24h")
        await pilot.press("escape")
        await pilot.pause()
    clock.now = b.NOW + timedelta(minutes=12)
    app2 = app_on(tmp_path, clock, "a2")
    async with app2.run_test(size=(160, 48)) as pilot:
        app2.push_screen(RunbookScreen(app2.services, procedure))
        again = app2.screen
        await until(
            pilot,
            lambda: again.runner and again.runner.run.latest_check("memory-24h").at == clock.now and not again.running,
            "the opening check to run again",
        )
        assert again.runner.resumed and again.runner.run.latest_check("memory-24h") != first_24h
        assert "its automatic checks run again" in str(rendered(again, "#runbook-message"))
        steps = rendered(again, "#runbook-steps")
        kept = again.runner.run.latest_check("memory-after")
        words = f"was {kept.verdict.marker} 12 min ago"
        assert words in steps.plain and "dim" in spans_at(steps, words)
        detail = rendered(again, "#runbook-step")  # the cursor is on memory-after, where the run was left
        assert again.runner.current.id == "memory-after"
        assert words in detail.plain and "before this opening" in detail.plain and "dim" in spans_at(detail, words)
        await pilot.press("r")  # re-run: current again, in its verdict's colour
        await until(pilot, lambda: again.runner.run.latest_check("memory-after").at == clock.now and not again.running)
        assert "was " not in rendered(again, "#runbook-step").plain
        assert "12 min ago" not in rendered(again, "#runbook-steps").plain


async def test_a_resumed_checklist_rechecks_every_automatic_item(tmp_path) -> None:
    clock = Clock()
    app = app_on(tmp_path, clock, "c1")
    async with app.run_test(size=(160, 48)) as pilot:
        procedure = next(p for p in checklists(app.services) if any(s.check for s in p.steps))
        automatic = [s.id for s in procedure.steps if s.check]
        app.push_screen(ChecklistScreen(app.services, procedure))
        screen = app.screen
        await until(
            pilot,
            lambda: screen.runner and all(screen.runner.run.latest_check(i) for i in automatic) and not screen.running,
            "the opening checks",
        )
        await pilot.press("escape")
        await pilot.pause()
    clock.now = b.NOW + timedelta(minutes=30)
    app2 = app_on(tmp_path, clock, "c2")
    async with app2.run_test(size=(160, 48)) as pilot:
        app2.push_screen(ChecklistScreen(app2.services, procedure))
        again = app2.screen
        await until(
            pilot,
            lambda: (
                again.runner and all(again.runner.run.latest_check(i).at == clock.now for i in automatic) and not again.running
            ),
            "every automatic item checked again",
        )
        assert again.runner.resumed and "was " not in rendered(again, "#checklist-items").plain


async def test_s24_never_ticks_a_condition_that_does_not_hold(tmp_path) -> None:
    from tests.ui.harness import healthy_fake, refresh

    app = KojanApp(CONFIG, healthy_fake(), clock=lambda: b.NOW, database=LazyDatabase(tmp_path / "r.sqlite3"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        procedure = next(p for p in runbooks(app.services) if p.id == "s24-emergency")
        app.push_screen(RunbookScreen(app.services, procedure))
        await until(pilot, lambda: app.screen.runner is not None, "the run")
        s25 = rendered(app.screen, "#runbook-s25").plain
        assert "✓" not in s25 and s25.count(": does not hold") == 4, s25
