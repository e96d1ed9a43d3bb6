"""Small things a user hits in an incident: Tab moves through its fields, the export makes its folders, the alerts
already firing when it opens are on its timeline, and every screen's top line says an incident is open."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.core.config import IncidentSettings
from kojan_tui.ui.screens.incident import IncidentScreen, recorder_of
from kojan_tui.ui.widgets.context_bar import ContextBar
from tests.ui.harness import alert_fake, make_app, make_screen_app, refresh, until
from tests.ui.test_incident import incident_config

FIELDS = ["field-title", "field-test_item", "field-module", "field-what_failed", "field-what_was_done", "field-classification"]


async def open_incident(app, pilot) -> IncidentScreen:
    await pilot.press("i", "n")
    await until(pilot, lambda: recorder_of(app.services).current is not None, "the incident")
    screen = app.screen
    assert isinstance(screen, IncidentScreen)
    await until(pilot, lambda: screen.record is not None, "its record on screen")
    return screen


async def test_tab_moves_through_the_fields_and_back_to_the_timeline(tmp_path) -> None:
    app = make_screen_app(config=incident_config(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        await open_incident(app, pilot)
        seen = []
        for _ in range(len(FIELDS) + 1):
            await pilot.press("tab")
            await pilot.pause()
            seen.append(app.focused.id)
        assert seen == [*FIELDS, "incident-timeline"]
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused.id == FIELDS[-1]


async def test_an_incident_opened_during_alerts_records_them_and_the_top_line_says_it_is_open(tmp_path) -> None:
    app = make_app(alert_fake(), config=incident_config(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        firing = [a.title for a in app.services.state.current.alerts.active]
        assert firing  # the bad hour: CPU, memory, a missing task…
        await open_incident(app, pilot)
        recorder = recorder_of(app.services)
        record = await recorder.store.get(recorder.current)
        texts = [e.text for e in record.timeline]
        for title in firing:
            assert any(t.startswith("already firing since") and f": {title}: " in t for t in texts), (title, texts)
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one(ContextBar).show(app.services.context())
        assert f"INCIDENT {record.record_id} open" in app.screen.query_one(ContextBar).render().plain


async def test_the_export_makes_the_folders_it_writes_to(tmp_path) -> None:
    config = incident_config(tmp_path)
    paths = IncidentSettings(er_md_path=str(tmp_path / "docs" / "er.md"), reports_dir=str(tmp_path / "docs" / "incidents"))
    app = make_screen_app(config=replace(config, incidents=paths))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_incident(app, pilot)
        recorder = recorder_of(app.services)
        await recorder.store.update(
            recorder.current, test_item="T-001", module="m", what_failed="f", what_was_done="d", classification="c"
        )
        await pilot.press("x")
        message = lambda: str(screen.query_one("#incident-message").render())  # noqa: E731
        await until(pilot, lambda: "Appended ER-001" in message(), f"the export ({message()})")
        assert (tmp_path / "docs" / "er.md").read_text(encoding="utf-8").rstrip().endswith("| ER-001 | T-001 | m | f | d | c |")
        assert (tmp_path / "docs" / "incidents" / "ER-001.md").exists()
