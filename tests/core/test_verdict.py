"""The S01 verdict: healthy when ACTIVE, running == desired and the primary rollout COMPLETED; else why."""

from kojan_tui.core.levels import Level
from kojan_tui.core.verdict import image_tag, service_verdict, task_definition_label
from tests.fixtures.builders import TD_ARN, deployment, service, task_definition


def test_healthy():
    verdict = service_verdict(service())
    assert verdict.healthy and verdict.summary == "HEALTHY"


def test_no_data_is_unknown():
    assert service_verdict(None).level is Level.UNKNOWN


def test_missing_tasks_is_an_alert_saying_how_many():
    verdict = service_verdict(service(running=1, desired=2))
    assert verdict.level is Level.ALERT
    assert "1 of 2 tasks running" in verdict.summary


def test_not_active_is_an_alert():
    verdict = service_verdict(service(status="DRAINING"))
    assert verdict.level is Level.ALERT and "DRAINING" in verdict.summary


def test_rollout_in_progress_is_a_warning_and_failed_is_an_alert():
    rolling = service(
        deployments=(deployment("IN_PROGRESS", running=1), deployment("COMPLETED", status="ACTIVE")), running=3, desired=2
    )
    assert service_verdict(rolling).level is Level.WARNING
    assert "rollout in progress" in service_verdict(rolling).summary
    failed = service(rollout="FAILED")
    assert service_verdict(failed).level is Level.ALERT and "rollout FAILED" in service_verdict(failed).summary


def test_no_primary_deployment_is_an_alert():
    verdict = service_verdict(service(deployments=()))
    assert verdict.level is Level.ALERT and "no PRIMARY" in verdict.summary


def test_labels():
    assert task_definition_label(TD_ARN) == "kojan-map-business:42"
    assert task_definition_label("kojan-map-business:7") == "kojan-map-business:7"
    assert image_tag(task_definition()) == "v1.4.2"
    assert image_tag(task_definition("repo/business")) == "latest"
    assert image_tag(task_definition("localhost:5000/business")) == "latest"
    assert image_tag(None) == "?"


def test_a_scale_in_draining_extra_tasks_is_a_warning_not_an_alert():
    # desired went 4 → 2, the deployment is COMPLETED, ECS drains the two extra tasks
    verdict = service_verdict(service(running=4, desired=2))
    assert verdict.level is Level.WARNING
    assert verdict.summary == "SCALING IN — 4 of 2 tasks running (the extra ones are draining)"
    assert service_verdict(service(running=1, desired=2)).level is Level.ALERT  # a missing task still is one
