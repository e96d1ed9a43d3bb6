"""The dashboard's behaviour: S25 banner, stale marking and recovery, one GetMetricData per refresh,
never-overlapping polls, chart windows, bell and notifications, untrusted text, closing the gateway."""

import asyncio
from dataclasses import replace

import pytest

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import ServiceEvent
from kojan_tui.ui.widgets.alert_bar import AlertBar
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.rollback_banner import RollbackBanner
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.fixtures import builders as b
from tests.ui.harness import error_lines, healthy_fake, make_app, plain, quiet_config, refresh, until


def s25_world(condition: str) -> FakeGateway:
    fake = healthy_fake()
    if condition == "all_failing":
        fake.metrics[q.ALB_5XX] = b.flat(q.ALB_5XX, 1000)
    elif condition == "db_down":
        fake.db_instance = b.db_instance("stopped")
    elif condition == "db_connection":
        fake.metrics[q.ALB_5XX] = b.flat(q.ALB_5XX, 1000)
        fake.log_events = error_lines(5, "ERROR database connection refused: dial tcp 10.0.3.7:3306")
    elif condition == "memory":
        fake.metrics[q.ECS_MEMORY] = b.flat(q.ECS_MEMORY, 96)
    elif condition == "cpu":
        fake.metrics[q.ECS_CPU] = b.series(q.ECS_CPU, [40] * 50 + [100] * 10)
    return fake


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("all_failing", "every request is failing"),
        ("db_down", "RDS kojan-map-db is stopped"),
        ("db_connection", '"database connection" errors'),
        ("memory", "ECS memory 96.0 % > 95 %"),
        ("cpu", "ECS CPU ≥ 99 % for 10 min"),
    ],
)
async def test_rollback_banner_for_each_s25_condition(condition, words):
    fake = healthy_fake()
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        banner = app.screen.query_one(RollbackBanner)
        assert not banner.display
        world = s25_world(condition)
        fake.metrics, fake.db_instance, fake.log_events = world.metrics, world.db_instance, world.log_events
        await refresh(app, pilot)
        assert banner.display and banner.region.height > 0
        text = plain(banner.render())
        assert "ROLL BACK NOW" in text and words in text
        fake.metrics, fake.db_instance, fake.log_events = b.healthy_metrics(), b.db_instance(), []
        await refresh(app, pilot)
        assert not banner.display


async def test_a_failing_source_marks_only_its_panels_stale_and_recovers():
    fake = healthy_fake()
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panels = list(app.screen.query(MetricPanel))
        assert all(p.stale_text is None for p in panels)
        fake.failures["get_metric_data"] = AwsFailure(FailureKind.THROTTLED, "Rate exceeded", operation="GetMetricData")
        await refresh(app, pilot)
        assert all(p.stale_text == "STALE 0s — throttled" for p in panels)
        assert all("STALE 0s — throttled" in plain(p.render()) for p in panels)
        assert all("✓ OK" in plain(p.render()) for p in panels)  # the last good data stays on screen
        assert app.screen.query_one(ServicePanel).stale_text is None
        assert app.screen.query_one(ErrorsPanel).stale_text is None
        del fake.failures["get_metric_data"]
        await refresh(app, pilot, ["metrics"])
        assert all(p.stale_text is None for p in panels)


async def test_service_failure_marks_the_service_panel_only():
    fake = healthy_fake()
    app = make_app(fake)
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot)
        fake.failures["describe_service"] = AwsFailure(FailureKind.ACCESS_DENIED, "no ecs:DescribeServices")
        await refresh(app, pilot)
        service = app.screen.query_one(ServicePanel)
        assert service.stale_text == "STALE 0s — access denied" and "STALE" in plain(service.render())
        assert all(p.stale_text is None for p in app.screen.query(MetricPanel))
        del fake.failures["describe_service"]
        await refresh(app, pilot, ["service"])
        assert service.stale_text is None


async def test_one_refresh_makes_exactly_one_get_metric_data_call_for_all_ten_series():
    fake = healthy_fake()
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        before = fake.calls["get_metric_data"]
        source = app.poller.sources["metrics"]
        polls = source.completed
        await pilot.press("r")
        async with source.done:
            await source.done.wait_for(lambda: source.completed > polls)
        await asyncio.sleep(0.05)
        assert fake.calls["get_metric_data"] == before + 1
        assert {query.id for query in fake.metric_calls[-1]} == {
            q.P99_LATENCY,
            q.ALB_5XX,
            q.ALB_REQUESTS,
            q.ECS_CPU,
            q.ECS_MEMORY,
            q.RDS_CPU,
            q.RDS_FREE_STORAGE,
            q.ELB_5XX,
            q.HEALTHY_HOSTS,
            q.UNHEALTHY_HOSTS,
        }


