"""Every panel goes ok → warning → alert → ok on screen: level class, text marker, and action."""

import pytest

from kojan_tui.core import metrics_catalog as q
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.fixtures import builders as b
from tests.ui.harness import error_lines, healthy_fake, make_app, plain, refresh

G = b.GIB
# metric key → (query id, ok, warning, alert series values) under the default thresholds
CASES = {
    "p99_latency_ms": (q.P99_LATENCY, 0.1, 0.8, 1.5),
    "ecs_cpu_percent": (q.ECS_CPU, 30, 75, 85),
    "ecs_memory_percent": (q.ECS_MEMORY, 50, 80, 90),
    "rds_cpu_percent": (q.RDS_CPU, 30, 75, 85),
    "rds_storage_used_percent": (q.RDS_FREE_STORAGE, 50 * G, 15 * G, 5 * G),
    "error_rate_percent": (q.ALB_5XX, 1, 7, 20),  # of 1000 requests per period
}
MARKERS = {"ok": "✓ OK", "warning": "▲ WARN", "alert": "✖ ALERT"}


@pytest.mark.parametrize("key", list(CASES))
async def test_metric_panel_level_transitions(key):
    query_id, *values = CASES[key]
    fake = healthy_fake()
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        panel = app.screen.query_one(f"#metric-{key}", MetricPanel)
        for level, value in zip(["ok", "warning", "alert", "ok"], [*values, values[0]]):
            fake.metrics[query_id] = b.flat(query_id, value)
            await refresh(app, pilot, ["metrics"])
            assert panel.has_class(f"-level-{level}"), (key, level)
            text = plain(panel.render())
            assert MARKERS[level] in text
            assert (panel.spec.action in text) == (level != "ok")


async def test_errors_panel_level_transitions():
    fake = healthy_fake()
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        panel = app.screen.query_one(ErrorsPanel)
        for level, count in [("ok", 0), ("warning", 3), ("alert", 11), ("ok", 0)]:
            fake.log_events = error_lines(count)
            await refresh(app, pilot, ["errors"])
            assert panel.has_class(f"-level-{level}")
            text = plain(panel.render())
            assert MARKERS[level] in text and text.startswith(str(count))


async def test_service_panel_level_transitions():
    fake = healthy_fake()
    app = make_app(fake)
    rolling = b.service(
        deployments=(b.deployment("IN_PROGRESS", running=1), b.deployment("COMPLETED", status="ACTIVE")), running=3, desired=2
    )
    async with app.run_test(size=(160, 48)) as pilot:
        panel = app.screen.query_one(ServicePanel)
        for level, service, words in [
            ("ok", b.service(), "HEALTHY"),
            ("warning", rolling, "DEPLOYING — rollout in progress"),
            ("alert", b.service(running=1, desired=2), "UNHEALTHY — 1 of 2 tasks running"),
            ("ok", b.service(), "HEALTHY"),
        ]:
            fake.service = service
            await refresh(app, pilot, ["service"])
            assert panel.has_class(f"-level-{level}")
            text = plain(panel.render())
            assert MARKERS[level] in text and words in text
            assert "kojan-map-business:42" in text and "v1.4.2" in text


async def test_levels_read_in_the_compact_layout_too():
    fake = healthy_fake()
    fake.metrics[q.ECS_MEMORY] = b.flat(q.ECS_MEMORY, 90)
    app = make_app(fake)
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot)
        texts = {p.spec.key: plain(p.render()) for p in app.screen.query(MetricPanel)}
        assert "✖ ALERT" in texts["ecs_memory_percent"] and "90.0 %" in texts["ecs_memory_percent"]
        assert all("✓ OK" in t for k, t in texts.items() if k != "ecs_memory_percent")
