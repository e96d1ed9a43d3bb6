"""Parsing never raises: any string, any JSON value, in any field, gives a LogLine with details (fuzzed)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from kojan_tui.core.loglines import LineDetails, Severity, parse_details, parse_line
from kojan_tui.core.logtext import display_text, make_visible
from kojan_tui.ui.screens.logs import detail_text
from kojan_tui.ui.widgets.log_row import fit_message, literal_row, stream_tag
from tests.fixtures.hostile import fuzz_settings, hostile_lines, json_values


def understood(text: str) -> LineDetails:
    details = parse_details(text)
    assert isinstance(details, LineDetails)
    assert details.http_status is None or 100 <= details.http_status <= 599
    assert details.summary is None or isinstance(details.summary, str)
    return details


@fuzz_settings(300)
@given(hostile_lines)
def test_any_line_parses_and_renders(text):
    line = parse_line(text, timestamp_ms=1_700_000_000_000, stream="ecs/app/\u202etask", event_id="e1")
    understood(text)
    assert isinstance(line.severity, Severity) and isinstance(line.readable, str)
    for cells in (0, 1, 40, 200):
        row = fit_message(line.readable, cells)
        assert cell_len(row) <= cells  # never wider than asked
    assert "\u202e" not in stream_tag(line.stream)
    assert literal_row(line.raw, line.timestamp_ms, 80)
    shown = detail_text(line).plain
    assert "\x1b" not in shown and "\u202e" not in shown and "\u200b" not in shown
    display_text(text)


@fuzz_settings(150)
@given(st.dictionaries(st.text(max_size=12), json_values, max_size=6), json_values)
def test_any_json_value_in_any_role_parses(fields, value):
    for key in ("level", "msg", "status", "latency", "request_id", "method", "path"):
        understood(json.dumps({**fields, key: value}))
    understood(json.dumps(value))


@fuzz_settings(200)
@given(st.text())
def test_made_visible_text_has_no_control_bidi_or_invisible_characters(text):
    shown = make_visible(text)
    forbidden = {*range(0x20), *range(0x7F, 0xA0), 0xAD, 0x61C, *range(0x200B, 0x2010), *range(0x2028, 0x202F)}
    forbidden |= {*range(0x2060, 0x2065), *range(0x2066, 0x206A), 0xFEFF, *range(0xE0000, 0xE0080), *range(0xD800, 0xE000)}
    assert not any(ord(char) in forbidden for char in shown)


def test_the_reported_crash_and_its_class():
    for text in (
        '{"status": 1e999}', '{"status": -1e999}', '{"status": NaN}', '{"latency": 1e999}', '{"level": ["error"]}',
        '{"status": 1' + "0" * 5000 + "}", "[" * 50_000 + "]" * 50_000, '{"a":' * 5000 + "1" + "}" * 5000,
        '{"msg": "\ud800", "status": "\udcff"}', '{"msg": {"nested": [1, {"x": null}]}, "status": true}',
    ):  # fmt: skip
        assert understood(text).severity is Severity.UNKNOWN
    assert parse_details('{"status": 503.0, "level": "error"}') == LineDetails(Severity.ERROR, 503, "status=503")
