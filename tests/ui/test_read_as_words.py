"""Numbers read as numbers on the screens on the way to an action: the S25 banner, an incident's timeline and its
Markdown report, and a runbook action's confirmation hold no Python repr (``LogCount(5, complete=True)``,
``forceNewDeployment = True``)."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.incidents import markdown_report
from kojan_tui.core.metrics_catalog import ECS_MEMORY
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.screens.incident import recorder_of
from kojan_tui.ui.screens.runbook import RunbookScreen, runbooks
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from kojan_tui.ui.widgets.rollback_banner import RollbackBanner
from tests.python_shapes import assert_reads_as_words
from tests.ui.harness import alert_fake, healthy_fake, make_app, plain, quiet_config, refresh, until
from tests.ui.test_dashboard import s25_world
from tests.ui.test_incident import incident_config
from tests.ui.test_rollback_screen import text_of


async def test_the_s25_banner_and_an_incident_timeline_and_report_read_as_words(tmp_path) -> None:
    fake = healthy_fake()
    app = make_app(fake, config=incident_config(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        await pilot.press("i", "n")  # an incident open, then S25 holds
        recorder = recorder_of(app.services)
        await until(pilot, lambda: recorder.current is not None, "the incident")
        await pilot.press("escape")
        broken = s25_world("db_connection")  # the S25 reason carries the count of "database connection" lines
        fake.metrics, fake.log_events = broken.metrics, broken.log_events
        await refresh(app, pilot)
        banner = plain(app.screen.query_one(RollbackBanner).render())
        assert '"database connection" errors' in banner
        assert_reads_as_words(banner, "the S25 banner")
        await recorder.flush()
        record = await recorder.store.get(recorder.current)
        texts = [entry.text for entry in record.timeline]
        assert any('"database connection" errors' in text for text in texts), texts
        for text in texts:
            assert_reads_as_words(text, "the incident timeline")
        assert_reads_as_words(markdown_report(record), "the incident report")


async def test_a_runbook_action_confirmation_shows_its_request_as_json(tmp_path) -> None:
    fake = alert_fake()
    fake.metrics["memory"] = replace(fake.metrics[ECS_MEMORY], id="memory")
    config = quiet_config(language="en")
    app = make_app(fake, config, database=LazyDatabase(tmp_path / "r.sqlite3"), audit=AuditTrail(tmp_path / "a.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        procedure = next(p for p in runbooks(app.services) if p.id == "s09-memory-leak")
        app.push_screen(RunbookScreen(app.services, procedure))
        screen = app.screen
        await until(pilot, lambda: screen.runner is not None and not screen.running, "the run")
        await pilot.press("j", "a")  # the restart step: force a new deployment
        await until(pilot, lambda: isinstance(app.screen, ConfirmationDialog), "the confirmation")
        what = text_of(app.screen.query_one("#confirm-what"))
        assert '"forceNewDeployment": true' in what
        assert_reads_as_words(what, "the forced-deployment confirmation")
