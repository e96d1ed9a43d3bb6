"""Follow/pause in a mounted pane, driven with Pilot: scroll up pauses and counts, End follows."""

from __future__ import annotations

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.widgets.log_pane import LogStatusLine
from kojan_tui.ui.widgets.log_view import LogView
from tests.fixtures.logs import NOW, PaneApp, event, poll
from tests.ui.harness import until


def setup(count: int, buffer_lines: int = 1000) -> tuple[FakeGateway, LogFeed, PaneApp]:
    gateway = FakeGateway()
    gateway.page_size = 1000
    gateway.log_events = [event(n, f"line {n}") for n in range(count)]
    feed = LogFeed(gateway, "/g", buffer_lines=buffer_lines, clock=lambda: NOW)
    return gateway, feed, PaneApp(feed)


def rows(view: LogView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


def status(app) -> str:
    return str(app.query_one(LogStatusLine).render())


async def test_following_shows_the_newest_line():
    gateway, feed, app = setup(200)
    async with app.run_test(size=(80, 12)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        assert view.following and "line 199" in rows(view)[-1]
        gateway.log_events.append(event(1000, "newest"))
        await poll(pilot, feed)
        assert "newest" in rows(view)[-1]
        assert "● following" in status(app)


async def test_scrolling_up_pauses_counts_and_end_follows():
    gateway, feed, app = setup(200)
    async with app.run_test(size=(80, 12)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        view.focus()
        await pilot.press("pageup")
        assert not view.following
        top_before = rows(view)[0]
        gateway.log_events += [event(1000 + n, f"new {n}") for n in range(30)]
        await poll(pilot, feed)
        assert rows(view)[0] == top_before  # the reader's place is kept
        assert view.pending == 30
        assert "paused — 30 new lines — End/f to follow" in status(app)
        await pilot.press("end")
        await pilot.pause()
        assert view.following and "new 29" in rows(view)[-1]
        assert "● following" in status(app)


async def test_mouse_or_scrollbar_scroll_pauses_and_f_resumes():
    gateway, feed, app = setup(200)
    async with app.run_test(size=(80, 12)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        view.focus()
        view.scroll_to(y=10, animate=False, immediate=True)
        await pilot.pause()
        assert not view.following
        await pilot.press("f")
        await pilot.pause()
        assert view.following and "line 199" in rows(view)[-1]
        await pilot.press("f")
        assert not view.following


async def test_a_paused_view_keeps_its_lines_while_old_ones_are_evicted():
    gateway, feed, app = setup(100, buffer_lines=100)
    async with app.run_test(size=(80, 12)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        view.scroll_to(y=50, animate=False, immediate=True)
        await pilot.pause()
        top_before = rows(view)[0]
        assert "line 50" in top_before
        gateway.log_events += [event(1000 + n, f"new {n}") for n in range(30)]
        await poll(pilot, feed)
        assert len(feed.buffer) == 100
        assert rows(view)[0] == top_before


async def test_cursor_moves_pause_and_select_the_line_to_copy():
    gateway, feed, app = setup(50)
    async with app.run_test(size=(80, 12)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        view.focus()
        await pilot.press("up", "up")
        assert not view.following
        assert view.cursor_line().raw == "line 47"


async def test_bounded_buffer_in_the_pane():
    gateway, feed, app = setup(5000, buffer_lines=300)
    gateway.page_size = 10_000
    async with app.run_test(size=(80, 12)) as pilot:
        await poll(pilot, feed)
        assert len(feed.buffer) == 300
        view = app.query_one(LogView)
        assert view.virtual_size.height == 300
        assert "line 4999" in rows(view)[-1]
        assert "300/300 lines" in status(app)


async def test_j_toggles_raw_json():
    gateway = FakeGateway()
    gateway.log_events = [event(1, '{"level":"info","msg":"hello","status":200}')]
    feed = LogFeed(gateway, "/g", buffer_lines=10, clock=lambda: NOW)
    app = PaneApp(feed)
    async with app.run_test(size=(80, 8)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        view.focus()
        assert "hello · status=200" in rows(view)[0]
        await pilot.press("j")
        assert '{"level":"info","msg":"hello","status":200}' in rows(view)[0]
        await pilot.press("j")
        assert "hello · status=200" in rows(view)[0]


async def test_a_flood_of_polls_is_coalesced_into_few_repaints_and_none_is_lost(monkeypatch):
    monkeypatch.setattr(LogView, "sync_interval", 1.0)  # longer than the burst takes on a loaded machine
    gateway, feed, app = setup(0)
    async with app.run_test(size=(80, 12)) as pilot:
        view = app.query_one(LogView)
        synced = []
        original = view._apply_sync
        monkeypatch.setattr(view, "_apply_sync", lambda: (synced.append(1), original()))
        view._last_sync = 0.0
        for n in range(20):
            gateway.log_events.append(event(n, f"burst {n}"))
            await feed.poll()
        assert len(synced) == 1  # the first applied at once, the rest wait for the timer
        assert "burst 19" not in rows(view)[-1]
        await until(pilot, lambda: len(synced) == 2, "the timer's repaint")
        assert "burst 19" in rows(view)[-1]


async def test_a_new_range_starts_over_following():
    from kojan_tui.core.logquery import LAST_HOUR

    gateway, feed, app = setup(200)
    async with app.run_test(size=(80, 12)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        view.focus()
        await pilot.press("pageup")
        assert not view.following
        feed.set_range(LAST_HOUR)
        await poll(pilot, feed)
        assert view.following and view.cursor_index is None
        assert "line 199" in rows(view)[-1]
        assert "last 1 h" in status(app) and "● following" in status(app)


async def test_an_app_polling_on_its_interval_feeds_the_pane_and_shows_failures():

    from kojan_tui.core.errors import AwsFailure, FailureKind
    from tests.fixtures.logs import PollingPaneApp

    gateway = FakeGateway()
    gateway.page_size = 5
    gateway.log_events = [event(n, f"line {n}") for n in range(40)]
    feed = LogFeed(gateway, "/g", buffer_lines=100, max_pages=1, clock=lambda: NOW)
    app = PollingPaneApp(feed)

    async with app.run_test(size=(80, 12)) as pilot:
        view = app.query_one(LogView)
        await until(pilot, lambda: len(feed.buffer) == 40, "40 lines")  # 8 bounded polls, back to back while behind
        await pilot.pause()
        assert "line 39" in rows(view)[-1]
        gateway.log_events.append(event(100, "arrived later"))
        await until(pilot, lambda: "arrived later" in rows(view)[-1], "the later line")
        gateway.failures["filter_log_events"] = AwsFailure(FailureKind.THROTTLED, "Rate exceeded")
        await until(pilot, lambda: "⚠ throttled: Rate exceeded" in status(app), "the throttled status")
        del gateway.failures["filter_log_events"]
        await until(pilot, lambda: "⚠" not in status(app), "the status to clear")
        assert [line.raw for line in feed.buffer].count("arrived later") == 1
