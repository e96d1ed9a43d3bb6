"""Idle CPU (issue 21): lines arriving in a following view repaint the view and its scrollbar, never a layout of
the whole screen (Textual reflows every widget on any ``virtual_size`` change: the idle app's biggest cost)."""

from __future__ import annotations

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.widgets.log_view import LogView
from tests.fixtures.logs import NOW, PaneApp, event, poll


def rows(view: LogView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


async def test_new_lines_ask_for_no_layout_of_the_screen_and_the_scrollbar_and_the_last_line_follow():
    gateway = FakeGateway()
    gateway.page_size = 1000
    gateway.log_events = [event(n, f"line {n}") for n in range(200)]
    feed = LogFeed(gateway, "/g", buffer_lines=1000, clock=lambda: NOW)
    app = PaneApp(feed)
    async with app.run_test(size=(80, 12)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(view, layouts.append)
        gateway.log_events += [event(1000 + n, f"new {n}") for n in range(30)]
        await poll(pilot, feed)
        assert layouts == []
        assert view.following and "new 29" in rows(view)[-1]
        assert view.virtual_size.height == len(feed.buffer) == 230
        assert view.vertical_scrollbar.window_virtual_size == 230  # the thumb shrinks as after a layout
        assert view.scroll_y == view.max_scroll_y

        await pilot.resize_terminal(100, 14)  # a real layout is still counted (the spy works)
        await pilot.pause()
        assert layouts
