"""The memory and storage panels show their forecast; one inside the horizon is a warning in the alert bar."""

from __future__ import annotations

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.levels import Level
from kojan_tui.ui.widgets.alert_bar import AlertBar
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, plain, quiet_config, refresh


def panel(app, key: str) -> MetricPanel:
    return next(p for p in app.screen.query(MetricPanel) if p.spec.key == key)


async def test_a_leaking_memory_panel_forecasts_and_warns_while_its_value_is_ok():
    fake = healthy_fake()
    fake.metrics[q.ECS_MEMORY] = b.series(q.ECS_MEMORY, [40 + 0.5 * m for m in range(60)])  # +30/h, 69.5 %: 85 in 31 m
    app = make_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        memory = panel(app, "ecs_memory_percent")
        assert memory.level is Level.OK and memory.forecast_warns
        assert "alert 85 % in ~31 m · 60 pts / 59 min" in plain(memory.render())
        storage = panel(app, "rds_storage_used_percent")
        assert "not rising · 60 pts / 59 min" in plain(storage.render()) and not storage.forecast_warns
        bar = plain(app.screen.query_one(AlertBar).render())
        assert "▲ WARN ECS memory forecast alert 85 % in ~31 m" in bar
        assert panel(app, "ecs_cpu_percent").forecast_text == ""  # CPU forecasts nothing


async def test_the_forecast_speaks_japanese_by_default():
    fake = healthy_fake()
    fake.metrics[q.ECS_MEMORY] = b.series(q.ECS_MEMORY, [40 + 0.5 * m for m in range(60)])
    app = make_app(fake, quiet_config(language="ja"))  # the app's default language (the harness's is en)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert "約31分で85 %に到達 · 60点/59分" in plain(panel(app, "ecs_memory_percent").render())
        assert "ECS メモリ 予測" in plain(app.screen.query_one(AlertBar).render())
