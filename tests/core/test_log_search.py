"""The local search: smartcase, /regex/, refused queries, bounded incremental scans, n/N with wrap-around."""

from __future__ import annotations

import pytest

from kojan_tui.core.log_search import LineMatches, SearchError, parse_query, status_label
from kojan_tui.core.logbuffer import LogBuffer
from kojan_tui.core.loglines import LogLine


def buffer_of(texts: list[str], maxlen: int = 100) -> LogBuffer:
    buffer = LogBuffer(maxlen)
    buffer.extend([LogLine(text) for text in texts])
    return buffer


def test_plain_text_is_case_insensitive_unless_it_holds_a_capital():
    assert parse_query("timeout").matches("upstream TIMEOUT")
    assert not parse_query("Timeout").matches("upstream TIMEOUT")
    assert parse_query("Timeout").matches("upstream Timeout")
    assert parse_query("a.b").matches("xa.bx") and not parse_query("a.b").matches("axb")  # plain: no metacharacters


def test_a_regex_is_written_between_slashes_and_escapes_are_not_capitals():
    query = parse_query(r"/time\S*out/")
    assert query.regex and query.ignore_case
    assert query.matches("TIME-OUT") and not query.matches("time out")
    assert not parse_query("/Time/").matches("time")


@pytest.mark.parametrize(
    ("typed", "key"),
    [("", "empty"), ("   ", "empty"), ("/[/", "bad-regex"), ("/(?P<x/", "bad-regex"), ("/(a+)+$/", "nested"),
     (r"/(\w*)*/", "nested"), ("x" * 501, "long")],
)  # fmt: skip
def test_queries_that_cannot_be_searched_say_why_in_both_languages(typed, key):
    with pytest.raises(SearchError) as raised:
        parse_query(typed)
    assert raised.value.key == key
    assert raised.value.text("ja") != raised.value.text("en")


def test_a_fixed_count_inside_a_repetition_is_allowed():
    assert parse_query("/(?:ab{2})+/").matches("abbabb")


def test_spans_are_non_empty_and_found_in_the_shown_text():
    assert parse_query("ab").spans("xxABxab") == [(2, 4), (5, 7)]
    assert parse_query("/x*/").spans("aaxxa") == [(2, 4)]  # empty matches are never a highlight


def test_matches_follow_the_buffer_as_lines_arrive_fall_off_and_the_buffer_starts_over():
    buffer = buffer_of(["a hit", "b", "c hit"], maxlen=4)
    matches = LineMatches(parse_query("hit"))
    assert matches.step(buffer) and matches.indexes == [0, 2]
    buffer.extend([LogLine("d hit"), LogLine("e")])  # "a hit" falls off
    assert not matches.caught_up(buffer)
    assert matches.step(buffer) and matches.indexes == [2, 3]
    buffer.clear()  # a new filter: the buffer starts over
    buffer.extend([LogLine("f hit")])
    assert matches.step(buffer) and matches.indexes == [5]


def test_a_scan_stops_when_its_budget_is_spent_and_resumes_where_it_stopped():
    buffer = buffer_of([f"line {n} {'hit' if n % 10 == 0 else ''}" for n in range(2000)], maxlen=2000)
    matches = LineMatches(parse_query("hit"))
    ticks = iter(range(10_000))
    assert not matches.step(buffer, budget_s=1, clock=lambda: next(ticks))  # the clock says: one chunk only
    assert 0 < matches.scanned < 2000
    while not matches.step(buffer, budget_s=1, clock=lambda: next(ticks)):
        pass
    assert len(matches) == 200 and matches.indexes == list(range(0, 2000, 10))


def test_next_previous_and_the_first_jump_wrap_around():
    matches = LineMatches(parse_query("hit"))
    matches.step(buffer_of(["hit", "x", "hit", "x", "hit"]))
    assert matches.newest_at_or_before(3) == 2 and matches.newest_at_or_before(4) == 4
    assert matches.next_from(2, True) == (4, False) and matches.next_from(4, True) == (0, True)
    assert matches.next_from(2, False) == (0, False) and matches.next_from(0, False) == (4, True)
    assert matches.position(2) == 2 and matches.position(1) is None


def test_the_status_label_counts_and_places_the_cursor():
    buffer = buffer_of(["hit", "x", "hit"])
    matches = LineMatches(parse_query("hit"))
    assert "searching" in status_label(matches, buffer, None, "en")
    matches.step(buffer)
    assert status_label(matches, buffer, 2, "en") == "search hit 2/2"
    assert status_label(matches, buffer, 1, "ja") == "検索 hit -/2"
    none = LineMatches(parse_query("zzz"))
    none.step(buffer)
    assert status_label(none, buffer, None, "en") == "search zzz no match"
