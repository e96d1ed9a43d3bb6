"""The SLO panel: budget and burn rates on the wide dashboard, hidden when compact; the palette explains them."""

from __future__ import annotations

from datetime import timedelta

from textual.command import CommandPalette

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.levels import Level
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.widgets.slo_panel import SloPanel
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, palette_highlights, plain, quiet_config, refresh, until


def bursting_fake():
    """The last hour's 60 minutes (the newest began a minute before now), 1,000 requests each; the newest 3 minutes
    200 of them 5XX (600 bad of the hour's 60,000: 1 %)."""
    fake = healthy_fake()
    before = b.NOW - timedelta(minutes=1)
    fake.metrics[q.ALB_REQUESTS] = b.series(q.ALB_REQUESTS, [1000] * 60, end=before)
    fake.metrics[q.ALB_5XX] = b.series(q.ALB_5XX, [0] * 57 + [200] * 3, end=before)
    return fake


async def test_a_burst_pages_on_the_panel_and_in_the_alert_bar():
    app = make_app(bursting_fake(), quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panel = app.screen.query_one(SloPanel)
        assert panel.display and panel.status is not None and panel.status.level is Level.ALERT
        shown = plain(panel.render())
        # 5 min: 600 of 5,000 = 12 % → burn 120; 1 h: 600 of 60,000 = 1 % → 10 ≤ 14.4: the fast page holds…
        # …the fake answers the hourly query with the same minutes, so "3 d" is that hour too: 10 > 1, a ticket;
        # 6 h/30 min: 30 min 600/30,000 = 2 % → 20, 6 h (the same hour) → 10 > 6: the slow page fires
        assert "1h/5m   10.0/120.0 page >14.4" in shown
        assert "6h/30m  10.0/20.0  page >6" in shown
        assert "3d/6h   10.0/10.0  ticket >1" in shown
        assert shown.startswith("✖ ALERT  budget left -900.0 %")  # 1 − 600 / (60,000 × 0.001)
        assert app.screen.query_one(SloPanel).border_title == "SLO 99.9 % · 30 d"
        alert = next(a for a in app.state.alerts.active if a.key == "slo")
        assert alert.level is Level.ALERT and "6h/30m burn 10.0/20.0 > 6, 3d/6h burn 10.0/10.0 > 1" == alert.value_text


async def test_the_panel_is_hidden_when_compact_and_the_palette_explains_the_numbers():
    app = make_app(healthy_fake(), quiet_config(language="en"))
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot)
        assert not app.screen.query_one(SloPanel).display
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"error budget")
        await until(pilot, lambda: palette_highlights(app, "SLO: error budget and burn rates"), "the palette's hit")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TextDetailScreen), "the SLO explanation")
        text = app.screen.text
        assert "missing datapoint is no traffic" in text and "1 − bad / (requests × 0.001)" in text
        assert "1h/5m    1.0/1.0   page >14.4" in text  # the numbers of now: the fake fails 0.1 %, burn 1


async def test_the_explanation_speaks_japanese_by_default():
    app = make_app(healthy_fake(), quiet_config(language="ja"))  # the app's default (the harness's is en)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        await app.run_action("open('slo')")
        await until(pilot, lambda: isinstance(app.screen, TextDetailScreen), "the SLO explanation")
        assert "トラフィックなしであって「エラーなし」ではない" in app.screen.text and "呼出 >14.4" in app.screen.text


async def test_a_failing_metrics_source_marks_the_slo_panel_stale_with_its_last_numbers():
    fake = healthy_fake()
    app = make_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panel = app.screen.query_one(SloPanel)
        assert panel.stale_text is None
        fake.failures["get_metric_data"] = AwsFailure(FailureKind.THROTTLED, "Rate exceeded", operation="GetMetricData")
        await refresh(app, pilot, ["metrics"])
        shown = plain(panel.render())
        assert panel.stale_text == "STALE 0s — throttled" and "STALE 0s — throttled" in shown
        assert "1h/5m" in shown  # the last measured rates stay, marked stale
        del fake.failures["get_metric_data"]
        await refresh(app, pilot, ["metrics"])
        assert panel.stale_text is None
