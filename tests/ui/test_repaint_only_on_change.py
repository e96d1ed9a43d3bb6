"""The dashboard repaints a panel only when what it shows changed (idle CPU), and a panel fed by two sources
shows the failing one's reason; the log pane shows a logs poll cut off at its deadline."""

from __future__ import annotations

from datetime import timedelta

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.readings import RDS_STORAGE
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.widgets.alert_bar import AlertBar
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from kojan_tui.ui.widgets.log_pane import LogStatusLine
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.rollback_banner import RollbackBanner
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, quiet_config, refresh


class Clock:
    def __init__(self) -> None:
        self.now = b.NOW

    def __call__(self):
        return self.now


def spy_refreshes(widgets) -> dict[str, int]:
    """Count ``refresh()`` calls per widget id from now on."""
    counts: dict[str, int] = {}
    for widget in widgets:
        original = widget.refresh
        counts[widget.id] = 0

        def counting(*args, _original=original, _id=widget.id, **kwargs):
            counts[_id] += 1
            return _original(*args, **kwargs)

        widget.refresh = counting
    return counts


async def test_a_second_passing_or_an_unchanged_poll_repaints_nothing_and_a_new_minute_only_the_clock():
    fake, clock = healthy_fake(), Clock()
    app = KojanApp(quiet_config(), fake, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        screen = app.screen
        panels = [*screen.query(MetricPanel), screen.query_one(ServicePanel), screen.query_one(ErrorsPanel)]
        bars = [screen.query_one(AlertBar), screen.query_one(RollbackBanner)]
        counts = spy_refreshes([*panels, *bars, screen.query_one(ContextBar)])
        clock.now += timedelta(seconds=1)  # b.NOW is on the minute: one second later is the same minute
        screen.show_ages()
        await refresh(app, pilot)  # every source answers the same again
        assert all(n == 0 for n in counts.values()), counts  # the clock shows minutes: a second repaints nothing

        fake.metrics[q.ECS_CPU] = b.flat(q.ECS_CPU, 55)  # one metric changes: only its panel repaints
        await refresh(app, pilot, ["metrics"])
        repainted = {k for k, v in counts.items() if v and k != "context-bar"}
        assert repainted == {"metric-ecs_cpu_percent"}, counts

        clock.now += timedelta(minutes=1)  # a new minute repaints the clock (once; the same minute again: nothing)
        screen.show_ages()
        assert counts["context-bar"] == 1, counts
        screen.show_ages()
        assert counts["context-bar"] == 1


async def test_the_rds_storage_panel_shows_the_database_failure_over_the_metrics_wait_and_the_metrics_failure_over_both():
    fake, clock = healthy_fake(), Clock()
    app = KojanApp(quiet_config(), fake, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        fake.failures["describe_db_instance"] = AwsFailure(FailureKind.ACCESS_DENIED, "no rds:DescribeDBInstances")
        await refresh(app, pilot, ["database"])
        clock.now += timedelta(seconds=3 * app.config.refresh.metrics_seconds)  # metrics overdue: "waiting for AWS"
        app.screen.show_ages()
        storage = app.screen.query_one(f"#metric-{RDS_STORAGE.key}", MetricPanel)
        cpu = app.screen.query_one("#metric-ecs_cpu_percent", MetricPanel)
        assert cpu.stale_text is not None and cpu.stale_text.endswith("— waiting for AWS")
        assert storage.stale_text is not None and storage.stale_text.endswith("— access denied"), storage.stale_text
        fake.failures["get_metric_data"] = AwsFailure(FailureKind.THROTTLED, "Rate exceeded", operation="GetMetricData")
        await refresh(app, pilot, ["metrics"])
        assert storage.stale_text is not None and storage.stale_text.endswith("— throttled"), storage.stale_text


async def status_settles(pilot, status: LogStatusLine, ok) -> None:
    """The pane applies feed changes at most five times a second (LogView.sync_interval): wait for that."""
    for _ in range(100):
        await pilot.pause(0.05)
        if ok(status.render().plain):
            return
    raise AssertionError(status.render().plain)


async def test_a_logs_poll_cut_off_at_its_deadline_shows_on_the_log_pane_and_clears_when_one_answers():
    fake = healthy_fake()
    app = KojanApp(quiet_config(), fake, clock=lambda: b.NOW)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        status = app.screen.query_one(LogStatusLine)
        assert app.log_feed.last_failure is None and "⚠" not in status.render().plain
        app.poller.sources["logs"].deadline_s = 0.1
        fake.delays["filter_log_events"] = 3600  # AWS never answers: the poller cancels the poll
        await refresh(app, pilot, ["logs"])
        assert app.poller.freshness("logs").failure_kind is FailureKind.TIMEOUT
        assert app.log_feed.last_failure is not None and app.log_feed.last_failure.kind is FailureKind.TIMEOUT
        await status_settles(pilot, status, lambda text: "⚠ timeout" in text)
        del fake.delays["filter_log_events"]
        await refresh(app, pilot, ["logs"])
        assert app.log_feed.last_failure is None
        await status_settles(pilot, status, lambda text: "⚠" not in text)
