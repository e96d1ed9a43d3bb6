"""S17's judgement of the slow query log: on, and queries over the guide's 1 s logged (long_query_time)."""

from __future__ import annotations

import pytest

from kojan_tui.core.slow_query_rule import judge_slow_query, parameters_text


@pytest.mark.parametrize(
    ("slow", "long_query", "ok", "seconds", "problem"),
    [
        ("1", "1", True, 1.0, ""),
        ("ON", "1.000000", True, 1.0, ""),
        ("1", "0.5", True, 0.5, ""),  # logs more than the guide asks: fine
        ("1", "2", False, 2.0, "above the guide's 1 s"),
        ("1", None, False, 10.0, "MySQL's default 10 s"),
        ("1", "soon", False, None, "not a number"),
        ("0", "1", False, 1.0, ""),  # off: nothing is logged, whatever long_query_time says
        (None, None, False, 10.0, "not set"),
    ],
)
def test_judge(slow, long_query, ok, seconds, problem):
    setting = judge_slow_query(slow, long_query)
    assert setting.ok is ok and setting.long_query_seconds == seconds
    assert (problem in setting.problem) if problem else setting.problem == ""


def test_parameters_text():
    assert parameters_text("1", "1") == "slow_query_log = 1, long_query_time = 1"
    assert parameters_text("1", None) == "slow_query_log = 1, long_query_time = not set"
