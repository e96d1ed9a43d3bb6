"""S25: each of the four roll-back-now conditions, and their absence on a healthy service."""

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.config import RollbackTriggers
from kojan_tui.core.readings import compute_readings
from kojan_tui.core.rollback_rules import rollback_reasons, sustained_seconds
from kojan_tui.core.thresholds import Thresholds
from tests.fixtures.builders import db_instance, flat, healthy_metrics, series

TRIGGERS = RollbackTriggers()


def reasons(metrics, db=None, db_errors=None):
    readings = compute_readings(metrics, db or db_instance(), Thresholds())
    return [r.code for r in rollback_reasons(readings, db or db_instance(), db_errors, TRIGGERS, 60)]


def test_healthy_has_none():
    assert reasons(healthy_metrics()) == []


def test_every_request_failing():
    metrics = healthy_metrics() | {q.ALB_5XX: flat(q.ALB_5XX, 995)}
    assert reasons(metrics) == ["all_failing"]


def test_db_down_from_rds_status():
    assert reasons(healthy_metrics(), db=db_instance("stopped")) == ["db_down"]


def test_db_down_from_all_failing_with_connection_errors():
    metrics = healthy_metrics() | {q.ALB_5XX: flat(q.ALB_5XX, 1000)}
    assert reasons(metrics, db_errors=0) == ["all_failing"]
    assert reasons(metrics, db_errors=12) == ["all_failing", "db_down"]


def test_memory_above_95():
    assert reasons(healthy_metrics() | {q.ECS_MEMORY: flat(q.ECS_MEMORY, 95)}) == []
    assert reasons(healthy_metrics() | {q.ECS_MEMORY: flat(q.ECS_MEMORY, 95.5)}) == ["memory"]


def test_cpu_must_be_sustained():
    short = series(q.ECS_CPU, [30] * 50 + [100] * 4)  # 4 min
    assert reasons(healthy_metrics() | {q.ECS_CPU: short}) == []
    long = series(q.ECS_CPU, [30] * 50 + [100] * 5)  # 5 min of 1-min periods
    assert reasons(healthy_metrics() | {q.ECS_CPU: long}) == ["cpu"]


def test_a_gap_breaks_the_sustained_run():
    readings = compute_readings({q.ECS_CPU: series(q.ECS_CPU, [100] * 10, period=120)}, None, Thresholds())
    assert sustained_seconds(readings["ecs_cpu_percent"], 99, 60) == 60
