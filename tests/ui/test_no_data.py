"""Unknown is not OK, old data is not current: what the panels and the alert bar say without measurements."""

from datetime import timedelta

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.levels import Level
from kojan_tui.ui.widgets.alert_bar import AlertBar
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, plain, quiet_config, refresh

GATEWAY_CALLS = ("caller_identity", "describe_service", "get_metric_data", "describe_db_instance", "count_log_terms")


def panel(app, key: str) -> MetricPanel:
    return next(p for p in app.screen.query(MetricPanel) if p.spec.key == key)


async def test_a_newest_datapoint_15_minutes_old_shows_its_age_and_no_data_not_a_current_value():
    fake = healthy_fake()
    fake.metrics[q.P99_LATENCY] = b.series(q.P99_LATENCY, [0.42] * 30, end=b.NOW - timedelta(minutes=15))
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        p99 = panel(app, "p99_latency_ms")
        assert p99.level is Level.UNKNOWN
        text = plain(p99.render())
        assert text.splitlines()[0] == "420 ms · 15 min ago  ? NO DATA"
        assert panel(app, "ecs_cpu_percent").level is Level.OK  # the others are current
        bar = plain(app.screen.query_one(AlertBar).render())
        assert bar == "? NO DATA — no current datapoint: ALB p99 latency"
        assert "✓ OK" not in bar


async def test_with_no_credentials_the_alert_bar_and_every_verdict_say_no_data_never_ok():
    fake = healthy_fake()
    for method in GATEWAY_CALLS:
        fake.failures[method] = AwsFailure(FailureKind.CREDENTIALS, "Unable to locate credentials")
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert plain(app.screen.query_one(AlertBar).render()) == "? NO DATA — credentials missing or expired"
        service = plain(app.screen.query_one(ServicePanel).render())
        assert service.splitlines()[0] == "? NO DATA — credentials missing or expired"
        for metric in app.screen.query(MetricPanel):
            assert metric.level is Level.UNKNOWN and "? NO DATA" in plain(metric.render())
        for method in GATEWAY_CALLS:  # credentials come back: everything measured, OK at last
            del fake.failures[method]
        await refresh(app, pilot)
        assert plain(app.screen.query_one(AlertBar).render()) == "✓ OK no alerts"


async def test_when_aws_stops_answering_after_an_ok_the_alert_bar_no_longer_says_ok():
    fake = healthy_fake()
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert plain(app.screen.query_one(AlertBar).render()) == "✓ OK no alerts"
        fake.failures["get_metric_data"] = AwsFailure(FailureKind.THROTTLED, "Rate exceeded")
        await refresh(app, pilot)
        bar = plain(app.screen.query_one(AlertBar).render())
        assert bar.startswith("? NO DATA — ") and "(the levels shown are the last measured)" in bar
        assert "✓ OK" not in bar
        del fake.failures["get_metric_data"]
        await refresh(app, pilot)
        assert plain(app.screen.query_one(AlertBar).render()) == "✓ OK no alerts"


async def test_while_the_first_poll_runs_the_alert_bar_says_so():
    fake = healthy_fake()
    fake.delays["describe_service"] = 30.0  # the first answer has not come yet
    app = make_app(fake, quiet_config(language="en"))  # asserts the English text
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot, ["metrics", "errors", "database"])
        bar = plain(app.screen.query_one(AlertBar).render())
        assert bar == "? NO DATA — first poll running: ECS service"
        assert plain(app.screen.query_one(ServicePanel).render()).splitlines()[0] == "? NO DATA — first poll running"


async def test_the_5xx_panel_shows_its_target_and_load_balancer_parts():
    fake = healthy_fake()
    fake.metrics[q.ELB_5XX] = b.series(q.ELB_5XX, [1000])
    fake.metrics[q.HEALTHY_HOSTS] = b.flat(q.HEALTHY_HOSTS, 0)
    fake.metrics[q.UNHEALTHY_HOSTS] = b.flat(q.UNHEALTHY_HOSTS, 2)
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        lines = plain(panel(app, "error_rate_percent").render()).splitlines()
        assert lines[0] == "50.05 %  ✖ ALERT" and lines[1] == "target 0.05 % · LB 50.00 %"
        service = plain(app.screen.query_one(ServicePanel).render())
        assert "✖ ALERT UNHEALTHY — 0 healthy targets (2 unhealthy)" in service
        assert "targets 0 healthy, 2 unhealthy" in service


async def test_targets_counted_before_every_task_stopped_show_their_age_on_the_service_panel():
    fake = healthy_fake()
    fake.service = b.service(running=0, desired=2)
    fake.metrics[q.HEALTHY_HOSTS] = b.series(q.HEALTHY_HOSTS, [2.0] * 5, end=b.NOW - timedelta(seconds=90))
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        service = plain(app.screen.query_one(ServicePanel).render())
        assert "running 0/2" in service
        assert "targets 2 healthy · 90 s ago" in service


async def test_an_error_count_cut_at_its_page_limit_shows_as_incomplete_not_ok():
    from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
    from tests.ui.harness import error_lines, healthy_fake, make_app, plain, refresh

    fake = healthy_fake()
    fake.log_events = error_lines(5)
    fake.count_pages, fake.page_size = 1, 3  # the fake stops counting where the gateway would
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        text = plain(app.screen.query_one(ErrorsPanel).render())
        assert "≥ 3 (incomplete)" in text and "✓ OK" not in text
