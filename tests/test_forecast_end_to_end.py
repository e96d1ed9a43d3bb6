"""Forecasts the real way: KojanApp → AwsGateway → the embedded AWS, the memory panel judging the history the
simulator wrote. ``memory-leak`` starts with tasks that have leaked since they started (``LEAK_CLIMB_POINTS`` over
``SERVICE_AGE_SECONDS``); the panel's rate and its time to the 85 % alert level must match that rate.

The app's clock is held at the moment the scenario began: the live tasks of ``memory-leak`` reach 100 % within a
few of the tests' quarter-second ticks (a leak that needs hours is seconds here), so the newest minutes would be
the alert itself, not a climb to forecast. The history before that moment is what a real console sees of a leak.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config
from kojan_tui.core.readings import ECS_MEMORY
from kojan_tui.demo.simulator import LEAK_CLIMB_POINTS
from kojan_tui.demo.world import SERVICE_AGE_SECONDS
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from tests.test_app_end_to_end import DEMO_CREDENTIALS

LEAK_PER_HOUR = LEAK_CLIMB_POINTS / (SERVICE_AGE_SECONDS / 3600)  # 14.4 points an hour
RATE_TOLERANCE = 0.15  # Sen's slope over an hour of minutes with the backfill's noise (-2..+3 on each of two tasks)


def app_at(demo, moment: datetime, language: str) -> KojanApp:
    config = Config()
    config = replace(
        config,
        aws=replace(config.aws, endpoint_url=demo.endpoint_url, profile=None),
        ui=replace(config.ui, bell=False, notify=False, language=language),
    )
    return KojanApp(config, AwsGateway(config.aws, static_credentials=DEMO_CREDENTIALS), demo=demo, clock=lambda: moment)


async def memory_forecast(demo, scenario: str, language: str = "en"):
    moment = datetime.now(UTC)  # before the reset: its history ends at the reset, the live ticks come after
    await asyncio.to_thread(demo.reset, scenario)
    app = app_at(demo, moment, language)
    async with app.run_test(size=(160, 48)) as pilot:
        # The first poll can meet the reset still settling (a tick of the old world landing after it): poll again
        # until the memory reading is current, a few polls at most; what is judged is that poll's answer.
        for _attempt in range(5):
            await app.poller.refresh_now(["metrics"], wait=True)
            await pilot.pause()
            if app.state.view.readings[ECS_MEMORY.key].current is not None:
                break
        panel = next(p for p in app.screen.query(MetricPanel) if p.spec.key == ECS_MEMORY.key)
        return app.state.view.forecasts[ECS_MEMORY.key], panel.forecast_text, panel.forecast_warns


async def test_memory_leak_forecasts_the_alert_at_the_simulators_leak_rate(demo_world):
    forecast, shown, warns = await memory_forecast(demo_world, "memory-leak")
    trend = forecast.trend
    assert trend is not None and trend.rising and trend.points >= 50  # an hour of minutes
    assert abs(trend.per_hour - LEAK_PER_HOUR) <= RATE_TOLERANCE * LEAK_PER_HOUR
    expected = timedelta(hours=(forecast.level - trend.latest) / LEAK_PER_HOUR)
    assert forecast.eta is not None and abs(forecast.eta - expected) <= RATE_TOLERANCE * expected + timedelta(minutes=2)
    assert shown.startswith("alert 85 % in ~") and f"{trend.points} pts" in shown
    assert warns  # ~30 minutes away: inside the default 6 h horizon, a warning of its own


async def test_healthy_memory_is_not_rising(demo_world):
    forecast, shown, warns = await memory_forecast(demo_world, "healthy", language="ja")
    assert forecast.trend is not None and forecast.trend.enough and not forecast.trend.rising
    assert forecast.eta is None and not warns
    assert shown.startswith("上昇傾向なし · ")
