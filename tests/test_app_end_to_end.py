"""The whole product the real way: KojanApp → AwsGateway (aiobotocore, HTTP) → the embedded AWS.

No fake anywhere: what the dashboard shows comes from the simulated kojan-map over 127.0.0.1.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config
from kojan_tui.core.levels import Level
from kojan_tui.demo.embedded import EmbeddedAws
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.widgets.log_pane import LogPane
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.rollback_banner import RollbackBanner
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.demo.helpers import wait_ticks_async, within_ticks_async
from tests.ui.harness import plain

DEMO_CREDENTIALS = ("demo", "demo")
SYMPTOM_TICKS = 40  # db-outage shows within 12 ticks; generous


def app_on(demo: EmbeddedAws, *, fast_fail: bool = False, world_clock: bool = False) -> KojanApp:
    """The app on the embedded AWS; ``world_clock``: on the world's time, for a test that moves it on (advance)."""
    config = Config()
    aws = replace(config.aws, endpoint_url=demo.endpoint_url, profile=None)
    if fast_fail:  # a dead endpoint should be reported in about a second, not after retries
        aws = replace(aws, connect_timeout=1.0, read_timeout=2.0, max_attempts=1)
    config = replace(config, aws=aws, ui=replace(config.ui, bell=False, notify=False))
    gateway = AwsGateway(config.aws, static_credentials=DEMO_CREDENTIALS)
    return KojanApp(config, gateway, demo=demo, clock=demo.clock if world_clock else None)


def pane_text(app: KojanApp) -> str:
    buffer = app.log_feed.buffer
    return "\n".join(line.raw for line in buffer.window(buffer.first_index, buffer.appended))


async def test_db_outage_turns_5xx_red_raises_the_banner_and_fills_the_log_pane(demo_world):
    app = app_on(demo_world)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.poller.refresh_now(wait=True)
        await pilot.pause()
        assert app.state.view.verdict.healthy
        assert not app.screen.query_one(RollbackBanner).display
        await asyncio.to_thread(demo_world.set_scenario, "db-outage")
        five_xx = next(p for p in app.screen.query(MetricPanel) if p.spec.key == "error_rate_percent")

        async def symptoms_shown() -> bool:
            await app.poller.refresh_now(["metrics", "database", "logs"], wait=True)
            await pilot.pause()
            return five_xx.level is Level.ALERT and bool(app.state.view.rollback)

        await within_ticks_async(demo_world, SYMPTOM_TICKS, symptoms_shown, "5XX in ALERT and a rollback reason", interval=0.25)
        # The newest 1-minute period still mixes requests from before the outage, so the rate is
        # "> 1 %" at once but reaches "every request failing" only with the next minute: the S25
        # reason that shows at once is the database's own state.
        assert five_xx.level is Level.ALERT
        assert "db_down" in {reason.code for reason in app.state.view.rollback}
        assert app.screen.query_one(RollbackBanner).display
        assert "database connection" in pane_text(app)
        assert app.screen.query_one(LogPane) is not None


async def test_aws_going_away_marks_every_panel_stale_and_the_app_keeps_running():
    demo = EmbeddedAws(tick_seconds=0.5)
    demo.start()
    try:
        app = app_on(demo, fast_fail=True)
        async with app.run_test(size=(160, 48)) as pilot:
            await app.poller.refresh_now(wait=True)
            await pilot.pause()
            assert app.state.stale_text("metrics", app.now()) is None and app.state.stale_text("service", app.now()) is None
            running_before = app.state.data.service.running
            demo.stop()
            await app.poller.refresh_now(wait=True)
            await pilot.pause()
            for source in ("metrics", "service", "errors", "logs"):
                stale = app.state.stale_text(source, app.now())
                assert stale is not None and "unavailable" in stale, (source, stale)
            service = app.screen.query_one(ServicePanel)
            assert service.stale_text is not None
            assert app.state.data.service.running == running_before  # the last good data stays on screen
            await pilot.press("r")  # still answering keys
            await pilot.pause()
            assert app.is_running
    finally:
        demo.stop()


