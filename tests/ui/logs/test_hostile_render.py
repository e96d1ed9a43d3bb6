"""Hostile log text, asserted on what the LogView actually renders (its Strips), not on core output."""

from __future__ import annotations

import time

from rich.cells import cell_len

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.widgets.log_view import LogView
from tests.fixtures.logs import NOW, PaneApp, event, poll

WIDTH = 100


async def rendered(messages: list[str | bytes], *, raw_mode: bool = False, width: int = WIDTH) -> tuple[list, int]:
    """Poll ``messages`` through a FakeGateway into a mounted pane; the strips of their rows, the width of its text area."""
    gateway = FakeGateway()
    gateway.log_events = [event(n, m) for n, m in enumerate(messages)]  # type: ignore[arg-type]
    feed = LogFeed(gateway, "/ecs/kojan-map-business", buffer_lines=100, clock=lambda: NOW)
    app = PaneApp(feed)
    async with app.run_test(size=(width, len(messages) + 6)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        view.raw_mode = raw_mode
        await pilot.pause()
        strips = [view.render_line(y) for y in range(len(messages))]
        return strips, view.scrollable_content_region.width  # the text area: the scrollbar takes the rest


def no_links(strip) -> bool:
    return all(seg.style is None or (seg.style.link is None and "@click" not in seg.style.meta) for seg in strip)


async def test_rich_markup_is_shown_literally():
    messages = ["[bold]x[/bold]", "[link=https://evil.example]click[/link]", "close [/] all", "[red on white]alarm[/]"]
    strips, _ = await rendered(messages)
    for message, strip in zip(messages, strips):
        assert message in strip.text
        assert no_links(strip)
        assert not any(seg.style and seg.style.bold and "x" in seg.text for seg in strip if message.startswith("[bold]"))


async def test_ansi_escapes_and_controls_are_made_visible():
    messages = [
        "\x1b[31mred\x1b[0m",
        "\x1b[2J\x1b[H wipe",
        "bell\x07 nul\x00 del\x7f",
        "csi\x9b31m c1",
        "rtl\u202eevil",
        "cr\roverwrite",
    ]
    strips, _ = await rendered(messages)
    texts = [s.text for s in strips]
    assert "␛[31mred␛[0m" in texts[0]
    assert "␛[2J␛[H wipe" in texts[1]
    assert "bell␇ nul␀ del␡" in texts[2]
    assert "csi\\x9b31m c1" in texts[3]
    assert "rtl\\u202eevil" in texts[4]
    assert "cr␍overwrite" in texts[5]
    for text in texts:
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text)


async def test_tabs_expand_and_keep_width():
    strips, width = await rendered(["a\tb\tc"])
    assert "a   b   c" in strips[0].text
    assert strips[0].cell_length == width


async def test_invalid_utf8_is_replaced_visibly():
    strips, _ = await rendered([b"bad \xff\xfe bytes", "lone \udcff surrogate"])
    assert "bad �� bytes" in strips[0].text
    assert "lone � surrogate" in strips[1].text
    for strip in strips:
        strip.text.encode("utf-8")  # what reaches the terminal always encodes


async def test_a_one_megabyte_line_renders_fast_and_truncated():
    huge = "x" * 1_000_000
    started = time.perf_counter()
    strips, width = await rendered([huge, "next line"])
    text = strips[0].text
    assert "… [+" in text and " chars]" in text
    shown = text.count("x")
    assert f"[+{1_000_000 - shown:,} chars]" in text
    assert strips[0].cell_length == width
    assert "next line" in strips[1].text
    assert time.perf_counter() - started < 5  # an app start and one poll; a hang would be minutes