class CountingFake(FakeGateway):
    """Counts how many of the dashboard's GetMetricData calls (the S03 batch) run at the same time. The SLO's long
    window (three hourly series, every 5 minutes) is another source's call and may run beside one."""

    def __init__(self):
        super().__init__()
        self.running = self.max_running = 0

    async def get_metric_data(self, queries, start, end):
        if len(queries) != 10:
            return await super().get_metric_data(queries, start, end)
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            return await super().get_metric_data(queries, start, end)
        finally:
            self.running -= 1


async def test_slow_metrics_polls_never_overlap_however_often_refresh_is_pressed():
    fake = CountingFake()
    world = healthy_fake()
    fake.service, fake.task_definitions, fake.db_instance, fake.metrics = (
        world.service,
        world.task_definitions,
        world.db_instance,
        world.metrics,
    )
    fake.delays["get_metric_data"] = 0.15
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(6):
            await pilot.press("r")
            await asyncio.sleep(0.03)
        await app.poller.refresh_now(["metrics"], wait=True)
        assert fake.max_running == 1
        # the start poll + at most one per press + the final refresh's: never a pile-up of parallel calls
        # (+ 1: the SLO's long window at the start; a press within its 5 minutes asks nothing new)
        assert 2 <= fake.calls["get_metric_data"] <= 1 + 6 + 2 + 1


async def test_chart_window_keys_change_the_query_period_and_the_label():
    fake = healthy_fake()
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert fake.metric_calls[-1][0].period == 60
        await pilot.press("3")
        await refresh(app, pilot, ["metrics"])
        assert app.sources.window == "24h" and fake.metric_calls[-1][0].period == 300
        assert "-24h" in plain(app.screen.query_one("#metric-ecs_cpu_percent", MetricPanel).render())
        assert "chart 24h" in app.screen.query_one(ContextBar).render().plain
        await pilot.press("2")
        await refresh(app, pilot, ["metrics"])
        assert app.sources.window == "3h" and fake.metric_calls[-1][0].period == 60


async def test_new_alert_rings_the_bell_and_notifies_once():
    fake = healthy_fake()
    app = make_app(fake, config=quiet_config(bell=True, notify=True))
    bells: list[int] = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert bells == [] and not app._notifications
        fake.metrics[q.ECS_CPU] = b.flat(q.ECS_CPU, 90)
        await refresh(app, pilot)
        assert bells == [1]
        assert any("ECS CPU" in n.message and "consider scaling" in n.message for n in app._notifications)
        await refresh(app, pilot)
        assert bells == [1]  # still the same alert: no second bell
        bar = app.screen.query_one(AlertBar)
        assert "ECS CPU 90.0 %" in plain(bar.render()) and "since 13:00:00" in plain(bar.render())


async def test_bell_and_notify_can_be_turned_off():
    fake = healthy_fake()
    fake.metrics[q.ECS_CPU] = b.flat(q.ECS_CPU, 90)
    app = make_app(fake)  # quiet_config: bell and notify off
    bells: list[int] = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert app.state.alerts.active and bells == [] and not app._notifications


async def test_aws_text_is_never_markup_and_control_characters_show():
    fake = healthy_fake()
    hostile = "[bold red]fake[/] [link=http://x]y[/link] \x1b[31mred\x07"
    fake.service = b.service(events=(ServiceEvent("e9", b.NOW, hostile),))
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        text = plain(app.screen.query_one(ServicePanel).render())
        assert "[bold red]fake[/] [link=http://x]y[/link] ␛[31mred␇" in text


async def test_aws_event_text_with_c1_bidi_and_zero_width_characters_is_made_visible():
    fake = healthy_fake()
    hostile = "deploy\x9b2J ok\u202egnp.exe\u200b\u2066x\u2069\ufeff\U000e0041"
    fake.service = b.service(events=(ServiceEvent("e9", b.NOW, hostile),))
    app = make_app(fake)
    async with app.run_test(size=(200, 48)) as pilot:
        await refresh(app, pilot)
        text = plain(app.screen.query_one(ServicePanel).render())
        assert "deploy\\x9b2J ok\\u202egnp.exe\\u200b\\u2066x\\u2069\\ufeff\\U000e0041" in text
        for char in ("\x9b", "\u202e", "\u200b", "\u2066", "\u2069", "\ufeff", "\U000e0041"):
            assert char not in text


