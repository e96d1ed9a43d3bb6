"""Partial answers are not whole answers: a series AWS marked partial or denied, and a count cut at its page limit."""

from dataclasses import replace

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.levels import Level
from kojan_tui.core.models import LogCount
from kojan_tui.core.readings import compute_readings, errors_reading
from kojan_tui.core.thresholds import Thresholds
from tests.fixtures import builders as b


def readings_with(status: str, query_id: str = q.ECS_CPU):
    metrics = b.healthy_metrics()
    metrics[query_id] = replace(b.flat(query_id, 30), status=status)
    return compute_readings(metrics, b.db_instance(), Thresholds())


def test_a_partial_or_denied_series_is_marked_and_never_current():
    for status, word in (("PartialData", "partial answer"), ("Forbidden", "denied"), ("InternalError", "AWS internal error")):
        cpu = readings_with(status)["ecs_cpu_percent"]
        assert cpu.partial == word and cpu.current is None and cpu.level is Level.UNKNOWN
        assert cpu.value_text == f"30.0 % · {word}"
    assert readings_with("Complete")["ecs_cpu_percent"].level is Level.OK


def test_one_partial_part_of_the_error_rate_marks_the_rate():
    rate = readings_with("PartialData", q.ELB_5XX)["error_rate_percent"]
    assert rate.partial == "partial answer" and rate.level is Level.UNKNOWN


def test_an_incomplete_error_count_is_at_least_n_and_never_ok():
    thresholds = Thresholds()
    low = errors_reading(LogCount(0, complete=False), thresholds, complete=False)
    assert low.value_text == "≥ 0 (incomplete)" and low.level is Level.UNKNOWN
    high = errors_reading(50, thresholds, complete=False)
    assert high.value_text == "≥ 50 (incomplete)" and high.level is Level.ALERT  # at least 50 is an alert already
    assert errors_reading(0, thresholds).level is Level.OK


def test_log_count_is_an_int_that_knows_whether_it_is_whole():
    count = LogCount(7, complete=False)
    assert count == 7 and count + 1 == 8 and not count.complete and LogCount(3).complete
