"""The S02 errors panel keeps up with the log pane: new ERROR lines count at the next log poll, not a minute later."""

from datetime import timedelta

from kojan_tui.core.models import LogEvent
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, quiet_config, refresh


async def test_error_lines_count_at_the_next_log_poll_each_once_and_the_next_scan_agrees():
    fake = healthy_fake()
    now = [b.NOW]
    app = KojanApp(quiet_config(), fake, clock=lambda: now[0])
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panel = app.screen.query_one(ErrorsPanel)
        assert panel.reading.latest == 0
        scans = fake.calls["count_log_terms"]
        start_ms = int(b.NOW.timestamp() * 1000)
        fake.log_events = [
            LogEvent(f"n{i}", start_ms + 100 * (i + 1), "ecs/business/1", "ERROR request failed" if i % 2 else "INFO ok")
            for i in range(50)
        ]
        now[0] = b.NOW + timedelta(seconds=10)
        await refresh(app, pilot, ["logs"])
        assert fake.calls["count_log_terms"] == scans  # no scan: the feed's own lines were counted
        assert panel.reading.latest == 25
        await refresh(app, pilot, ["logs"])  # nothing new: still 25, nothing counted twice
        assert panel.reading.latest == 25
        await refresh(app, pilot, ["errors"])  # the scan covers them now: it takes over, no double count
        assert fake.calls["count_log_terms"] > scans and panel.reading.latest == 25


async def test_a_filtered_log_feed_does_not_move_the_count():
    fake = healthy_fake()
    now = [b.NOW]
    app = KojanApp(quiet_config(), fake, clock=lambda: now[0])
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        await app.log_feed.set_filter('"invalid token"')
        start_ms = int(b.NOW.timestamp() * 1000)
        fake.log_events = [LogEvent("a", start_ms + 5, "s", 'ERROR "invalid token"')]
        now[0] = b.NOW + timedelta(seconds=10)
        await refresh(app, pilot, ["logs"])
        assert app.screen.query_one(ErrorsPanel).reading.latest == 0  # the next scan (≤ 60 s) counts it
