"""The SLO the real way: KojanApp → AwsGateway → the embedded AWS. In ``error-burst`` (half the requests answer
500) the fast burn (1 h/5 min above 14.4) pages while the slow ones (6 h/30 min above 6, 3 d/6 h above 1) do not:
at that moment the burst's bad requests are ~1.4 % of the last hour's but ~0.3 % of the last 6 hours'."""

from __future__ import annotations

import asyncio

from kojan_tui.core.levels import Level
from kojan_tui.ui.widgets.slo_panel import SloPanel
from tests.fixtures.waits import advance_until
from tests.test_app_end_to_end import app_on
from tests.ui.harness import plain

BURST_TICKS = 1200  # at the tests' 24 requests a second, half failing, the hour's 1.44 % is reached in ~40-160 s
BURST_STEP_TICKS = 20  # the metrics are polled again after every 5 simulated seconds of the burst


async def test_a_short_burst_of_5xx_pages_on_the_fast_burn_and_not_the_slow(demo_world):
    app = app_on(demo_world, world_clock=True)  # the burst's minutes pass in simulated time (advance_until)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.poller.refresh_now(wait=True)
        await pilot.pause()
        healthy = app.state.view.slo
        assert healthy is not None and healthy.level is Level.OK and not healthy.firing
        assert healthy.budget_remaining is not None and healthy.budget_remaining > 0.9  # the day's history: no 5XX
        await asyncio.to_thread(demo_world.set_scenario, "error-burst")

        async def fast_burn_pages() -> bool:
            await app.poller.refresh_now(["metrics"], wait=True)
            await pilot.pause()
            slo = app.state.view.slo
            return slo is not None and any(b.rule.name == "1h/5m" for b in slo.firing)

        budget = {"step_s": BURST_STEP_TICKS * demo_world.tick_seconds, "limit_s": BURST_TICKS * demo_world.tick_seconds}
        await advance_until(demo_world, fast_burn_pages, "the 1 h/5 min burn rate paging", **budget)
        await asyncio.to_thread(demo_world.set_scenario, "healthy")  # the burst ends
        slo = app.state.view.slo
        burns = {b.rule.name: b for b in slo.burns}
        assert slo.level is Level.ALERT and [b.rule.name for b in slo.firing] == ["1h/5m"]
        assert burns["6h/30m"].long_rate is not None and burns["6h/30m"].long_rate < 6  # the slow page holds its fire
        assert burns["3d/6h"].long_rate is not None and burns["3d/6h"].long_rate < 1
        alert = next(a for a in app.state.alerts.active if a.key == "slo")
        assert alert.level is Level.ALERT and "1h/5m 消費速度" in alert.value_text  # the app's default language, ja
        shown = plain(app.screen.query_one(SloPanel).render())
        assert "1h/5m" in shown and "✖ ALERT" in shown
