"""Background work cannot crash a screen: any exception from the gateway becomes an error line, the app keeps running."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from kojan_tui.core.models import InsightsResult
from kojan_tui.ui.screens.error_summary import ErrorSummaryScreen, summary_rows
from kojan_tui.ui.screens.logs import LogScreen
from tests.ui.logs.test_log_screen import MESSAGES, settle, setup, shown


async def test_error_summary_turns_a_plain_exception_into_an_error_line(tmp_path):
    gateway, feed, app = setup(tmp_path)
    gateway.failures["run_insights_query"] = RuntimeError("boom [b]not markup[/b]")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        summary = app.screen
        assert isinstance(summary, ErrorSummaryScreen)  # still open, app still running
        assert app.is_running
        progress = str(summary.query_one("#summary-progress").render())
        assert "internal error: RuntimeError: boom [b]not markup[/b]" in progress
        assert summary.query_one("#summary-progress").has_class("-failed")
        assert not summary.running
        # the screen still works: the next run succeeds
        del gateway.failures["run_insights_query"]
        gateway.insights = InsightsResult(status="Complete", rows=({"@message": "ERROR x", "count()": "2"},))
        await pilot.press("r")
        await settle(app, pilot)
        assert summary.query_one(DataTable).row_count == 1


async def test_log_filter_turns_a_plain_exception_into_an_error_line(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await feed.poll()
        await pilot.pause()
        gateway.failures["filter_log_events"] = RuntimeError("socket exploded")
        await pilot.press("slash")
        app.screen.query_one("#log-prompt", Input).value = "ERROR"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, LogScreen)
        error = str(app.screen.query_one("#log-prompt-error").render())
        assert "internal error: RuntimeError: socket exploded" in error and "still filtering on: nothing" in error
        assert feed.pattern == "" and len(shown(app)) == len(MESSAGES)  # nothing lost
        del gateway.failures["filter_log_events"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert feed.pattern == "ERROR" and len(shown(app)) == 2


def test_summary_rows_survive_odd_counts_and_messages():
    result = InsightsResult(
        status="Complete",
        rows=(
            {"@message": "a", "count()": "nan"},
            {"@message": "b", "count()": "inf"},
            {"@message": "c", "count()": "1e999"},
            {"@message": "d", "count()": None},
            {"@message": None, "count()": "3"},
            {"@message": "e", "count()": "4"},
        ),
    )
    assert summary_rows(result) == [(4, "e"), (0, "a"), (0, "b"), (0, "c"), (0, "d")]
