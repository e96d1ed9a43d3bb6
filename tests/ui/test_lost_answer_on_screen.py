"""The palette's forced deployment (S09) through a proxy that forwards UpdateService to the embedded AWS and then
loses the answer: the screen never says "not done", it says what reading the service back found (done), the
rollout is watched, the audit trail holds unknown → resolved, and UpdateService went out exactly once."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Static

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import ActionSettings, Config
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from tests.actions.lost_answers import LOST_ANSWERS, losing_answers_to
from tests.ui.harness import open_force_deployment_screen, plain, until

SERVICE = "kojan-map-business"


def app_through(proxy, tmp_path) -> KojanApp:
    config = Config()
    config = replace(
        config,
        aws=replace(config.aws, endpoint_url=proxy.endpoint_url, profile=None, max_attempts=3, read_timeout=5.0),
        ui=replace(config.ui, bell=False, notify=False, language="en"),  # the test reads the English outcome
        refresh=replace(config.refresh, metrics_seconds=30.0, service_seconds=2.0),
        actions=ActionSettings(rollout_timeout_seconds=120, settling_seconds=5, watch_seconds=0.5),
    )
    gateway = AwsGateway(config.aws, static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET))
    return KojanApp(config, gateway, audit=AuditTrail(tmp_path / "audit.jsonl"))


@pytest.mark.parametrize("lost", LOST_ANSWERS)
async def test_the_screen_never_says_not_done_when_the_answer_was_lost(demo_world, tmp_path, lost) -> None:
    with losing_answers_to(demo_world, "UpdateService", lost) as proxy:
        app = app_through(proxy, tmp_path)
        shown: list[str] = []
        async with app.run_test(size=(160, 48)) as pilot:
            screen = await open_force_deployment_screen(app, pilot)
            status = screen.query_one("#force-status", Static)
            await pilot.press("enter")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ConfirmationDialog)
            await pilot.press(*SERVICE, "enter")
            while dialog.is_attached:  # everything the dialog says while the answer is awaited and read back
                shown.append(plain(dialog.query_one("#confirm-status", Static).content))
                await pilot.pause(0.05)
            await until(pilot, lambda: app.services.rollout.active, "the rollout watch")
            shown.append(plain(status.content))
            assert app.screen is screen
            assert "read back: a new PRIMARY deployment" in shown[-1] and "the rollout is watched" in shown[-1]
            assert app.services.rollout.status.request.force_new_deployment
        assert proxy.requests["UpdateService"] == 1 and proxy.forwarded["UpdateService"] == 1
    assert not any("not done" in line for line in shown), shown
    seen = [e["outcome"] for e in AuditTrail(tmp_path / "audit.jsonl").entries()]
    assert seen[:2] == ["requested", "confirmed"] and seen[2].startswith("unknown: ") and seen[3] == "resolved: done"
