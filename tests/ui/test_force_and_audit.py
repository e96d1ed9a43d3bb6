"""S09 force new deployment (palette, confirmation, audited, watched) and the audit trail viewer."""

from __future__ import annotations

from textual.widgets import DataTable

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.ui.screens.audit_trail import AuditTrailScreen, open_audit_trail
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from tests.ui.harness import (
    confirm_deployment,
    healthy_fake,
    make_screen_app,
    open_force_deployment_screen,
    plain,
    quiet_config,
    until,
)

SERVICE = "kojan-map-business"


async def test_force_deployment_is_confirmed_sent_once_and_audited(tmp_path) -> None:
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_screen_app(audit=trail)
    async with app.run_test(size=(160, 48)) as pilot:
        assert "Force new deployment" in [c.title for c in app.palette_commands()]
        await open_force_deployment_screen(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert app.gateway.updates == []
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmationDialog)
        await pilot.press(*SERVICE, "enter", "enter")
        await dialog.workers.wait_for_complete()
        await pilot.pause()
        assert app.gateway.updates == [
            {"cluster": "kojan-map-production", "service": SERVICE, "task_definition": None, "force": True}
        ]
        assert [e["outcome"] for e in trail.entries()] == ["requested", "confirmed", "succeeded"]
        assert trail.entries()[1]["details"]["force_new_deployment"] is True
        assert app.services.rollout.active


async def test_force_deployment_refused_in_read_only(tmp_path) -> None:
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_screen_app(config=quiet_config(read_only=True), audit=trail)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_force_deployment_screen(app, pilot)
        await pilot.press("enter", *SERVICE, "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmationDialog) and app.screen.disabled
        assert app.gateway.calls["update_service"] == 0 and trail.entries() == []


async def test_audit_viewer_lists_every_record_with_where_and_verdicts(tmp_path) -> None:
    trail = AuditTrail(tmp_path / "audit.jsonl")
    details = {
        "profile": "oncall",
        "region": "ap-northeast-1",
        "task_definition_before": "arn:x:task-definition/f:3",
        "task_definition": "arn:x:task-definition/f:2",
    }
    trail.record("rollback", "c/s", "requested", "arn:aws:iam::1:user/me", details)
    trail.record(
        "rollback",
        "c/s",
        "succeeded",
        "arn:aws:iam::1:user/me",
        {**details, "task_definition_after": "arn:x:task-definition/f:2"},
    )
    trail.record(
        "rollback",
        "c/s",
        "verified",
        "arn:aws:iam::1:user/me",
        {**details, "verdicts": [{"check": "target health", "verdict": "pass", "detail": "2/2"}]},
    )
    app = make_screen_app(config=quiet_config(), audit=trail)
    async with app.run_test(size=(160, 48)) as pilot:
        open_audit_trail(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditTrailScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        last = [cell.plain for cell in table.get_row_at(2)]
        assert last[1:4] == ["rollback", "verified", "f:3 → f:2"]
        assert last[4] == "arn:aws:iam::1:user/me" and last[5] == "oncall / ap-northeast-1"
        assert last[6] == "target health: pass"


async def test_force_deployment_cancelled_or_failed_says_so_and_starts_no_watch(tmp_path) -> None:
    fake = healthy_fake()
    fake.failures["update_service"] = AwsFailure(FailureKind.ACCESS_DENIED, "not allowed: ecs:UpdateService")
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_screen_app(fake, quiet_config(language="en"), audit=trail)  # asserts the English text
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_force_deployment_screen(app, pilot)
        status = screen.query_one("#force-status")
        await pilot.press("enter", *SERVICE, "escape")
        await pilot.pause()
        assert app.screen is screen and "Cancelled: nothing was sent" in plain(status.content)
        await until(pilot, lambda: len(trail.entries()) == 2, "the final record")
        assert [e["outcome"] for e in trail.entries()] == ["requested", "cancelled"]
        await confirm_deployment(app, pilot, SERVICE)
        assert app.screen is screen
        shown = plain(status.content)
        assert "✖ The forced deployment was not done" in shown and "not allowed: ecs:UpdateService" in shown
        assert fake.updates == [] and not app.services.rollout.active
        assert [e["outcome"] for e in trail.entries()][-1] == f"failed: {FailureKind.ACCESS_DENIED.value}"


async def test_w_stops_watching_audited_and_frees_the_next_deployment(tmp_path) -> None:
    from dataclasses import replace

    from kojan_tui.core.config import ActionSettings

    config = replace(quiet_config(language="en"), actions=ActionSettings(settling_seconds=600))
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_screen_app(config=config, audit=trail)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_force_deployment_screen(app, pilot)
        await confirm_deployment(app, pilot, SERVICE)
        assert app.services.rollout.active
        await pilot.press("w")
        await until(pilot, lambda: trail.entries()[-1]["outcome"] == "watch cancelled", "the final record")
        assert not app.services.rollout.active and app.services.lifecycles.deploy_blocked() is None
        assert "Stopped watching (audited)" in plain(screen.query_one("#force-status").content)
        await pilot.pause()
        assert "WATCH CANCELLED" in plain(screen.query_one("#force-watch").content)
        await pilot.press("w")
        assert "No rollout is being watched." in plain(screen.query_one("#force-status").content)
        await confirm_deployment(app, pilot, SERVICE)  # the next deployment may start
        assert len(app.gateway.updates) == 2 and app.services.rollout.active