async def test_a_one_megabyte_line_renders_in_o_width_and_keeps_its_raw_text():
    huge = "y" * 1_000_000
    gateway = FakeGateway()
    gateway.log_events = [event(1, huge)]
    feed = LogFeed(gateway, "/g", buffer_lines=10, clock=lambda: NOW)
    app = PaneApp(feed)
    async with app.run_test(size=(120, 8)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        timings = []
        for _ in range(5):
            view._strips.clear()
            started = time.perf_counter()
            view.render_line(0)
            timings.append(time.perf_counter() - started)
        assert min(timings) < 0.005  # O(width): a 1 MB walk would take far longer
        assert view.cursor_line().raw == huge


async def test_cjk_and_emoji_keep_alignment():
    messages = ["日本語のログ: 接続エラー", "emoji 😀🚀 ok", "ascii only", "한국어 텍스트 " * 20]
    strips, width = await rendered(messages)
    width = width
    for strip in strips:
        assert strip.cell_length == width
        assert cell_len(strip.text) == width
    assert "日本語のログ: 接続エラー" in strips[0].text
    assert "😀🚀 ok" in strips[1].text
    columns = [strip.text.index(marker) for strip, marker in zip(strips[:3], ("日本語", "emoji", "ascii"))]
    assert len(set(columns)) == 1  # the message column starts at the same cell on every row
    assert "… [+" in strips[3].text  # wide text cut with the marker, never split in half


async def test_json_lines_readable_and_raw_one_key_away():
    line = '{"level":"error","msg":"db [bold]down[/bold]","method":"GET","path":"/api/spots","status":500,"latency_ms":12,"request_id":"r-1"}'
    strips, width = await rendered([line])
    assert "ERROR db [bold]down[/bold] · GET /api/spots 500 · 12ms · req=r-1" in strips[0].text
    strips_raw, _ = await rendered([line], raw_mode=True)
    assert '{"level":"error","msg":"db [bold]down[/bold]"' in strips_raw[0].text


async def test_json_escaped_controls_in_values_are_made_visible():
    strips, _ = await rendered(['{"level":"info","msg":"evil \\u001b[2J here"}'])
    assert "evil ␛[2J here" in strips[0].text


async def test_hostile_stream_names_are_made_visible():
    gateway = FakeGateway()
    gateway.log_events = [event(1, "hello", stream="ecs/\x1b[1m")]
    feed = LogFeed(gateway, "/g", buffer_lines=10, clock=lambda: NOW)
    app = PaneApp(feed)
    async with app.run_test(size=(80, 6)) as pilot:
        await poll(pilot, feed)
        text = app.query_one(LogView).render_line(0).text
        assert "ecs/␛[1m" in text and "\x1b" not in text


async def test_combining_marks_zwj_emoji_and_a_megabyte_of_cjk_stay_bounded_and_aligned():
    zalgo = "z" + "\u0301\u0336" * 200_000 + " end"
    family = "family 👨\u200d👩\u200d👧 and flag 🇯🇵 done"
    cjk = "漢" * 1_000_000
    started = time.perf_counter()
    strips, width = await rendered([zalgo, family, cjk])
    for strip in strips:
        assert strip.cell_length == width
        assert cell_len(strip.text) == width
    assert "… [+" in strips[0].text
    assert "family" in strips[1].text
    assert f"[+{1_000_000 - strips[2].text.count('漢'):,} chars]" in strips[2].text
    assert time.perf_counter() - started < 5


async def test_wide_stream_names_keep_the_columns_aligned():
    gateway = FakeGateway()
    gateway.log_events = [event(1, "first", stream="ecs/ログ出力タスク"), event(2, "second", stream="ecs/plain-task")]
    feed = LogFeed(gateway, "/g", buffer_lines=10, clock=lambda: NOW)
    app = PaneApp(feed)
    async with app.run_test(size=(80, 6)) as pilot:
        await poll(pilot, feed)
        view = app.query_one(LogView)
        first, second = view.render_line(0).text, view.render_line(1).text
        assert cell_len(first[: first.index("first")]) == cell_len(second[: second.index("second")])
