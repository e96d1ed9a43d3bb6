"""LogScreen and ErrorSummaryScreen with Pilot: filter, presets, ranges, copy, save, summary → filter."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.logquery import LAST_DAY, LAST_HOUR
from kojan_tui.core.models import InsightsResult
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.screens.error_summary import ErrorSummaryScreen
from kojan_tui.ui.screens.logs import LogScreen
from kojan_tui.ui.widgets.log_view import LogView
from tests.fixtures.logs import NOW, ScreenApp, event, poll

MESSAGES = [
    "INFO GET /api/spots 200",
    "ERROR database connection refused: dial tcp 10.0.1.5:3306",
    "ERROR invalid token: signature mismatch",
    "INFO POST /auth/login 200",
]


def setup(tmp_path) -> tuple[FakeGateway, LogFeed, ScreenApp]:
    gateway = FakeGateway()
    gateway.log_events = [event(n, m) for n, m in enumerate(MESSAGES)]
    feed = LogFeed(gateway, "/ecs/kojan-map-business", buffer_lines=100, clock=lambda: NOW)
    return gateway, feed, ScreenApp(feed, tmp_path)


def shown(app) -> list[str]:
    view = app.screen.query_one(LogView)
    return [line.raw for line in view.visible_lines()]


def type_into_prompt(app, text: str) -> None:
    prompt = app.screen.query_one("#log-prompt", Input)
    assert prompt.has_focus
    prompt.value = text


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_filter_prompt_applies_server_side(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        assert len(shown(app)) == 4
        await pilot.press("slash")
        type_into_prompt(app, '"invalid token"')
        await pilot.press("enter")
        await settle(app, pilot)
        assert feed.pattern == '"invalid token"'
        assert shown(app) == ["ERROR invalid token: signature mismatch"]
        assert not app.screen.prompt_open


async def test_a_filter_with_markup_and_invisible_characters_is_notified_literally(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await pilot.press("slash")
        type_into_prompt(app, '"[bold]x[/bold]\u202e\u200b"')
        await pilot.press("enter")
        await settle(app, pilot)
        note = list(app._notifications)[-1]
        assert note.message == 'Filter: "[bold]x[/bold]\\u202e\\u200b"' and note.markup is False


async def test_invalid_filter_shows_the_service_message_and_keeps_the_previous(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await pilot.press("e")
        await settle(app, pilot)
        assert feed.pattern == "ERROR" and len(shown(app)) == 2
        gateway.failures["filter_log_events"] = AwsFailure(
            FailureKind.INVALID_REQUEST, "Invalid character(s) in term '{'", code="InvalidParameterException"
        )
        await pilot.press("slash")
        type_into_prompt(app, "{ $.x = ")
        await pilot.press("enter")
        await settle(app, pilot)
        error = str(app.screen.query_one("#log-prompt-error").render())
        assert "Invalid character(s) in term '{'" in error
        assert "still filtering on: ERROR" in error
        assert app.screen.prompt_open
        assert feed.pattern == "ERROR" and len(shown(app)) == 2
        await pilot.press("escape")
        assert not app.screen.prompt_open
        assert isinstance(app.screen, LogScreen)
        assert len(feed._listeners) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LogScreen)
        assert feed._listeners == []  # a closed screen no longer listens to the feed


async def test_presets_and_clear(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await pilot.press("d")
        await settle(app, pilot)
        assert feed.pattern == '"database connection"'
        assert shown(app) == [MESSAGES[1]]
        await pilot.press("x")
        await settle(app, pilot)
        assert feed.pattern == "" and len(shown(app)) == 4


async def test_range_keys_and_custom_range(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.press("2")
        assert feed.time_range == LAST_HOUR
        await pilot.press("3")
        assert feed.time_range == LAST_DAY
        await pilot.press("4")
        type_into_prompt(app, "nonsense")
        await pilot.press("enter")
        await pilot.pause()
        assert "not a duration" in str(app.screen.query_one("#log-prompt-error").render())
        assert feed.time_range == LAST_DAY
        type_into_prompt(app, "90m")
        await pilot.press("enter")
        await pilot.pause()
        assert feed.time_range.since_s == 5400 and not app.screen.prompt_open


async def test_copy_the_selected_line_full_and_raw(tmp_path):
    gateway, feed, app = setup(tmp_path)
    long_line = "ERROR " + "z" * 100_000 + " \x1b[31m"
    gateway.log_events.append(event(10, long_line))
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await pilot.press("c")
        assert app.clipboard == long_line  # the newest line when nothing is selected
        await pilot.press("up", "up", "c")
        assert app.clipboard == MESSAGES[2]


async def test_save_writes_all_lines_and_never_overwrites(tmp_path):
    gateway, feed, app = setup(tmp_path)
    gateway.log_events.append(event(10, b"raw \xff bytes".decode("utf-8", "surrogateescape")))
    async with app.run_test(size=(100, 20)) as pilot:
        await poll(pilot, feed)
        await pilot.press("w")
        await pilot.press("w")
        await pilot.pause()
        files = sorted(tmp_path.glob("kojan-logs-*.log"))
        assert len(files) == 2
        for path in files:
            content = path.read_bytes()
            assert content.count(b"\n") == 5
            assert b"ERROR database connection refused" in content
            assert b"raw \xff bytes" in content  # byte-exact
            assert path.stat().st_mode & 0o777 == 0o600
        notes = [n.message for n in app._notifications]
        assert any(str(files[0]) in note for note in notes) and any(str(files[1]) in note for note in notes)


async def test_the_guides_query_is_one_key_away_its_table_sorts_and_enter_filters_the_tail(tmp_path):
    gateway, feed, app = setup(tmp_path)
    gateway.insights = InsightsResult(
        status="Complete",
        rows=(
            {"@message": "ERROR invalid token: signature mismatch", "count()": "3"},
            {"@message": "ERROR database connection refused: dial tcp 10.0.1.5:3306", "count()": "41"},
            {"@message": "ERROR [link=https://evil]x[/link]", "count()": "1"},
        ),
        records_scanned=1000,
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await poll(pilot, feed)
        await pilot.press("s")
        await settle(app, pilot)
        summary = app.screen
        assert isinstance(summary, ErrorSummaryScreen) and summary.grouped
        await pilot.press("g")  # the guide's literal query, its rows as Insights gives them
        await settle(app, pilot)
        assert not summary.grouped and gateway.calls["run_insights_query"] == 2
        assert gateway.insights_queries[-1].endswith("stats count() by @message")
        assert [m for _, m in summary._shown][0].startswith("ERROR database connection")
        assert "45 ERROR lines, 3 distinct messages" in str(summary.query_one("#summary-progress").render())
        table = summary.query_one(DataTable)
        assert table.row_count == 3
        assert table.get_row_at(2)[1].plain == "ERROR [link=https://evil]x[/link]"  # literal, not markup
        await pilot.press("m")
        assert [m for _, m in summary._shown][0] == "ERROR [link=https://evil]x[/link]"
        await pilot.press("n")
        await pilot.press("enter")  # the top row: the most frequent message
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
        assert feed.pattern == '"ERROR database connection refused: dial tcp 10.0.1.5:3306"'
        assert shown(app) == [MESSAGES[1]]


async def test_error_summary_over_24h_and_failure_shown(tmp_path):
    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        gateway.failures["run_insights_query"] = AwsFailure(
            FailureKind.ACCESS_DENIED, "not authorized to perform logs:StartQuery"
        )
        await pilot.press("h")
        await settle(app, pilot)
        assert app.screen.hours == 24
        progress = str(app.screen.query_one("#summary-progress").render())
        assert "access denied" in progress and "logs:StartQuery" in progress
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen) and feed.pattern == ""


async def test_enter_shows_the_whole_line_readably_and_literally(tmp_path):
    from kojan_tui.ui.screens.logs import LogLineScreen

    gateway, feed, app = setup(tmp_path)
    raw = '{"level":"error","msg":"[bold]db[/bold] down\\u001b[2J","status":500,"trace":"' + "t" * 5000 + '"}'
    gateway.log_events.append(event(10, raw))
    async with app.run_test(size=(100, 30)) as pilot:
        await poll(pilot, feed)
        await pilot.press("enter")  # the newest line
        await pilot.pause()
        assert isinstance(app.screen, LogLineScreen)
        shown = app.screen.query_one("#log-line-detail").render()
        plain = shown.plain if hasattr(shown, "plain") else str(shown)
        assert '"msg": "[bold]db[/bold] down\\u001b[2J"' in plain  # pretty JSON (escapes kept), markup literal
        assert "\x1b" not in plain
        assert "t" * 5000 in plain  # nothing cut at the screen edge: it wraps
        assert "ERROR · HTTP 500" in plain
        await pilot.press("c")
        assert app.clipboard == raw
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)


def test_detail_text_keeps_line_breaks_and_shows_controls():
    from kojan_tui.core.loglines import parse_line
    from kojan_tui.ui.screens.logs import DETAIL_LIMIT, detail_text

    text = detail_text(parse_line("panic: boom\n\tgoroutine 1 [running]:\x1b[31m\n", stream="s\x1b"))
    assert text.plain.endswith("panic: boom\n    goroutine 1 [running]:␛[31m")
    assert " · s␛ · UNKNOWN" in text.plain
    long = detail_text(parse_line("x" * (DETAIL_LIMIT + 10)))
    assert long.plain.endswith("… [+10 chars]")


async def test_error_summary_groups_json_lines_by_shape_and_enter_filters_the_tail_to_a_group(tmp_path):
    import random

    from kojan_tui.demo.loglines import request_line

    gateway, feed, app = setup(tmp_path)
    rng = random.Random(3)
    rows = []
    for n in range(60):  # a db outage: every request fails, each line with its own time and request id
        stamp = f"2026-11-28 11:{10 + n // 60:02d}:{n % 60:02d}.000"
        rows += [
            {"@timestamp": stamp, "@message": text} for text in request_line(rng, 0, 503, 900.0, "database") if '"ERROR"' in text
        ]
    gateway.insights = InsightsResult(status="Complete", rows=tuple(rows), records_scanned=5000)
    refused = next(row["@message"] for row in rows if "connection refused" in row["@message"])
    gateway.log_events.append(event(10, refused))
    async with app.run_test(size=(160, 30)) as pilot:
        await poll(pilot, feed)
        await pilot.press("s")
        await settle(app, pilot)
        summary = app.screen
        assert isinstance(summary, ErrorSummaryScreen) and summary.grouped
        assert gateway.insights_queries == [
            "fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 10000"
        ]
        table = summary.query_one(DataTable)
        assert [str(column.label) for column in table.columns.values()] == [
            "count",
            "first seen",
            "last seen",
            "group",
            "example",
        ]
        cells = [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert 2 <= table.row_count <= 4  # "request completed" and the database errors, not 120 rows
        assert sum(int(row[0]) for row in cells) == len(rows) == 120
        assert cells[0][:4] == ["60", "11-28 11:10:00", "11-28 11:10:59", "request completed"]
        assert all(row[4].startswith('{"time"') for row in cells)  # one real line as the example
        assert f"{len(rows)} ERROR lines in {table.row_count} groups" in str(summary.query_one("#summary-progress").render())
        position = next(i for i, row in enumerate(cells) if "connection refused" in row[3])
        table.move_cursor(row=position)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LogScreen)
        assert feed.pattern == '"database connection failed: dial tcp"'
        assert shown(app) == [refused]
