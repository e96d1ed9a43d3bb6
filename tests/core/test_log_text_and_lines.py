"""Pure logic: display text, line parsing, the ring buffer, follow state, presets and ranges."""

from __future__ import annotations

import pytest

from kojan_tui.core.logbuffer import FollowState, LogBuffer
from kojan_tui.core.loglines import LogLine, Severity, parse_line
from kojan_tui.core.logquery import FILTER_PRESETS, LAST_HOUR, parse_time_range, pattern_for_message
from kojan_tui.core.logtext import display_text, make_visible, truncate, without_surrogates


def test_make_visible_replaces_every_control_class():
    assert make_visible("a\x1b[1mb\x00\x7f") == "a␛[1mb␀␡"
    assert make_visible("\x85\x9b") == "\\x85\\x9b"
    assert make_visible("\u202e\u2066\u2028") == "\\u202e\\u2066\\u2028"
    assert make_visible("ok 日本 😀") == "ok 日本 😀"


def test_display_text_decodes_bytes_and_surrogates_visibly():
    assert display_text(b"a\xffb\n") == "a�b"
    assert display_text("a\udcffb") == "a�b"
    assert without_surrogates("a\udcffb") == "a�b"


def test_truncate_marks_what_was_cut():
    assert truncate("abc", 5) == "abc"
    assert truncate("x" * 10, 4) == "xxxx… [+6 chars]"
    assert display_text("x" * 1_000_000).endswith("… [+995,904 chars]")


@pytest.mark.parametrize(
    ("line", "severity", "status"),
    [
        ("2026/11/28 12:00:00 ERROR database connection refused", Severity.ERROR, None),
        ("[WARN] slow query 1.2s", Severity.WARN, None),
        ("time=x level=debug msg=hi status=200", Severity.DEBUG, 200),
        ('10.0.0.1 - - "GET /health HTTP/1.1" 404 12', Severity.UNKNOWN, 404),
        ("a b c d e f g h i j and then an ERROR", Severity.ERROR, None),
        ("Errors happen (not a level word)", Severity.UNKNOWN, None),
        ('{"level":"warning","msg":"x","status_code":503}', Severity.WARN, 503),
        ('{"severity":"INFO","message":"ok","status":"200"}', Severity.INFO, 200),
    ],
)
def test_severity_and_status(line, severity, status):
    parsed = parse_line(line)
    assert parsed.severity is severity
    assert parsed.http_status == status


def test_json_summary_has_the_key_fields_and_raw_stays():
    raw = '{"level":"error","msg":"token expired","method":"POST","path":"/auth/login","status":401,"latency_ms":3.5,"request_id":"r-9","extra":1}'
    line = parse_line(raw, timestamp_ms=5, stream="s", event_id="e")
    assert line.summary == "token expired · POST /auth/login 401 · 3.5ms · req=r-9"
    assert line.raw == raw and line.readable == line.summary and line.http_class == 4


def test_not_json_or_not_an_object_stays_plain():
    assert parse_line("{not json").summary is None
    assert parse_line("[1, 2]").summary is None
    assert parse_line("plain").readable == "plain"


def test_buffer_is_bounded_and_indexes_survive_eviction():
    buffer = LogBuffer(maxlen=3)
    buffer.extend([LogLine(raw=str(n)) for n in range(5)])
    assert len(buffer) == 3 and buffer.appended == 5 and buffer.first_index == 2
    assert buffer.at(1) is None and buffer.at(2).raw == "2" and buffer.at(4).raw == "4"
    assert [line.raw for line in buffer.window(3, 10)] == ["3", "4"]
    buffer.clear()
    assert len(buffer) == 0 and buffer.generation == 1 and buffer.first_index == 5


def test_buffer_stays_at_maxlen_under_a_flood():
    buffer = LogBuffer(maxlen=1000)
    for _ in range(50):
        buffer.extend([LogLine(raw="x")] * 700)
    assert len(buffer) == 1000 and buffer.appended == 35_000


def test_follow_state_counts_lines_waiting():
    state = FollowState()
    assert state.pending(10) == 0
    state.pause(10)
    state.pause(12)  # pausing again keeps the first mark
    assert state.pending(25) == 15
    state.follow()
    assert state.pending(30) == 0


def test_presets_are_the_guides_patterns():
    assert [p.pattern for p in FILTER_PRESETS] == ["ERROR", '"invalid token"', '"database connection"']


def test_time_ranges():
    assert LAST_HOUR.bounds(10_000_000) == (10_000_000 - 3_600_000, None)
    assert parse_time_range("30m").since_s == 1800
    fixed = parse_time_range("2026-11-28 12:00..2026-11-28 13:00")
    assert fixed.bounds(0) == (1_795_867_200_000, 1_795_870_800_000) and not fixed.follows
    for bad in ("yesterday", "0m", "2026-11-28 13:00..2026-11-28 12:00"):
        with pytest.raises(ValueError):
            parse_time_range(bad)


def test_pattern_for_message_quotes_a_matchable_term():
    assert pattern_for_message("  ERROR database connection refused\n") == '"ERROR database connection refused"'
    assert pattern_for_message('ERROR bad "quoted" thing') == '"ERROR bad"'
    json_line = '{"level":"error","msg":"database connection refused","status":500}'
    assert pattern_for_message(json_line) == '"database connection refused"'
    with pytest.raises(ValueError):
        pattern_for_message('"')


def test_clock_text_is_utc_hh_mm_ss_millis():
    from datetime import UTC, datetime

    from kojan_tui.ui.widgets.log_row import clock_text

    for stamp in (0, 1_795_867_200_123, 1_795_910_399_999, 86_399_999):
        moment = datetime.fromtimestamp(stamp / 1000, UTC)
        assert clock_text(stamp) == f"{moment:%H:%M:%S}.{stamp % 1000:03d}"


def test_buffer_bounds_characters_too_and_keeps_the_newest_line():
    buffer = LogBuffer(maxlen=1000, max_chars=5_000_000)
    for n in range(20):
        buffer.extend([LogLine(raw=str(n % 10) * 1_000_000)])
    assert len(buffer) == 5 and buffer.chars == 5_000_000
    assert buffer.at(buffer.appended - 1).raw.startswith("9") and buffer.first_index == 15
    buffer.extend([LogLine(raw="z" * 9_000_000)])  # bigger than the budget alone: still shown
    assert len(buffer) == 1 and buffer.chars == 9_000_000


def test_buffer_character_count_stays_exact_through_eviction():
    import random

    rng = random.Random(7)
    buffer = LogBuffer(maxlen=50, max_chars=3_000)
    for _ in range(300):
        buffer.extend([LogLine(raw="x" * rng.randint(0, 120)) for _ in range(rng.randint(1, 80))])
        assert buffer.chars == sum(len(line.raw) for line in buffer)
        assert len(buffer) <= 50 and (buffer.chars <= 3_000 or len(buffer) == 1)
