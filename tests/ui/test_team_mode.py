"""Team mode in the app (Pilot, one FakeGateway as the shared table): an incident started on one console is
the open incident of the next console started, with the same number and timeline."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.core.config import IncidentSettings, TeamSettings
from kojan_tui.ui.screens.incident import IncidentScreen, recorder_of
from tests.ui.harness import healthy_fake, make_screen_app, quiet_config, refresh, until


def team_config(tmp_path):
    config = quiet_config(language="en")
    paths = IncidentSettings(er_md_path=str(tmp_path / "er.md"), reports_dir=str(tmp_path / "incidents"))
    return replace(config, incidents=paths, team=TeamSettings(table="kojan-team"))


async def test_an_incident_started_on_one_console_is_open_on_the_next(tmp_path):
    fake = healthy_fake()
    await fake.dynamodb_create_table("kojan-team")
    first = make_screen_app(fake, config=team_config(tmp_path))
    async with first.run_test(size=(160, 48)) as pilot:
        await refresh(first, pilot)
        await pilot.press("i")
        assert isinstance(first.screen, IncidentScreen)
        await pilot.press("n")
        await until(pilot, lambda: recorder_of(first.services).current == 1, "ER-001 to open")
    assert ("INCIDENT", "ER#000001") in fake.tables["kojan-team"]  # in the team table, not in SQLite
    second = make_screen_app(fake, config=team_config(tmp_path))
    async with second.run_test(size=(160, 48)) as pilot:
        recorder = recorder_of(second.services)
        await until(pilot, lambda: recorder.current == 1, "the colleague's open incident to be resumed")
        record = await recorder.store.get(1)
        assert record is not None and record.timeline[0].text == "incident opened"
        assert recorder.context_badge() == "INCIDENT ER-001 open"
