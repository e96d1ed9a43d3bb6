"""Several counts from one scan: the pattern asked of AWS and the client-side split by term and window."""

from __future__ import annotations

import pytest

from kojan_tui.core.log_terms import TermWindow, any_term_pattern, quoted, tally


def test_the_pattern_asks_for_any_term_quoting_phrases():
    windows = {"errors": TermWindow("ERROR", 0), "db": TermWindow("database connection", 50)}
    assert any_term_pattern(windows) == '?ERROR ?"database connection"'
    assert any_term_pattern({"one": TermWindow("ERROR", 0)}) == "ERROR"
    assert any_term_pattern({"a": TermWindow("ERROR", 0), "b": TermWindow("ERROR", 9)}) == "ERROR"
    assert quoted("auth-failed") == '"auth-failed"'


def test_a_term_with_a_double_quote_is_refused():
    with pytest.raises(ValueError):
        TermWindow('say "hi"', 0)


def test_each_line_counts_for_every_window_it_falls_in():
    windows = {"errors": TermWindow("ERROR", 0), "db": TermWindow("database connection", 100)}
    counts = dict.fromkeys(windows, 0)
    lines = [
        (10, "ERROR database connection refused"),  # old: the hour's ERROR count only
        (120, "ERROR database connection refused"),  # recent: both
        (130, "WARN database connection slow"),  # recent, no ERROR: the db count only
        (140, "error in lower case"),  # case-sensitive, as CloudWatch's terms: neither
        (150, "ERROR timeout"),
    ]
    for timestamp_ms, message in lines:
        tally(counts, windows, timestamp_ms, message)
    assert counts == {"errors": 3, "db": 2}
