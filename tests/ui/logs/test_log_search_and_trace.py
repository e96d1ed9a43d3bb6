"""LogScreen with Pilot: the local search of the buffered lines (ctrl+f, n/N, highlights, count, wrap, bad regex)
and the request trace (F: a field of a JSON line becomes a safe server-side filter, or is refused with a reason)."""

from __future__ import annotations

import json

from textual.widgets import Input, OptionList

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.screens.logs import LogScreen
from kojan_tui.ui.screens.trace_picker import TracePickerScreen
from kojan_tui.ui.widgets.log_pane import LogStatusLine
from kojan_tui.ui.widgets.log_view import LogView
from tests.fixtures.logs import NOW, ScreenApp, event, poll
from tests.fixtures.waits import until

RID = "7d1c2a9e-0b3f-4c1d-9e8f-112233445566"


def json_line(msg: str, **fields) -> str:
    return json.dumps({"level": "INFO", "msg": msg, **fields}, separators=(",", ":"))


MESSAGES = [
    "INFO GET /api/spots 200",
    "ERROR upstream Timeout after 3s",
    json_line("request completed", path="/api/business/posts", status=200, request_id=RID),
    "WARN [bold]timeout[/bold] retrying",
    "INFO GET /healthz 200",
    "ERROR db timeout: dial tcp 10.0.1.5:3306",
    json_line("odd", path='/x"y', user="a\\b", note="x*y", req_id="ab{c}", tag="line\nbreak", code=7),
]


def setup(tmp_path, messages=MESSAGES) -> tuple[FakeGateway, LogFeed, ScreenApp]:
    gateway = FakeGateway()
    gateway.log_events = [event(n, m) for n, m in enumerate(messages)]
    feed = LogFeed(gateway, "/ecs/kojan-map-business", buffer_lines=100, clock=lambda: NOW)
    return gateway, feed, ScreenApp(feed, tmp_path)


def view(app) -> LogView:
    return app.screen.query_one(LogView)


def status(app) -> str:
    return str(app.screen.query_one(LogStatusLine).render())


async def search(app, pilot, typed: str) -> None:
    await pilot.press("ctrl+f")
    prompt = app.screen.query_one("#log-prompt", Input)
    assert prompt.has_focus
    prompt.value = typed
    await pilot.press("enter")
    await pilot.pause()


def cursor_raw(app) -> str:
    line = view(app).cursor_line()
    assert line is not None
    return line.raw


