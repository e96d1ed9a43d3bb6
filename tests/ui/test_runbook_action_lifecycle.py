"""S09's runbook action (force a new deployment) goes through the same lifecycle as the palette's: refused while a
rollout is watched (nothing sent, a final ``refused`` record), otherwise sent once, watched by the app's rollout
watch, checked (S29) and closed with the watch's final record — which the step records too."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import ActionSettings
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.runbook import RunbookScreen, runbooks
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from tests.fixtures import builders as b
from tests.ui.harness import (
    ScreenApp,
    confirm_deployment,
    healthy_fake,
    open_force_deployment_screen,
    plain,
    quiet_config,
    until,
)

SERVICE = "kojan-map-business"


class Clock:
    def __init__(self) -> None:
        self.now = b.NOW

    def __call__(self):
        return self.now


def app_with(tmp_path, clock: Clock, *, settling: float = 0) -> tuple[KojanApp, AuditTrail]:
    config = quiet_config(language="en")
    config = replace(config, actions=ActionSettings(rollout_timeout_seconds=900, settling_seconds=settling, watch_seconds=60))
    trail = AuditTrail(tmp_path / "audit.jsonl")
    return ScreenApp(config, healthy_fake(), clock=clock, audit=trail), trail  # the screens without the dashboard


async def open_s09_restart_dialog(app: KojanApp, pilot) -> RunbookScreen:
    """Open S09, go to its "restart" step and press a: the confirmation dialog is on top of the runbook."""
    procedure = next(p for p in runbooks(app.services) if p.id == "s09-memory-leak")
    app.push_screen(RunbookScreen(app.services, procedure))
    await until(pilot, lambda: isinstance(app.screen, RunbookScreen) and app.screen.runner is not None, "the S09 run")
    screen = app.screen
    await pilot.press("j")
    await until(pilot, lambda: screen.runner.current.id == "restart", "the restart step")
    await pilot.press("a")
    await until(pilot, lambda: isinstance(app.screen, ConfirmationDialog), "the confirmation")
    return screen


async def run_s09_restart_step(app: KojanApp, pilot) -> RunbookScreen:
    """Open S09's "restart" confirmation and type the service name: the dialog's answer is awaited."""
    screen = await open_s09_restart_dialog(app, pilot)
    await pilot.press(*SERVICE, "enter")
    await until(pilot, lambda: app.screen is screen, "the dialog's answer")
    return screen


def records_of(trail: AuditTrail, request_id: str) -> list[str]:
    return [e["outcome"] for e in trail.entries() if e["details"].get("request_id") == request_id]


async def test_the_s09_runbook_action_is_refused_while_a_rollout_is_watched(tmp_path) -> None:
    app, trail = app_with(tmp_path, Clock(), settling=600)  # the clock stands still: the watch stays on
    async with app.run_test(size=(160, 48)) as pilot:
        await open_force_deployment_screen(app, pilot)
        await confirm_deployment(app, pilot, SERVICE)  # the palette's forced deployment: watched
        assert app.services.rollout.active and len(app.gateway.updates) == 1
        await pilot.press("escape")
        screen = await run_s09_restart_step(app, pilot)
        await until(pilot, lambda: "still being watched" in plain(screen.query_one("#runbook-message").render()), "the refusal")
        assert len(app.gateway.updates) == 1  # nothing sent
        watched = app.services.rollout.status.request.id
        runbook_ids = {e["details"]["request_id"] for e in trail.entries()} - {watched}
        assert len(runbook_ids) == 1
        refused = records_of(trail, runbook_ids.pop())
        assert refused[0] == "requested" and refused[1].startswith("refused: A rollout is still being watched")
        assert len(refused) == 2


async def test_the_s09_runbook_action_is_watched_checked_and_closed_like_the_palettes(tmp_path) -> None:
    clock = Clock()
    app, trail = app_with(tmp_path, clock, settling=60)  # settles only once the test moves the clock
    async with app.run_test(size=(160, 48)) as pilot:
        await app.poller.refresh_now(wait=True)
        screen = await run_s09_restart_step(app, pilot)
        watch = app.services.rollout
        assert watch.active and watch.status.request.action == "force-new-deployment"
        assert app.gateway.updates == [
            {"cluster": "kojan-map-production", "service": SERVICE, "task_definition": None, "force": True}
        ]
        assert "watching it until it ends" in plain(screen.query_one("#runbook-message").render())
        request_id = watch.status.request.id
        for _ in range(2):  # COMPLETED (the fake's deployment), then past the settling time and the datapoint grace
            if not watch.status.finished:
                await app.poller.refresh_now(["rollout"], wait=True)
            clock.now += timedelta(minutes=5)
        await until(pilot, lambda: watch.status.finished, "the end of the watch")
        assert watch.status.checks and {c.name for c in watch.status.checks} >= {"target health", "new ERROR lines"}
        final = records_of(trail, request_id)
        assert final[:3] == ["requested", "confirmed", "succeeded"] and final[3] in ("verified", "not verified")
        wanted = f"force-new-deployment: {final[3]}"
        await until(
            pilot,
            lambda: any(r.summary == wanted for r in screen.runner.run.records if r.step_id == "restart"),
            "the step's record of the watch's end",
        )


async def test_a_cancelled_runbook_action_ends_with_a_cancelled_record(tmp_path) -> None:
    app, trail = app_with(tmp_path, Clock())
    async with app.run_test(size=(160, 48)) as pilot:
        await open_s09_restart_dialog(app, pilot)
        await pilot.press("escape")
        await until(pilot, lambda: [e["outcome"] for e in trail.entries()] == ["requested", "cancelled"], "the final record")
        assert app.gateway.updates == [] and app.services.lifecycles.unfinished() == []
