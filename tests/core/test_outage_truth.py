"""Issue 9 in the pure core: every failed request counts, target health, old data is not current, S25 in an outage."""

from dataclasses import replace
from datetime import timedelta

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.config import Config, Thresholds
from kojan_tui.core.dashboard import DashboardData, build_view
from kojan_tui.core.levels import Level
from kojan_tui.core.readings import Staleness, TargetHealth, compute_readings, error_rate
from kojan_tui.core.verdict import service_verdict
from tests.fixtures.builders import NOW, db_instance, flat, healthy_metrics, series, service


def test_error_rate_counts_the_load_balancers_own_5xx_on_both_sides():
    rate = error_rate(series(q.ALB_5XX, [2, 2]), series(q.ALB_REQUESTS, [100, 60]), series(q.ELB_5XX, [40]))
    assert rate.values == (2.0, 42.0)  # (2 + 40) / (60 + 40)
    assert rate.detail == "target 2.00 % · LB 40.00 %"


def test_a_period_with_only_elb_5xx_is_100_percent_not_no_requests():
    requests = series(q.ALB_REQUESTS, [100], end=NOW - timedelta(minutes=1))  # no RequestCount point in the newest minute
    rate = error_rate(None, requests, series(q.ELB_5XX, [412]))
    assert rate.latest == 100.0 and rate.note == ""
    assert rate.detail == "target 0.00 % · LB 100.00 %"


def test_the_newest_datapoint_15_minutes_old_shows_its_age_and_no_data():
    old = NOW - timedelta(minutes=15)
    metrics = {q.P99_LATENCY: series(q.P99_LATENCY, [0.42], end=old)}
    readings = compute_readings(metrics, None, Thresholds(), Staleness(NOW, 60, 3))
    p99 = readings["p99_latency_ms"]
    assert p99.stale and p99.level is Level.UNKNOWN and p99.current is None
    assert p99.value_text == "420 ms · 15 min ago"
    fresh = compute_readings(
        {q.P99_LATENCY: series(q.P99_LATENCY, [0.42], end=NOW - timedelta(minutes=2))}, None, Thresholds(), Staleness(NOW, 60, 3)
    )["p99_latency_ms"]
    assert not fresh.stale and fresh.level is Level.OK and fresh.value_text == "420 ms"


def test_stale_alert_values_are_not_judged():
    metrics = healthy_metrics() | {q.ECS_MEMORY: series(q.ECS_MEMORY, [99.0], end=NOW - timedelta(minutes=15))}
    view = build_view(DashboardData(service=service(), metrics=metrics, db_instance=db_instance()), Config(), NOW)
    assert view.readings["ecs_memory_percent"].level is Level.UNKNOWN
    assert "memory" not in {r.code for r in view.rollback}


def test_zero_running_or_zero_healthy_targets_is_an_alert_whatever_the_rollout_says():
    rolling = service(running=0, desired=2, rollout="IN_PROGRESS")
    assert service_verdict(rolling).level is Level.ALERT
    assert "0 of 2 tasks running" in service_verdict(rolling).reasons
    verdict = service_verdict(service(), TargetHealth(healthy=0, unhealthy=2))
    assert verdict.level is Level.ALERT and verdict.reasons == ("0 healthy targets (2 unhealthy)",)
    assert service_verdict(service(), TargetHealth(healthy=2, unhealthy=0)).level is Level.OK
    assert service_verdict(service(running=1, rollout="IN_PROGRESS")).level is Level.WARNING  # a rollout, not an outage


def outage_metrics():
    """Two minutes into an outage: the ALB answers 503 itself, no target answers, no latency point."""
    before = NOW - timedelta(minutes=2)
    metrics = healthy_metrics()
    return metrics | {
        q.P99_LATENCY: series(q.P99_LATENCY, [0.12] * 10, end=before),
        q.ALB_REQUESTS: series(q.ALB_REQUESTS, [1000] * 10, end=before),
        q.ALB_5XX: series(q.ALB_5XX, [1] * 10, end=before),
        q.ECS_CPU: series(q.ECS_CPU, [30] * 10, end=before),
        q.ECS_MEMORY: series(q.ECS_MEMORY, [50] * 10, end=before),
        q.ELB_5XX: series(q.ELB_5XX, [900, 1000, 400]),
        q.HEALTHY_HOSTS: series(q.HEALTHY_HOSTS, [0, 0, 0]),
        q.UNHEALTHY_HOSTS: series(q.UNHEALTHY_HOSTS, [1, 2, 2]),
    }