async def test_an_incident_recorded_through_a_db_outage_replays_what_the_dashboard_showed(demo_world, tmp_path):
    from kojan_tui.core.config import IncidentSettings
    from kojan_tui.ui.screens.incident import recorder_of
    from kojan_tui.ui.screens.replay import ReplayScreen, open_replay

    app = app_on(demo_world)
    app.config = replace(app.config, incidents=IncidentSettings(str(tmp_path / "er.md"), str(tmp_path / "reports")))
    app.services = replace(app.services, config=app.config)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.poller.refresh_now(wait=True)
        recorder = recorder_of(app.services)
        record = await recorder.start("db outage drill")
        await app.poller.refresh_now(["metrics", "service", "database", "errors"], wait=True)
        await asyncio.to_thread(demo_world.set_scenario, "db-outage")
        five_xx = next(p for p in app.screen.query(MetricPanel) if p.spec.key == "error_rate_percent")

        async def alert_shown() -> bool:
            await app.poller.refresh_now(["metrics", "database", "service", "errors"], wait=True)
            await pilot.pause()
            return five_xx.level is Level.ALERT

        await within_ticks_async(demo_world, SYMPTOM_TICKS, alert_shown, "5XX in ALERT", interval=0.25)
        await recorder.flush()
        frames = await recorder.store.frames(record.number)
        size = await recorder.store.frame_bytes(record.number)
        print(f"recorded {len(frames)} frames, {size} bytes, {size / len(frames):.0f} bytes/frame")
        assert await open_replay(app, app.services, record.number)
        await pilot.pause()
        replay = app.screen
        assert isinstance(replay, ReplayScreen)
        panel = next(p for p in replay.query(MetricPanel) if p.spec.key == "error_rate_percent")
        replay.show_frame(0)
        await pilot.pause()
        assert panel.reading.level is Level.OK  # before the switch, as it was shown then
        replay.show_frame(len(frames) - 1)
        await pilot.pause()
        assert panel.reading.level is Level.ALERT  # the outage, at the time it was recorded
        timeline = (await recorder.store.get(record.number)).timeline
        assert any(entry.kind == "alert" and "5XX" in entry.text for entry in timeline)


TICKS_PER_METRICS_REFRESH = 6  # refresh.metrics_seconds 30 / the demo's default 5 s tick


async def test_outage_is_an_alert_everywhere_within_one_metrics_refresh_and_healthy_is_not(demo_world):
    app = app_on(demo_world)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_ticks_async(demo_world, TICKS_PER_METRICS_REFRESH, "one metrics refresh (30 s) in ticks of the default 5 s")
        await app.poller.refresh_now(wait=True)
        await pilot.pause()
        five_xx = next(p for p in app.screen.query(MetricPanel) if p.spec.key == "error_rate_percent")
        service = app.screen.query_one(ServicePanel)
        assert five_xx.level is Level.OK and service.verdict.level is Level.OK
        assert app.state.view.health.healthy == 2 and app.state.view.rollback == ()
        assert not app.screen.query_one(RollbackBanner).display

        await asyncio.to_thread(demo_world.set_scenario, "outage")
        await wait_ticks_async(demo_world, TICKS_PER_METRICS_REFRESH, "one metrics refresh (30 s) in ticks of the default 5 s")
        await app.poller.refresh_now(wait=True)  # one refresh of every source
        await pilot.pause()
        assert five_xx.level is Level.ALERT, five_xx.reading
        assert "LB" in five_xx.reading.detail and five_xx.reading.elb_5xx > 0
        assert service.verdict.level is Level.ALERT
        assert {"0 of 2 tasks running", "0 healthy targets"} <= {r.split(" (")[0] for r in service.verdict.reasons}
        assert (app.state.data.service.running, app.state.data.service.desired) == (0, 2)
        [reason] = [r for r in app.state.view.rollback if r.code == "all_failing"]
        assert "every request is failing" in reason.text and "0 of 2 tasks running" in reason.text
        banner = app.screen.query_one(RollbackBanner)
        assert banner.display and "すべてのリクエストが失敗: " in plain(banner.render())  # the default language, ja
