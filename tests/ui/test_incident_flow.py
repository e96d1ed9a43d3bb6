"""S06's response flow on the incident screen (Pilot, FakeGateway, a clock the test moves): the stages shown with the
current one marked, s moving on and recording each stage's time on the timeline (kept in the store), the times in
[ui] timezone on screen and UTC in the export's S06 section, and the replay saying which stage each frame was in."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from textual.widgets import DataTable, Input

from kojan_tui.core.config import AlertSettings, IncidentSettings
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.incident import IncidentScreen, recorder_of
from kojan_tui.ui.screens.replay import ReplayScreen
from kojan_tui.ui.widgets.context_bar import ContextBar
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, quiet_config, refresh, until


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_the_s06_flow_moves_on_by_key_records_each_stage_and_shows_in_export_and_replay(tmp_path):
    now = [b.NOW]  # 13:00 UTC, 22:00 in Tokyo
    config = quiet_config(language="ja", timezone="Asia/Tokyo")
    paths = IncidentSettings(er_md_path=str(tmp_path / "er.md"), reports_dir=str(tmp_path / "incidents"))
    config = replace(config, incidents=paths, alerts=AlertSettings(clear_after_seconds=0))
    app = KojanApp(config, healthy_fake(), clock=lambda: now[0])
    async with app.run_test(size=(200, 48)) as pilot:
        await refresh(app, pilot)
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("s")  # nothing open yet: said, nothing recorded
        await until(pilot, lambda: "開いているインシデントはありません" in text(screen, "#incident-message"), "refused")
        await pilot.press("n")
        recorder = recorder_of(app.services)
        await until(pilot, lambda: recorder.current == 1, "ER-001")
        await until(pilot, lambda: "▶ 1 事象発生 22:00 JST" in text(screen, "#incident-flow"), "stage 1 marked")
        flow = text(screen, "#incident-flow")
        assert "S06 対応フロー" in flow and "2 CloudWatch Logs確認 → 3 原因特定 → 4 対応方法決定 → 5 実施 → 6 検証" in flow
        assert "22:00:00 JST" in text(screen, "#incident-head")  # opened, in local time

        await refresh(app, pilot)  # a frame in stage 1
        now[0] = b.NOW + timedelta(minutes=4)
        await pilot.press("s")
        await until(pilot, lambda: "▶ 2 CloudWatch Logs確認 22:04 JST" in text(screen, "#incident-flow"), "stage 2")
        assert "✓ 1 事象発生 22:00 JST" in text(screen, "#incident-flow")
        assert "S06 段階 2/6: CloudWatch Logs確認（22:04:00 JST）" in text(screen, "#incident-message")
        await refresh(app, pilot)  # a frame in stage 2
        for minutes in (9, 12, 20, 26):
            now[0] = b.NOW + timedelta(minutes=minutes)
            await pilot.press("s")
            await until(
                pilot, lambda m=minutes: f"{(22 * 60 + m) // 60:02d}:{m:02d} JST" in text(screen, "#incident-flow"), f"+{minutes}"
            )
        await until(pilot, lambda: "▶ 6 検証 22:26 JST" in text(screen, "#incident-flow"), "the last stage")
        assert "s: 次の段階へ" not in text(screen, "#incident-flow")
        await pilot.press("s")
        await until(pilot, lambda: "最後の段階" in text(screen, "#incident-message"), "no seventh stage")

        await recorder.flush()
        record = await recorder.store.get(1)
        stages = [(e.at - b.NOW, e.text) for e in record.timeline if e.kind == "stage"]
        assert stages == [
            (timedelta(minutes=4), "S06 2/6: CloudWatch Logs確認"),
            (timedelta(minutes=9), "S06 3/6: 原因特定"),
            (timedelta(minutes=12), "S06 4/6: 対応方法決定"),
            (timedelta(minutes=20), "S06 5/6: 実施"),
            (timedelta(minutes=26), "S06 6/6: 検証"),
        ]
        table = screen.query_one(DataTable)
        await until(pilot, lambda: table.row_count == len(record.timeline), "the timeline")
        assert table.columns[next(iter(table.columns))].label.plain == "時刻 (JST)"
        assert table.get_row_at(table.row_count - 1)[:2] == ["22:26:00", "stage"]

        for name, value in {
            "test_item": "T-021",
            "module": "internal/db",
            "what_failed": "db down",
            "what_was_done": "restarted",
            "classification": "インフラ",
        }.items():
            screen.query_one(f"#field-{name}", Input).value = value
        await pilot.pause(0.1)
        now[0] = b.NOW + timedelta(minutes=31)
        await pilot.press("c")
        await until(pilot, lambda: recorder.current is None, "closed")
        await pilot.press("x")
        await until(
            pilot,
            lambda: "ER-001" in text(screen, "#incident-message") and (tmp_path / "incidents" / "ER-001.md").exists(),
            "exported",
        )
        report = (tmp_path / "incidents" / "ER-001.md").read_text(encoding="utf-8")
        assert "## Response flow (S06, UTC)\n" in report
        assert "| 1/6 事象発生 (the incident occurs) | 2026-11-28 13:00:00 | 4 min 00 s |" in report
        assert "| 6/6 検証 (verify the result) | 2026-11-28 13:26:00 | 5 min 00 s |" in report  # until it was closed
        assert "| 2026-11-28 13:04:00 | stage | S06 2/6: CloudWatch Logs確認 |" in report  # the timeline, UTC

        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen), "the replay")
        replay = app.screen
        await pilot.press("home")
        await pilot.pause()
        badges = []
        for _ in range(len(replay.states)):
            badges.append(replay.query_one(ContextBar).render().plain)
            await pilot.press("right")
            await pilot.pause()
        assert "S06 1/6 事象発生" in badges[0] and any("S06 2/6 CloudWatch Logs確認" in badge for badge in badges)
