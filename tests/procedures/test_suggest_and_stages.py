"""Alert → runbook mapping on the shipped runbooks, and the S24 stage clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kojan_tui.procedures.loader import load_procedures
from kojan_tui.procedures.models import Kind
from kojan_tui.procedures.runs import ProcedureRun, StepState
from kojan_tui.procedures.stages import stage_clocks
from kojan_tui.procedures.suggest import runbook_for_alert, runbook_for_log, runbook_for_reason

RUNBOOKS = load_procedures([Kind.RUNBOOK], user_dir=None).in_language("en")
T0 = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


def test_alerts_open_the_most_specific_runbook_and_s25_the_emergency_flow():
    assert runbook_for_alert(RUNBOOKS, "ecs_memory_percent").id == "s09-memory-leak"
    assert runbook_for_alert(RUNBOOKS, "p99_latency_ms").id == "s10-latency"
    assert runbook_for_alert(RUNBOOKS, "error_rate_percent").id == "s08-database"
    assert runbook_for_alert(RUNBOOKS, "ecs_cpu_percent") is None
    assert runbook_for_reason(RUNBOOKS, "memory").id == "s24-emergency"
    assert runbook_for_reason(RUNBOOKS, "db_down").id == "s24-emergency"
    assert runbook_for_log(RUNBOOKS, '"invalid token"').id == "s07-auth-errors"
    assert runbook_for_log(RUNBOOKS, "database connection").id == "s08-database"


def test_stage_clocks_start_when_the_stage_before_is_done_and_mark_overdue():
    s24 = next(p for p in RUNBOOKS if p.id == "s24-emergency")
    run = ProcedureRun(1, s24.id, "runbook", "en", s24.title, T0)
    run = run.with_step("detect", StepState(True, T0 + timedelta(minutes=3)))
    clocks = stage_clocks(s24, run, T0 + timedelta(minutes=16))
    assert clocks["detect"].done and not clocks["detect"].overdue and clocks["detect"].text() == "3:00 / 5:00 ✓"
    assert clocks["logs-cause"].elapsed == timedelta(minutes=13) and clocks["logs-cause"].overdue
    assert clocks["logs-cause"].text() == "OVERDUE 13:00 / 10:00"
    assert clocks["decide"].started is None and clocks["decide"].text() == "— / 5:00"
    assert clocks["root-cause"].budget == timedelta(hours=24)
    assert "share" not in clocks  # no budget, no clock