async def test_search_jumps_to_the_newest_match_counts_and_wraps(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        assert view(app).following
        await search(app, pilot, "timeout")  # lower case: case-insensitive (smartcase)
        await until(pilot, lambda: "3/3" in status(app))
        assert cursor_raw(app) == MESSAGES[5]  # the newest match first
        assert not view(app).following  # jumping to a match stops following, as less and toolong do
        await pilot.press("N")
        await until(pilot, lambda: "2/3" in status(app))
        assert cursor_raw(app) == MESSAGES[3]
        await pilot.press("N", "N")  # past the oldest: wraps to the newest, with a note
        await until(pilot, lambda: "3/3" in status(app))
        assert any("continuing at BOTTOM" in n.message for n in app._notifications)
        await pilot.press("n")
        await until(pilot, lambda: "1/3" in status(app))
        assert cursor_raw(app) == MESSAGES[1]
        assert any("continuing at TOP" in n.message for n in app._notifications)
        assert feed.pattern == ""  # local: the server-side filter is untouched
        await pilot.press("escape")  # the first Escape drops the search, the screen stays
        assert view(app).search is None and isinstance(app.screen, LogScreen)
        assert "search" not in status(app)


async def test_a_capital_letter_makes_it_case_sensitive_and_a_regex_works(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await search(app, pilot, "Timeout")
        await until(pilot, lambda: "1/1" in status(app))
        assert cursor_raw(app) == MESSAGES[1]
        await search(app, pilot, r"/GET \/[\w\/]+ 200/")  # the first jump: the newest match above the cursor
        await until(pilot, lambda: "1/2" in status(app))
        assert cursor_raw(app) == MESSAGES[0]
        await pilot.press("n")
        await until(pilot, lambda: "2/2" in status(app))
        assert cursor_raw(app) == MESSAGES[4]


async def test_a_bad_regex_is_an_error_under_the_prompt_never_a_crash(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await search(app, pilot, "/[unclosed/")
        error = str(app.screen.query_one("#log-prompt-error").render())
        assert "not a valid regular expression" in error and "unterminated character set" in error
        assert app.screen.prompt_open and view(app).search is None
        app.screen.query_one("#log-prompt", Input).value = "/(a+)+$/"
        await pilot.press("enter")
        await pilot.pause()
        assert "repetition inside a repetition" in str(app.screen.query_one("#log-prompt-error").render())
        await pilot.press("escape")
        assert not app.screen.prompt_open


async def test_matches_are_highlighted_as_styled_spans_of_the_plain_text(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await search(app, pilot, "[bold]")
        await until(pilot, lambda: "1/1" in status(app))
        log_view = view(app)
        row = log_view.buffer.appended - 1 - 3 - log_view.top_index  # MESSAGES[3]'s row on screen
        strip = log_view.render_line(row)
        texts = [segment.text for segment in strip]
        assert "[bold]" in texts  # its own segment: the highlight, and the text shown literally
        match_style = log_view.get_component_rich_style("log-view--match")
        highlighted = [s for s in strip if s.text == "[bold]"]
        assert highlighted[0].style is not None and highlighted[0].style.bgcolor == match_style.bgcolor
        assert "".join(texts).count("[bold]timeout[/bold]") == 1  # never read as markup


async def test_no_match_says_so_and_n_without_a_search_says_how(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await pilot.press("n")
        assert any("ctrl+f" in n.message for n in app._notifications)
        await search(app, pilot, "no such text")
        await until(pilot, lambda: "no match" in status(app))
        assert view(app).following  # nothing to jump to: the tail keeps following


async def test_lines_that_arrive_are_searched_and_counted_while_paused(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await search(app, pilot, "timeout")
        await until(pilot, lambda: "3/3" in status(app))
        gateway.log_events.append(event(20, "ERROR another timeout"))
        await poll(pilot, feed)
        await until(pilot, lambda: "3/4" in status(app))
        assert "1 new lines" in status(app)  # paused on a match, the lines waiting are counted
        await pilot.press("n")
        await until(pilot, lambda: "4/4" in status(app))
        assert cursor_raw(app) == "ERROR another timeout"


async def test_trace_a_request_filters_the_tail_by_its_request_id(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await poll(pilot, feed)
        await search(app, pilot, "request completed")
        await until(pilot, lambda: "1/1" in status(app))
        await pilot.press("F")
        await until(pilot, lambda: isinstance(app.screen, TracePickerScreen))
        options = app.screen.query_one(OptionList)
        first = str(options.get_option_at_index(0).prompt)
        assert first.startswith("request_id = ") and RID in first  # the request id first
        await pilot.press("enter")
        await until(pilot, lambda: feed.pattern == f'{{ $.request_id = "{RID}" }}')
        assert isinstance(app.screen, LogScreen)


async def test_trace_refuses_values_with_quotes_backslashes_wildcards_braces_and_line_breaks(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await poll(pilot, feed)
        assert cursor_raw(app) == MESSAGES[6]  # the newest line when nothing is selected
        for path, reason in [
            ("path", "double quote"),
            ("user", "backslash"),
            ("note", "wildcard"),
            ("req_id", "brace"),
            ("tag", "control or invisible"),
        ]:
            await pilot.press("F")
            await until(pilot, lambda: isinstance(app.screen, TracePickerScreen))
            picker = app.screen
            index = next(i for i, f in enumerate(picker.fields) if f.path == path)
            picker.query_one(OptionList).highlighted = index
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, LogScreen))
            said = lambda path=path, reason=reason: any(reason in n.message and path in n.message for n in app._notifications)  # noqa: E731
            await until(pilot, said)
            assert feed.pattern == ""  # refused: the filter is unchanged
        await pilot.press("F")
        await until(pilot, lambda: isinstance(app.screen, TracePickerScreen))
        picker = app.screen
        picker.query_one(OptionList).highlighted = next(i for i, f in enumerate(picker.fields) if f.path == "code")
        await pilot.press("enter")
        await until(pilot, lambda: feed.pattern == "{ $.code = 7 }")


async def test_trace_on_a_plain_text_line_says_there_is_nothing_to_trace(tmp_path):
    gateway, feed, app = setup(tmp_path, ["INFO plain text line"])
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        assert any("not a JSON object" in n.message for n in app._notifications)
