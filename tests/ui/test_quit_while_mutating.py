"""``q`` / ``ctrl+q`` while a mutation is watched asks first (in the configured language); n or Escape stays, y
quits. With nothing in flight it quits at once."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import ActionSettings
from kojan_tui.ui.screens.quit_confirm import QuitConfirmation
from tests.ui.harness import (
    confirm_deployment,
    make_screen_app,
    open_force_deployment_screen,
    plain,
    quiet_config,
    until,
)

SERVICE = "kojan-map-business"


def watched_config(language: str):
    config = quiet_config(language=language)
    return replace(config, actions=ActionSettings(settling_seconds=600))  # the frozen clock keeps the watch on


@pytest.mark.parametrize(("language", "asks"), [("en", "Quit now?"), ("ja", "終了しますか？")])
async def test_quitting_while_a_deployment_is_watched_asks_first(tmp_path, language, asks) -> None:
    app = make_screen_app(config=watched_config(language), audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        await open_force_deployment_screen(app, pilot)
        await confirm_deployment(app, pilot, SERVICE)
        assert app.services.rollout.active
        await pilot.press("escape")  # back on the dashboard (a modal screen keeps q to itself)
        await pilot.pause()
        for key, stay in (("q", "n"), ("ctrl+q", "escape")):
            await pilot.press(key)
            await until(pilot, lambda: isinstance(app.screen, QuitConfirmation), f"the question after {key}")
            dialog = app.screen
            assert dialog.query_one("#quit-what").parent.border_title == asks
            assert "force-new-deployment kojan-map-production/kojan-map-business (watching)" in plain(
                dialog.query_one("#quit-what").render()
            )
            await pilot.press(stay)
            await until(pilot, lambda: not isinstance(app.screen, QuitConfirmation), "back")
            assert app.is_running
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, QuitConfirmation), "the question")
        await pilot.press("y")
        await until(pilot, lambda: not app.is_running, "the app to quit")


async def test_quitting_with_nothing_in_flight_quits_at_once(tmp_path) -> None:
    app = make_screen_app(audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "the app to quit")
