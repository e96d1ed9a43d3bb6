"""The demo's scenario picker (s): an exact name comes first, so typing ``outage`` then Enter starts ``outage``,
not ``db-outage``."""

from __future__ import annotations

from kojan_tui.demo.scenarios import SCENARIOS
from kojan_tui.ui.screens.scenarios import pick_scenario
from tests.ui.harness import make_screen_app, palette_highlights, until


class RecordingDemo:
    """Stands in for the embedded AWS: the scenarios it offers, the one it was switched to."""

    def __init__(self) -> None:
        self.switched: list[str] = []
        self.scenario = "healthy"

    @staticmethod
    def scenarios():
        return list(SCENARIOS.values())

    def set_scenario(self, name: str) -> None:
        self.switched.append(name)
        self.scenario = name


async def test_typing_outage_picks_outage_not_db_outage() -> None:
    app = make_screen_app()
    async with app.run_test(size=(160, 48)) as pilot:
        demo = RecordingDemo()
        app.demo = demo
        pick_scenario(app)
        await pilot.pause()
        await pilot.press(*"outage")
        await until(pilot, lambda: palette_highlights(app, "outage — S25"), "outage highlighted")
        await pilot.press("enter")
        await until(pilot, lambda: demo.switched, "the switch")
        assert demo.switched == ["outage"]
        for name in ("db-outage", "healthy"):  # the other names still match exactly, and fuzzily
            demo.switched.clear()
            pick_scenario(app)
            await pilot.pause()
            await pilot.press(*name)
            await until(pilot, lambda name=name: palette_highlights(app, f"{name} — "), f"{name} highlighted")
            await pilot.press("enter")
            await until(pilot, lambda: demo.switched, "the switch")
            assert demo.switched == [name]
