"""What a table cuts opens in full: Enter on an audit record, v on an error summary row (Enter there filters
the logs). The text is shown literally (never markup)."""

from __future__ import annotations

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.models import InsightsResult
from kojan_tui.ui.screens.audit_trail import AuditTrailScreen, open_audit_trail
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.screens.error_summary import ErrorSummaryScreen
from tests.ui.harness import healthy_fake, make_screen_app, plain, quiet_config, until
from tests.ui.test_logs_in_app import events

LONG = "ERROR upstream failed: " + "x" * 700 + " [link=http://evil]click[/link] END-OF-LINE"


async def test_enter_on_an_audit_record_opens_it_in_full(tmp_path) -> None:
    trail = AuditTrail(tmp_path / "audit.jsonl")
    trail.record("rollback", "c/s", "failed: access denied", "arn:aws:iam::1:user/me", {"error": LONG})
    app = make_screen_app(config=quiet_config(), audit=trail)
    async with app.run_test(size=(120, 36)) as pilot:
        open_audit_trail(app)
        await until(pilot, lambda: isinstance(app.screen, AuditTrailScreen), "the audit trail")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TextDetailScreen), "the record in full")
        shown = plain(app.screen.query_one("#detail-text").render())
        assert "END-OF-LINE" in shown and "[link=http://evil]click[/link]" in shown  # whole, and literal
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AuditTrailScreen), "back on the trail")


async def test_v_on_an_error_summary_row_opens_its_example_in_full() -> None:
    fake = healthy_fake()
    fake.log_events = events(LONG)
    row = {"@timestamp": "2026-11-28 11:59:00.000", "@message": LONG}
    fake.insights = InsightsResult(status="Complete", rows=(row,))
    app = make_screen_app(fake)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ErrorSummaryScreen) and app.screen.groups, "the summary")
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, TextDetailScreen), "the example in full")
        assert "END-OF-LINE" in plain(app.screen.query_one("#detail-text").render())


async def test_v_opens_the_service_events_in_full() -> None:
    from dataclasses import replace

    from kojan_tui.core.models import ServiceEvent
    from tests.fixtures import builders as b
    from tests.ui.harness import refresh

    fake = healthy_fake()
    fake.service = replace(b.service(), events=(ServiceEvent("e1", b.NOW, LONG),))
    app = make_screen_app(fake, quiet_config(language="en"))  # asserts the English text
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, TextDetailScreen), "the service events")
        shown = plain(app.screen.query_one("#detail-text").render())
        assert "END-OF-LINE" in shown and "Deployments" in shown and "PRIMARY" in shown
        assert "Service events" in [title for title, _help, _cb in app.palette_commands()]
