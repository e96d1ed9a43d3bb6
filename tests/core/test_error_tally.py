"""The errors panel's count follows the log feed between scans: scan + newer ERROR lines, each once."""

from kojan_tui.core.error_tally import ErrorTally


def lines(*items):
    return [(f"id{i}", ts, text) for i, ts, text in items]


def test_no_count_before_the_first_scan_then_scan_plus_newer_error_lines():
    tally = ErrorTally()
    assert tally.follow(lines((1, 1_000, "ERROR boom"))) and tally.count is None
    tally.scanned(1_500, 7)  # the scan already counted id1
    assert tally.count == 7
    assert tally.follow(lines((2, 2_000, "ERROR x"), (3, 2_001, "INFO ok"), (4, 2_002, '{"level":"ERROR"}')))
    assert tally.count == 9


def test_a_line_is_counted_once_even_when_the_feed_delivers_it_again():
    tally = ErrorTally()
    tally.scanned(0, 0)
    tally.follow(lines((1, 10, "ERROR a")))
    assert not tally.follow(lines((1, 10, "ERROR a")))
    assert tally.count == 1


def test_the_next_scan_takes_over_the_lines_it_covers():
    tally = ErrorTally()
    tally.scanned(0, 3)
    tally.follow(lines((1, 10, "ERROR a"), (2, 20, "ERROR b")))
    tally.scanned(15, 4)  # counted id1 (and one line of the hour dropped off)
    assert tally.count == 5  # 4 + id2


def test_case_matters_as_in_the_filter_pattern():
    tally = ErrorTally()
    tally.scanned(0, 0)
    assert not tally.follow(lines((1, 10, "error: lower case is not the S02 pattern")))
    assert tally.count == 0
