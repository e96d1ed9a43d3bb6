"""No false alarms, no confusing ones: a scale-in is not an ALERT; during the anti-flap hold the bar says what
is held and what is measured now (not "✖ ALERT ECS service HEALTHY (clearing)")."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from kojan_tui.core.config import AlertSettings
from kojan_tui.ui.widgets.alert_bar import AlertBar
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, plain, quiet_config, refresh


async def test_the_hold_says_what_is_held_and_what_is_measured_now() -> None:
    fake = healthy_fake()
    fake.service = b.service(running=1, desired=2)
    config = replace(quiet_config(), alerts=AlertSettings(clear_after_seconds=60))
    app = make_app(fake, config)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert plain(app.screen.query_one(AlertBar).render()).startswith("✖ ALERT ECS service 1 of 2 tasks running")
        fake.service = b.service()  # healthy again: held for 60 s
        await refresh(app, pilot)
        bar = plain(app.screen.query_one(AlertBar).render())
        clears = b.NOW + timedelta(seconds=60)
        assert bar.startswith("✖ ALERT held ECS service since"), bar
        assert f"· now ✓ OK HEALTHY · clears {clears:%H:%M:%S} if it stays" in bar
        assert "✖ ALERT ECS service HEALTHY" not in bar and "(clearing)" not in bar


async def test_a_scale_in_is_a_warning_on_the_bar_not_an_alert() -> None:
    fake = healthy_fake()
    fake.service = b.service(running=4, desired=2)
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        bar = plain(app.screen.query_one(AlertBar).render())
        assert "✖ ALERT" not in bar and "▲ WARN ECS service 4 of 2 tasks running (the extra ones are draining)" in bar, bar


async def test_with_no_task_running_ecs_cpu_and_memory_say_no_data_not_ok() -> None:
    from kojan_tui.core.levels import Level
    from kojan_tui.ui.widgets.metric_panel import MetricPanel

    fake = healthy_fake()
    fake.service = b.service(running=0, desired=2)  # the last CPU/memory datapoints are from before the tasks stopped
    app = make_app(fake)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panels = {p.spec.key: p for p in app.screen.query(MetricPanel)}
        for key in ("ecs_cpu_percent", "ecs_memory_percent"):
            text = plain(panels[key].render())
            assert panels[key].level is Level.UNKNOWN and "? NO DATA" in text and "no task running" in text, text
            assert "✓ OK" not in text
        assert panels["rds_cpu_percent"].level is Level.OK  # the database still publishes its own


async def test_a_focused_breached_panel_shows_a_focus_ring_not_only_a_title_colour() -> None:
    from kojan_tui.ui.widgets.metric_panel import MetricPanel
    from tests.ui.harness import alert_fake

    app = make_app(alert_fake())
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panels = {p.spec.key: p for p in app.screen.query(MetricPanel)}
        cpu, memory = panels["ecs_cpu_percent"], panels["ecs_memory_percent"]
        assert cpu.has_class("-level-alert") and memory.has_class("-level-alert")
        cpu.focus()
        await pilot.pause()
        focused, other = cpu.styles.border.top[0], memory.styles.border.top[0]
        assert focused != other, (focused, other)  # the line itself differs, not only a colour
        assert cpu.styles.border.top[1] == memory.styles.border.top[1]  # both keep the alert's colour


async def test_a_focused_breached_one_line_panel_stays_one_line_at_80x24() -> None:
    from kojan_tui.ui.widgets.metric_panel import MetricPanel
    from tests.ui.harness import alert_fake

    app = make_app(alert_fake())
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot)
        cpu = next(p for p in app.screen.query(MetricPanel) if p.spec.key == "ecs_cpu_percent")
        assert cpu.has_class("-compact") and cpu.has_class("-level-alert")
        cpu.focus()
        await pilot.pause()
        assert cpu.region.height == 1 and cpu.styles.border.top[0] in ("", "none")  # a border would hide its one row


async def test_a_compact_no_data_line_keeps_a_space_between_its_level_and_its_value() -> None:
    from kojan_tui.ui.widgets.metric_panel import MetricPanel

    fake = healthy_fake()
    fake.service = b.service(running=0, desired=2)
    app = make_app(fake)
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot)
        cpu = next(p for p in app.screen.query(MetricPanel) if p.spec.key == "ecs_cpu_percent")
        text = plain(cpu.render())
        assert "? NO DATA " in text and "NO DATA4" not in text, text
