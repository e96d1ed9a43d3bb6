"""What the revision list knows of the service's recent history: which revision it was rolled back from."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.core.revisions import preselected, revision_rows, rolled_back_from
from tests.core.test_deploy_core import ARN, dep, td
from tests.fixtures import builders as b

TARGET = "kojan-map-production/kojan-map-business"


def sent(action: str, before: int, after: int, request_id: str, *outcomes: str, ts: str = "2026-12-02T03:12:00.000+00:00"):
    details = {"request_id": request_id, "task_definition_before": ARN.format(before), "task_definition": ARN.format(after)}
    return [{"ts": ts, "action": action, "target": TARGET, "outcome": o, "details": details} for o in outcomes]


def running(rev: int, *others):
    return replace(b.service(), task_definition=ARN.format(rev), deployments=(dep("p", rev, rollout="COMPLETED"), *others))


def test_a_sent_rollback_marks_the_revision_it_left_with_time_and_verdict() -> None:
    entries = sent("rollback", 3, 2, "r1", "requested", "confirmed", "succeeded", "verified")
    marks = rolled_back_from(entries, running(2), TARGET)
    assert set(marks) == {"kojan-map-business:3"}
    assert marks["kojan-map-business:3"].text() == "rolled back from at 03:12 UTC: rolled back to kojan-map-business:2 (verified)"
    rows = revision_rows([td(1), td(2), td(3)], running(2), marks)
    assert rows[0].rolled_back_from is not None and rows[preselected(rows)].revision == 1


def test_not_sent_other_services_and_deploying_again_leave_no_mark() -> None:
    assert rolled_back_from(sent("rollback", 3, 2, "r1", "requested", "confirmed"), running(2), TARGET) == {}
    other = [dict(e, target="other/service") for e in sent("rollback", 3, 2, "r1", "succeeded")]
    assert rolled_back_from(other, running(2), TARGET) == {}
    again = sent("rollback", 3, 2, "r1", "succeeded") + sent("rollback", 2, 3, "r2", "succeeded")
    assert "kojan-map-business:3" not in rolled_back_from(again, running(3), TARGET)


def test_a_failed_rollout_ecs_reports_is_marked_and_the_running_revision_never() -> None:
    failed = dep("f", 3, status="ACTIVE", rollout="FAILED", reason="tasks failed to start")
    marks = rolled_back_from([], running(2, failed), TARGET)
    assert marks["kojan-map-business:3"].how == "its rollout FAILED: tasks failed to start"
    assert rolled_back_from(sent("rollback", 2, 1, "r", "succeeded"), running(2), TARGET) == {}


def test_when_every_other_revision_was_left_none_is_preselected() -> None:
    marks = rolled_back_from(
        sent("rollback", 1, 2, "a", "succeeded") + sent("rollback", 3, 2, "b", "succeeded"), running(2), TARGET
    )
    rows = revision_rows([td(1), td(2), td(3)], running(2), marks)
    assert preselected(rows) is None


def test_an_old_rollback_marks_nothing() -> None:
    from datetime import datetime

    entries = sent("rollback", 3, 2, "r1", "succeeded", ts="2026-11-01T03:12:00.000+00:00")
    since = datetime.fromisoformat("2026-12-01T03:12:00+00:00")
    assert rolled_back_from(entries, running(2), TARGET, since=since) == {}
    assert set(rolled_back_from(entries, running(2), TARGET)) == {"kojan-map-business:3"}
