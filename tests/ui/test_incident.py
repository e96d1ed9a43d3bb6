"""Incidents in the app (Pilot, FakeGateway): start, the timeline fills itself, fields, export, replay."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable, Input

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.config import AlertSettings, IncidentSettings
from kojan_tui.core.levels import Level
from kojan_tui.ui.screens.incident import IncidentScreen, recorder_of
from kojan_tui.ui.screens.replay import ReplayScreen
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_screen_app, quiet_config, refresh, until

TEAM_ER_MD = "| 管理番号 | テスト項目管理番号 | モジュール名 | 障害状況 | 障害対処内容 | トラブル分類 |\n|---|---|---|---|---|---|\n| ER-041 | T-001 | a | b | c | d |\n"


def incident_config(tmp_path):
    config = quiet_config(language="en")  # the tests read the English texts
    paths = IncidentSettings(er_md_path=str(tmp_path / "er.md"), reports_dir=str(tmp_path / "incidents"))
    # the frozen clock never lets an alert's clear hold-off (alerts.clear_after_seconds) run out: clear at once
    return replace(config, incidents=paths, alerts=AlertSettings(clear_after_seconds=0))


async def test_an_incident_numbers_after_er_md_records_its_timeline_exports_and_replays(tmp_path):
    (tmp_path / "er.md").write_text(TEAM_ER_MD, encoding="utf-8")
    fake = healthy_fake()
    app = make_screen_app(fake, config=incident_config(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        await pilot.press("i")
        assert isinstance(app.screen, IncidentScreen)
        await pilot.press("n")
        recorder = recorder_of(app.services)
        await until(pilot, lambda: recorder.current == 42)  # after ER-041 in the team's er.md
        await pilot.press("escape")

        fake.metrics[q.ECS_CPU] = b.flat(q.ECS_CPU, 90)  # an alert fires while the incident is open
        await refresh(app, pilot)
        fake.metrics[q.ECS_CPU] = b.flat(q.ECS_CPU, 30)  # ...and clears
        await refresh(app, pilot)
        await recorder.flush()
        record = await recorder.store.get(42)
        kinds = [entry.kind for entry in record.timeline]
        assert kinds[0] == "note" and "alert" in kinds and "alert-cleared" in kinds
        assert any("ECS CPU: 90.0 %" in entry.text for entry in record.timeline)
        assert len(await recorder.store.frames(42)) >= 2

        await pilot.press("i")
        screen = app.screen
        await until(pilot, lambda: screen.query_one(DataTable).row_count == len(record.timeline))
        await pilot.press("x")  # fields missing: refused, er.md untouched
        await until(pilot, lambda: "Fill in before exporting" in str(screen.query_one("#incident-message").render()))
        for name, value in {
            "test_item": "T-021",
            "module": "internal/db",
            "what_failed": "CPU pinned",
            "what_was_done": "scaled out",
            "classification": "性能",
        }.items():
            screen.query_one(f"#field-{name}", Input).value = value
        await pilot.pause(0.1)
        await pilot.press("x")
        await until(pilot, lambda: "Appended ER-042" in str(screen.query_one("#incident-message").render()))
        er_md = (tmp_path / "er.md").read_text(encoding="utf-8")
        assert er_md.startswith(TEAM_ER_MD) and er_md.endswith(
            "| ER-042 | T-021 | internal/db | CPU pinned | scaled out | 性能 |\n"
        )
        assert "ECS CPU: 90.0 %" in (tmp_path / "incidents" / "ER-042.md").read_text(encoding="utf-8")

        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        replay = app.screen
        cpu = replay.query_one("#metric-ecs_cpu_percent", MetricPanel)
        await pilot.press("home")
        await pilot.pause()
        assert "REPLAY ER-042 · 1/" in replay.query_one(ContextBar).render().plain
        levels = []
        for _ in range(len(replay.states)):
            levels.append(cpu.reading.level)
            await pilot.press("right")
            await pilot.pause()
        assert Level.ALERT in levels and levels[-1] is Level.OK  # what the dashboard showed then, in order
        await pilot.press("escape")
        assert isinstance(app.screen, IncidentScreen)


async def test_an_incident_left_open_is_resumed_after_a_restart(tmp_path):
    from kojan_tui.store.database import LazyDatabase

    path = tmp_path / "state.sqlite3"
    first = make_screen_app(config=incident_config(tmp_path), database=LazyDatabase(path))
    async with first.run_test(size=(120, 36)) as pilot:
        await pilot.press("i", "n")
        await until(pilot, lambda: recorder_of(first.services).current == 1)
    second = make_screen_app(config=incident_config(tmp_path), database=LazyDatabase(path))
    async with second.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: recorder_of(second.services).current == 1)


async def test_starting_the_s24_emergency_flow_opens_an_incident(tmp_path):
    from kojan_tui.core.events import EmergencyStarted

    app = make_screen_app(config=incident_config(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        app.services.events.publish(EmergencyStarted(b.NOW))
        recorder = recorder_of(app.services)
        await until(pilot, lambda: recorder.current == 1)
        await recorder.flush()
        record = await recorder.store.get(1)
        assert record.title == "S24 emergency"
