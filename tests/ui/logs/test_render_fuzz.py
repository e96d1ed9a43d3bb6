"""Any line renders in the real LogView (fuzzed); a line the view cannot draw shows raw, level UNKNOWN, logged once."""

from __future__ import annotations

import asyncio
import logging

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from kojan_tui.ui.widgets import log_view
from tests.fixtures.hostile import fuzz_settings, hostile_lines
from tests.ui.logs.test_hostile_render import rendered

WIDTH = 100
FORBIDDEN = ("\x1b", "\x9b", "\u202e", "\u2066", "\u200b", "\ufeff", "\x00", "\r", "\n")


@fuzz_settings(8)
@given(st.lists(hostile_lines, min_size=1, max_size=12))
def test_any_lines_render_in_the_log_view(messages):
    for raw_mode in (False, True):
        strips, width = asyncio.run(rendered(messages, raw_mode=raw_mode, width=WIDTH))
        for strip in strips:
            text = strip.text
            assert cell_len(text) <= width
            assert not any(char in text for char in FORBIDDEN)


async def test_a_line_that_cannot_be_drawn_shows_raw_with_level_unknown_and_is_logged_once(monkeypatch, caplog):
    real_fit = log_view.fit_message

    def failing_fit(text: str, cells: int) -> str:
        if "poison" in text:
            raise OverflowError("cannot draw this one")
        return real_fit(text, cells)

    monkeypatch.setattr(log_view, "fit_message", failing_fit)
    caplog.set_level(logging.WARNING, logger=log_view.__name__)
    messages = ['{"level": "error", "msg": "poison \\u202e [bold]x[/]"}', '{"level": "error", "msg": "fine"}']
    strips, _ = await rendered(messages)
    poisoned, fine = strips[0].text, strips[1].text
    assert '{"level": "error", "msg": "poison \\u202e [bold]x[/]"}' in poisoned  # the raw JSON, literally
    assert "ERROR" not in poisoned and "ERROR" in fine
    reports = [r for r in caplog.records if "could not be drawn" in r.getMessage()]
    assert len(reports) == 1
    strips, _ = await rendered(messages)  # a new view: the line is reported by it too, but only once again
    assert len([r for r in caplog.records if "could not be drawn" in r.getMessage()]) == 2
