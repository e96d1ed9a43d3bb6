"""S15 on the checklist screen: p on the comparison item opens one field per file; a missing file is named and
nothing is recorded; Enter through the fields records them (the item ticks itself, the detail shows the
comparison); a new app resumes the run with the files filled in; w writes them in the export."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.core.audit import AuditTrail
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.screens.checklist import ChecklistScreen
from kojan_tui.ui.screens.file_entry import FileEntryScreen
from tests.procedures.test_guide_maintenance import OLD_FORMAT
from tests.ui.harness import make_app, quiet_config, until
from tests.ui.test_checklist import open_screen, text_of


def config():
    base = quiet_config(language="en")
    return replace(base, actions=replace(base.actions, watch_seconds=0.1))


async def test_s15_files_entered_recorded_shown_resumed_and_exported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nov.txt").write_text("BenchmarkGetPosts-8 1000 1200000 ns/op\n", encoding="utf-8")
    (tmp_path / "dec.txt").write_text("BenchmarkGetPosts-8 1000 1500000 ns/op\n", encoding="utf-8")
    (tmp_path / "cmp.txt").write_text(OLD_FORMAT, encoding="utf-8")
    database = tmp_path / "runs.sqlite3"
    app = make_app(config=config(), database=LazyDatabase(database), audit=AuditTrail(tmp_path / "a.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_screen(app, pilot, "s15-monthly-benchmarks")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen) and "asks for no files" in text_of(screen, "#checklist-message")
        await pilot.press("j", "j", "p")
        await until(pilot, lambda: isinstance(app.screen, FileEntryScreen), "the files dialog")
        await pilot.press(*"nov.txt", "enter", *"nope.txt", "enter", *"cmp.txt", "enter")
        dialog = app.screen
        await until(pilot, lambda: "nope.txt: not found" in str(dialog.query_one("#files-message").render()), "the error")
        assert isinstance(app.screen, FileEntryScreen) and screen.runner.run.records == ()
        dialog.query_one("#file-current").value = "dec.txt"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChecklistScreen), "back on the checklist")
        await pilot.pause()
        assert "3 files recorded; benchstat: 2 significant changes" in text_of(screen, "#checklist-message")
        detail = text_of(screen, "#checklist-item")
        assert f"This month's benchmark: {tmp_path / 'dec.txt'}" in detail and "+25.00%  (p=0.000" in detail
        assert "▶ [x]" in text_of(screen, "#checklist-items")  # the item counts as done
        assert "1/4 done" in text_of(screen, "#checklist-head")
    again = make_app(config=config(), database=LazyDatabase(database), audit=AuditTrail(tmp_path / "b.jsonl"))
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await open_screen(again, pilot, "s15-monthly-benchmarks")
        assert screen.runner.resumed and screen.runner.current.id == "compare"
        await pilot.press("p")
        await until(pilot, lambda: isinstance(again.screen, FileEntryScreen), "the files dialog")
        assert again.screen.query_one("#file-previous").value == str(tmp_path / "nov.txt")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(again.screen, ChecklistScreen), "cancelled")
        await pilot.press("w")
        await until(pilot, lambda: list(tmp_path.glob("checklist-s15-*.md")), "the export")
        markdown = next(tmp_path.glob("checklist-s15-*.md")).read_text(encoding="utf-8")
        assert f"    - Last month's benchmark: {tmp_path / 'nov.txt'} · " in markdown
        assert "    GetPosts-8          12.0kB ± 0%    11.0kB ± 0%   -8.33%  (p=0.000 n=10+10)\n" in markdown