def test_outage_is_an_alert_everywhere_and_s25_says_every_request_is_failing():
    data = DashboardData(service=service(running=0, desired=2), metrics=outage_metrics(), db_instance=db_instance())
    view = build_view(data, Config(), NOW)
    assert view.readings["error_rate_percent"].level is Level.ALERT
    assert view.readings["error_rate_percent"].value_text == "100.00 %"
    assert view.verdict.level is Level.ALERT
    assert set(view.verdict.reasons) == {"0 of 2 tasks running", "0 healthy targets (2 unhealthy)"}
    [reason] = view.rollback
    assert reason.code == "all_failing"
    for cause in ("5XX rate 100.0 %", "0 of 2 tasks running", "0 healthy targets", "no target answered"):
        assert cause in reason.text


def test_s25_does_not_need_a_datapoint_the_missing_latency_is_the_signal():
    metrics = {q.ELB_5XX: series(q.ELB_5XX, [50]), q.ALB_REQUESTS: series(q.ALB_REQUESTS, [10_000])}  # 0.5 %: no rate rule
    view = build_view(DashboardData(metrics=metrics), Config(), NOW)
    assert [r.code for r in view.rollback] == ["all_failing"]
    assert "no latency datapoint" in view.rollback[0].text


def test_s25_judges_the_last_complete_period_too_so_a_partial_minute_neither_hides_nor_clears_it():
    config = Config()
    # 12:58 complete and all failing; 12:59 partial (now 12:59:20) with a few good requests after recovery
    metrics = {
        q.ALB_REQUESTS: series(q.ALB_REQUESTS, [0, 50], end=NOW - timedelta(seconds=60)),
        q.ELB_5XX: series(q.ELB_5XX, [500], end=NOW - timedelta(seconds=120)),
        q.P99_LATENCY: series(q.P99_LATENCY, [2.0, 0.1], end=NOW - timedelta(seconds=60)),
    }
    now = NOW - timedelta(seconds=40)
    view = build_view(DashboardData(metrics=metrics), config, now)
    assert view.readings["error_rate_percent"].current == 0.0  # the newest (partial) minute
    assert [r.code for r in view.rollback] == ["all_failing"] and "5XX rate 100.0 %" in view.rollback[0].text


def test_healthy_dashboard_has_no_alert_no_s25_and_every_reading_current():
    data = DashboardData(
        service=service(),
        metrics=healthy_metrics() | {q.HEALTHY_HOSTS: flat(q.HEALTHY_HOSTS, 2), q.UNHEALTHY_HOSTS: flat(q.UNHEALTHY_HOSTS, 0)},
        db_instance=db_instance(),
    )
    view = build_view(data, replace(Config()), NOW)
    assert view.verdict.level is Level.OK and view.rollback == ()
    assert all(r.level is Level.OK for r in view.readings.values())
    assert view.health.text == "targets 2 healthy"


def test_the_last_latency_from_before_the_outage_is_not_shown_as_current():
    """The ALB answers 5XX itself in newer periods than the newest latency point: that point is history."""
    data = DashboardData(service=service(running=0, desired=2), metrics=outage_metrics(), db_instance=db_instance())
    p99 = build_view(data, Config(), NOW).readings["p99_latency_ms"]
    assert p99.level is Level.UNKNOWN and p99.value_text == "120 ms · 2 min ago"
    healthy = build_view(DashboardData(service=service(), metrics=healthy_metrics(), db_instance=db_instance()), Config(), NOW)
    assert healthy.readings["p99_latency_ms"].level is Level.OK


def test_a_host_count_above_the_running_tasks_shows_its_age_beside_them():
    """In the first minute of an outage ECS already says 0 running while the newest HealthyHostCount datapoint
    (a minute's) still says 2: the panel must not state both as current."""
    health = TargetHealth(healthy=2.0, unhealthy=0.0, age_s=95.0)
    assert health.text_beside(0) == "targets 2 healthy · 95 s ago"
    assert health.text_beside(2) == "targets 2 healthy"  # agrees with ECS: no age needed
    assert health.text_beside(None) == "targets 2 healthy"  # no ECS answer to compare with
    assert TargetHealth().text_beside(0) == "targets ? (no current datapoint)"
    assert TargetHealth(healthy=2.0, age_s=10.0).text_beside(1) == "targets 2 healthy"  # as new as ECS: a draining target


def test_a_stale_source_keeps_the_alert_bar_from_saying_ok_with_its_last_levels():
    from kojan_tui.core.dashboard import no_data_text

    data = DashboardData(service=service(), metrics=healthy_metrics(), db_instance=db_instance(), errors_last_hour=0)
    english = replace(Config(), ui=replace(Config().ui, language="en"))
    view = build_view(data, english, NOW)
    assert no_data_text(view, [], waiting=False) == ""  # everything measured and current: OK may be said
    stale = no_data_text(view, ["timeout: no answer within 30 s (poll cancelled)"], waiting=False)
    assert stale == "timeout: no answer within 30 s (poll cancelled) (the levels shown are the last measured)"
    japanese = no_data_text(build_view(data, Config(), NOW), ["timeout"], waiting=False)  # the default language
    assert japanese == "タイムアウト（表示中のレベルは最後の計測値）"