async def test_the_app_closes_the_gateway_on_exit():
    fake = healthy_fake()
    app = make_app(fake)
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot)
        await pilot.press("q")
    assert fake.calls["close"] == 1
    assert all(s.task is None for s in app.poller.sources.values())


async def test_task_definition_is_described_only_when_it_changes_and_its_failure_is_not_fatal():
    fake = healthy_fake()
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        await refresh(app, pilot, ["service"])
        assert fake.calls["describe_task_definition"] == 1 and fake.calls["describe_service"] >= 2
        new_arn = b.TD_ARN.replace(":42", ":43")
        fake.service = replace(b.service(), task_definition=new_arn)
        fake.failures["describe_task_definition"] = AwsFailure(FailureKind.ACCESS_DENIED, "no ecs:DescribeTaskDefinition")
        await refresh(app, pilot, ["service"])
        panel = app.screen.query_one(ServicePanel)
        assert panel.stale_text is None
        assert "kojan-map-business:43" in plain(panel.render()) and "image ?" in plain(panel.render())


async def test_stale_panels_recover_by_themselves_on_the_next_scheduled_poll():
    from kojan_tui.core.config import RefreshSettings

    fake = healthy_fake()
    config = replace(quiet_config(), refresh=RefreshSettings(metrics_seconds=0.05))
    app = make_app(fake, config=config)
    async with app.run_test(size=(160, 48)) as pilot:
        panel = app.screen.query_one("#metric-ecs_cpu_percent", MetricPanel)

        await until(pilot, lambda: panel.reading is not None and panel.reading.latest == 30, "the first reading")
        fake.failures["get_metric_data"] = AwsFailure(FailureKind.UNAVAILABLE, "connection refused")
        await until(pilot, lambda: panel.stale_text is not None, "the panel to go stale")
        assert panel.stale_text.endswith("— unavailable")
        del fake.failures["get_metric_data"]
        await until(pilot, lambda: panel.stale_text is None, "recovery")  # no key pressed: the poller's own schedule


async def test_a_new_source_registers_on_the_app_poller_and_a_bug_in_it_is_notified_once():
    app = make_app()
    delivered: list[int] = []

    async def fetch() -> int:
        return 7

    async def broken() -> int:
        raise KeyError("bug")

    async with app.run_test(size=(160, 48)) as pilot:
        app.poller.register("extra", 3600, fetch, delivered.append)
        app.poller.register("buggy", 3600, broken, delivered.append)
        seen: list[str] = []
        app.services.state.subscribe(app.screen, lambda state: seen.append(state.changed))
        for _ in range(3):
            await refresh(app, pilot, ["extra", "buggy"])
        assert delivered == [7, 7, 7] and "extra" in seen and "buggy" in seen
        assert app.state.stale_text("buggy", app.now()) == "STALE never loaded — internal error: KeyError"
        assert sum("internal error KeyError" in n.message for n in app._notifications) == 1


async def test_a_breach_that_began_with_the_newest_deployment_points_at_the_rollback_in_both_languages():
    from dataclasses import replace
    from datetime import timedelta

    fake = healthy_fake()
    fake.service = b.service(deployments=(replace(b.deployment(), created_at=b.NOW - timedelta(minutes=3, seconds=30)),))
    for language, words in (("en", "began with deployment kojan-map-business:42"), ("ja", "デプロイ kojan-map-business:42")):
        fake.metrics = b.healthy_metrics()
        app = make_app(fake, quiet_config(language=language))
        async with app.run_test(size=(160, 48)) as pilot:
            await refresh(app, pilot)
            banner = app.screen.query_one(RollbackBanner)
            assert not banner.display  # healthy: nothing to point at
            fake.metrics[q.P99_LATENCY] = b.series(q.P99_LATENCY, [0.2] * 56 + [1.5] * 4)
            await refresh(app, pilot)
            assert banner.display and banner.region.height > 0
            text = plain(banner.render())
            assert words in text and "ROLL BACK NOW" not in text  # a pointer, not S25's order
            assert "S26" in text
