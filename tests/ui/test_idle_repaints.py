"""Idle CPU (issue 21): what the idle dashboard does every second or every few seconds repaints only what changed
on screen, counted (never timed): an empty Live Tail update, a new state whose SLO differs only in what the panel
does not show, a metrics poll whose window slid over the same values, the once-a-second age tick."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from textual.dom import DOMNode

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.livetail import LiveTailUpdate
from kojan_tui.core.models import LogEvent
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.widgets.alert_bar import AlertBar
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from kojan_tui.ui.widgets.log_pane import LogPane, LogStatusLine
from kojan_tui.ui.widgets.log_view import LogView
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.rollback_banner import RollbackBanner
from kojan_tui.ui.widgets.service_panel import ServicePanel
from kojan_tui.ui.widgets.slo_panel import SloPanel
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, plain, quiet_config, refresh, until
from tests.ui.test_repaint_only_on_change import Clock, spy_refreshes

NOW_MS = int(b.NOW.timestamp() * 1000)


def every_widget(app: KojanApp) -> list:
    screen = app.screen
    pane = screen.query_one(LogPane)
    return [
        *screen.query(MetricPanel), screen.query_one(ServicePanel), screen.query_one(ErrorsPanel), screen.query_one(SloPanel),
        screen.query_one(AlertBar), screen.query_one(RollbackBanner), screen.query_one(ContextBar),
        pane.query_one(LogView), pane.query_one(LogStatusLine), pane.query_one(LogView).vertical_scrollbar,
    ]  # fmt: skip


async def test_empty_live_tail_updates_and_the_log_polls_they_answer_repaint_nothing_and_a_line_repaints_the_pane():
    fake = healthy_fake()
    fake.live_tail_failure = None  # sessions open; the fake sends an empty update every 0.2 s (AWS: every second)
    app = KojanApp(quiet_config(language="en"), fake, clock=lambda: b.NOW)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        status = app.screen.query_one(LogPane).query_one(LogStatusLine)
        await until(pilot, lambda: "● live (Live Tail)" in status.render().plain, "the pane to say live")
        await refresh(app, pilot)
        widgets = every_widget(app)
        for n, widget in enumerate(widgets):
            if widget.id is None:
                widget.id = f"w{n}"
        counts = spy_refreshes(widgets)
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(app.screen, layouts.append)
        heard: list[int] = []
        ingest = app.log_feed.ingest_live

        def counting(events, epoch, _ingest=ingest):
            heard.append(len(tuple(events)))
            return _ingest((), epoch) if not heard[-1] else _ingest(events, epoch)

        app.log_feed.ingest_live = counting  # what the tailer hands the feed, counted
        await until(pilot, lambda: len(heard) >= 5, "five empty updates")
        for _ in range(3):
            await refresh(app, pilot, ["logs"])  # a live poll: answered by the next (empty) update
        assert app.poller.freshness("logs").consecutive_failures == 0
        assert set(heard) == {0}
        assert all(n == 0 for n in counts.values()), counts
        assert layouts == []

        app.log_feed.ingest_live = ingest
        fake.live_tails[-1].push(LiveTailUpdate((LogEvent("live:1", NOW_MS - 100, "ecs/business/task1", "INFO one line"),)))
        view = app.screen.query_one(LogPane).query_one(LogView)
        await until(pilot, lambda: counts[view.id] > 0 and "1/10,000 lines" in status.render().plain, "the line shown")
        repainted = {k for k, v in counts.items() if v}
        assert repainted <= {view.id, status.id, view.vertical_scrollbar.id}, counts  # the pane only
        assert layouts == []


async def test_a_state_whose_slo_differs_only_in_what_the_panel_does_not_show_repaints_no_panel():
    fake, clock = healthy_fake(), Clock()
    app = KojanApp(quiet_config(language="en"), fake, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        clock.now += timedelta(seconds=121)  # the hourly data's age now shows in minutes: "2 min ago"
        await refresh(app, pilot)
        panel = app.screen.query_one(SloPanel)
        before, shown = app.state.view.slo, plain(panel.render())
        assert "hourly data 2 min ago" in shown, shown
        counts = spy_refreshes([panel])
        clock.now += timedelta(seconds=1)  # no period boundary crossed: the same rates, a newer age and covered span
        await refresh(app, pilot)
        after = app.state.view.slo
        assert after is not None and before is not None
        assert after.long_age_s == before.long_age_s + 1 and after.covered != before.covered  # the status did change
        assert counts["slo-panel"] == 0 and plain(panel.render()) == shown

        clock.now += timedelta(seconds=60)  # "3 min ago": drawn differently, repainted
        await refresh(app, pilot)
        assert counts["slo-panel"] >= 1 and "hourly data 3 min ago" in plain(panel.render())


async def test_a_metrics_poll_whose_window_slid_over_the_same_values_repaints_nothing_and_a_new_value_repaints():
    fake, clock = healthy_fake(), Clock()
    fake.metrics[q.ALB_5XX] = b.series(q.ALB_5XX, [0] * 60)  # a flat 0 % error rate, as at most hours
    app = KojanApp(quiet_config(), fake, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panels = list(app.screen.query(MetricPanel))
        counts = spy_refreshes(panels)
        clock.now += timedelta(seconds=60)
        fake.metrics = {
            k: replace(s, timestamps=tuple(t + timedelta(seconds=60) for t in s.timestamps)) for k, s in fake.metrics.items()
        }
        await refresh(app, pilot, ["metrics"])  # every series one period newer, the same values
        assert app.state.data.metrics[q.ECS_CPU].timestamps[-1] == b.NOW + timedelta(seconds=60)
        assert all(n == 0 for n in counts.values()), counts

        fake.metrics[q.ECS_CPU] = b.series(q.ECS_CPU, [30] * 59 + [55], end=b.NOW + timedelta(seconds=60))
        await refresh(app, pilot, ["metrics"])
        assert {k for k, v in counts.items() if v} == {"metric-ecs_cpu_percent"}, counts


async def test_the_once_a_second_age_tick_walks_no_widget_tree(monkeypatch):
    app = KojanApp(quiet_config(), healthy_fake(), clock=lambda: b.NOW)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        queries: list[str] = []
        for name in ("query", "query_one", "query_exactly_one", "query_children"):
            original = getattr(DOMNode, name)

            def counting(self, *args, _original=original, _name=name, **kwargs):
                queries.append(f"{type(self).__name__}.{_name}")
                return _original(self, *args, **kwargs)

            monkeypatch.setattr(DOMNode, name, counting)
        app.screen.show_ages()
        assert queries == []
        app.screen.show_all()
        assert queries == []
