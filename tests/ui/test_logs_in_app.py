"""The log feed wired into the app: the dashboard pane follows it, `l` and `e` reach the log screens."""

from __future__ import annotations

from kojan_tui.core.models import InsightsResult, LogEvent
from kojan_tui.ui.screens.dashboard import DashboardScreen
from kojan_tui.ui.screens.error_summary import ErrorSummaryScreen
from kojan_tui.ui.screens.logs import LogScreen
from kojan_tui.ui.widgets.log_pane import LogPane
from kojan_tui.ui.widgets.log_view import LogView
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, refresh

NOW_MS = int(b.NOW.timestamp() * 1000)


def events(*messages: str) -> list[LogEvent]:
    return [LogEvent(f"ev{i}", NOW_MS - 60_000 + i, "ecs/business/task1", m) for i, m in enumerate(messages)]


def pane_lines(app) -> list[str]:
    view = app.screen.query_one(LogPane).query_one(LogView)
    return [line.raw for line in view.buffer.window(view.buffer.first_index, view.buffer.appended)]


async def test_dashboard_log_pane_follows_the_app_feed_on_its_own_source():
    fake = healthy_fake()
    fake.log_events = events("INFO GET /api/spots 200", "ERROR database connection refused")
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot, ["logs"])
        assert isinstance(app.screen, DashboardScreen)
        assert pane_lines(app) == ["INFO GET /api/spots 200", "ERROR database connection refused"]
        metric_calls = fake.calls["get_metric_data"]
        fake.log_events += [LogEvent("ev-new", NOW_MS - 1000, "ecs/business/task2", "WARN slow query 1200ms")]
        await refresh(app, pilot, ["logs"])
        assert pane_lines(app)[-1] == "WARN slow query 1200ms"
        assert len(pane_lines(app)) == 3  # nothing twice
        assert fake.calls["get_metric_data"] == metric_calls  # a log poll costs no metrics call


async def test_l_opens_the_full_log_view_on_the_same_buffer_and_escape_returns():
    fake = healthy_fake()
    fake.log_events = events("INFO one", "INFO two")
    app = make_app(fake)
    async with app.run_test(size=(120, 36)) as pilot:
        # The feed's own 2 s poll would count here too on a loaded machine (pressing `l` can take longer):
        # after this refresh the next timed poll is an hour away, so any call below is one the view made.
        app.poller.set_interval("logs", 3600)
        await refresh(app, pilot, ["logs"])
        calls = fake.calls["filter_log_events"]
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        assert app.screen.feed is app.log_feed
        assert fake.calls["filter_log_events"] == calls  # opening the view re-fetches nothing
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_e_runs_the_error_summary_and_a_row_filters_the_log_view():
    fake = healthy_fake()
    fake.log_events = events("INFO fine", "ERROR invalid token: expired", "ERROR invalid token: expired")
    row = {"@timestamp": "2026-11-28 11:59:00.000", "@message": "ERROR invalid token: expired"}
    fake.insights = InsightsResult(status="Complete", rows=(row, row))
    app = make_app(fake)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        for _ in range(20):
            await pilot.pause(0.05)
            if isinstance(app.screen, ErrorSummaryScreen) and app.screen.groups:
                break
        assert isinstance(app.screen, ErrorSummaryScreen)
        assert fake.calls["run_insights_query"] == 1
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause(0.05)
            if app.log_feed.pattern:
                break
        assert isinstance(app.screen, LogScreen)
        assert app.log_feed.pattern == '"ERROR invalid token: expired"'


async def test_logs_are_in_help_and_in_the_palette():
    app = make_app()
    async with app.run_test(size=(120, 36)):
        keys = dict((desc.split(" — ")[0], key) for key, desc in app.key_list())
        assert keys["Logs"] == "l" and keys["Error summary"] == "e"
        titles = [title for title, _help, _cb in app.palette_commands()]
        assert "Logs" in titles and "Error summary (S05)" in titles


async def test_a_log_poll_that_hit_its_page_limit_polls_again_at_once():
    fake = healthy_fake()
    fake.page_size = 5  # the feed reads at most 5 pages a poll: 25 events
    fake.log_events = [LogEvent(f"ev{i:03}", NOW_MS - 100_000 + i, "ecs/business/task1", f"INFO line {i}") for i in range(60)]
    app = make_app(fake)  # logs_seconds is 2 s: without catching up, 60 events would take three intervals
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(40):
            await pilot.pause(0.02)
            if len(pane_lines(app)) == 60:
                break
        assert len(pane_lines(app)) == 60
        assert pane_lines(app)[-1] == "INFO line 59"
        assert not app.log_feed.behind


async def test_log_time_column_is_readable_in_every_theme():
    fake = healthy_fake()
    fake.log_events = events("INFO one")
    app = make_app(fake)
    async with app.run_test(size=(120, 36)) as pilot:
        view = app.screen.query_one(LogPane).query_one(LogView)
        for theme in app.kojan_themes:
            app.theme = theme
            await pilot.pause()
            time_style = view._row_style("log-view--time", None)
            assert time_style.color is not None and time_style.bgcolor is not None
            fg, bg = time_style.color.get_truecolor(), time_style.bgcolor.get_truecolor()
            contrast = sum(abs(a - b) for a, b in zip(fg, bg))
            assert contrast > 150, f"{theme}: time column {fg} on {bg}"


async def test_the_log_view_keeps_the_context_line_read_only_and_demo_badges():
    from dataclasses import replace

    from kojan_tui.ui.widgets.context_bar import ContextBar
    from tests.ui.harness import quiet_config

    config = quiet_config()
    config = replace(config, ui=replace(config.ui, read_only=True))
    app = make_app(config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        bar = app.screen.query_one(ContextBar).render().plain
        assert "READ-ONLY" in bar and "kojan-map-production/kojan-map-business" in bar and "ap-northeast-1" in bar


async def test_long_lines_end_with_their_whole_truncation_marker_beside_the_scrollbar():
    fake = healthy_fake()
    fake.log_events = events(*[f"INFO {'x' * 300} {i}" for i in range(60)])  # enough lines for a scrollbar
    app = make_app(fake)
    async with app.run_test(size=(100, 30)) as pilot:
        await refresh(app, pilot, ["logs"])
        await pilot.press("l")
        await pilot.pause()
        view = app.screen.query_one(LogView)
        text_width = view.scrollable_content_region.width
        assert text_width < view.size.width  # the scrollbar is there
        last = view.render_line(view.scrollable_content_region.height - 1)
        assert last.cell_length == text_width
        assert last.text.rstrip().endswith("chars]")
