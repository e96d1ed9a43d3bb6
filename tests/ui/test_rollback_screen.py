"""The S26 rollback screen on a FakeGateway: revisions and diff, dry run, typed confirmation, read-only
refusal, a failed UpdateService, the watch going on after the screen is left, and no second deployment while it runs."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Group
from rich.text import Text
from textual.widgets import DataTable, Static

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import ContainerDefinition, TaskDefinition
from kojan_tui.ui.screens.rollback import RollbackScreen
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from kojan_tui.ui.widgets.context_bar import ContextBar
from tests.fixtures import builders as b
from tests.ui.harness import (
    confirm_deployment,
    healthy_fake,
    make_app,
    make_screen_app,
    open_force_deployment_screen,
    quiet_config,
    refresh,
    try_every_way_to_confirm,
    until,
)

ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:{}"
IMAGE = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/kojan-map/business:{}"
SERVICE = "kojan-map-business"


def revision(rev: int, tag: str, env: dict[str, str], status: str = "ACTIVE") -> TaskDefinition:
    container = ContainerDefinition("business", IMAGE.format(tag), tuple(sorted(env.items())), (("JWT_SECRET", "arn:jwt"),))
    return TaskDefinition(ARN.format(rev), SERVICE, rev, (container,), registered_at=b.NOW, status=status)


def fake_with_revisions(*, inactive: int | None = None):
    fake = healthy_fake()
    revisions = {
        1: revision(1, "v1.4.2", {"APP_VERSION": "1.4.2"}),
        2: revision(2, "v1.5.0", {"APP_VERSION": "1.5.0", "DB_PASSWORD": "hunter2"}),
        3: revision(3, "v1.5.1", {"APP_VERSION": "1.5.1", "DB_PASSWORD": "swordfish"}),
    }
    if inactive:
        revisions[inactive] = replace(revisions[inactive], status="INACTIVE")
    fake.task_definitions = {td.arn: td for td in revisions.values()}
    primary = replace(b.deployment(), task_definition=ARN.format(3))
    fake.service = replace(b.service(), task_definition=ARN.format(3), deployments=(primary,))
    return fake


def text_of(widget: Static) -> str:
    content = widget.content
    if isinstance(content, Group):
        return "\n".join(text_of_renderable(r) for r in content.renderables)
    return text_of_renderable(content)


def text_of_renderable(renderable) -> str:
    if isinstance(renderable, Text):
        return renderable.plain
    if isinstance(renderable, Group):
        return "\n".join(text_of_renderable(r) for r in renderable.renderables)
    return str(renderable)


async def open_rollback(app, pilot) -> RollbackScreen:
    await refresh(app, pilot)
    await pilot.press("b")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, RollbackScreen)
    await screen.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_revisions_diff_and_dry_run_send_nothing(tmp_path) -> None:
    fake = fake_with_revisions()
    app = make_screen_app(
        fake, quiet_config(language="en"), audit=AuditTrail(tmp_path / "audit.jsonl")
    )  # asserts the English text
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_rollback(app, pilot)
        table = screen.query_one("#revisions", DataTable)
        assert table.row_count == 3 and screen.chosen.revision == 2  # the previous revision preselected
        diff = text_of(screen.query_one("#rollback-diff", Static))
        assert "~ image: " in diff and ":v1.5.1 → " in diff and "business:v1.5.0" in diff
        assert "hunter2" not in diff and "swordfish" not in diff and "env DB_PASSWORD" in diff
        await pilot.press("d")
        await pilot.pause()
        shown = text_of(screen.query_one("#rollback-status", Static))
        assert "DRY RUN — nothing was sent" in shown and '"taskDefinition": "' + ARN.format(2) in shown
        assert fake.calls["update_service"] == 0 and fake.updates == []


async def test_inactive_previous_revision_is_shown_not_offered(tmp_path) -> None:
    fake = fake_with_revisions(inactive=2)
    app = make_screen_app(
        fake, quiet_config(language="en"), audit=AuditTrail(tmp_path / "audit.jsonl")
    )  # asserts the English text
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_rollback(app, pilot)
        assert screen.chosen.revision == 1
        status = text_of(screen.query_one("#rollback-status", Static))
        assert "kojan-map-business:2 is INACTIVE; kojan-map-business:1 is preselected instead" in status
        await pilot.press("up")  # onto the INACTIVE one
        await pilot.pause()
        assert screen.chosen.revision == 2
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmationDialog)
        assert "cannot be chosen: INACTIVE" in text_of(screen.query_one("#rollback-status", Static))


async def test_confirmed_rollback_is_sent_once_audited_and_watched_after_leaving(tmp_path) -> None:
    fake = fake_with_revisions()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_app(fake, quiet_config(language="en"), audit=trail)  # asserts the English text
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_rollback(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmationDialog)
        await pilot.press(*"kojan-map-busines", "enter")  # one letter short
        await pilot.pause()
        assert fake.updates == [] and isinstance(app.screen, ConfirmationDialog)
        await pilot.press("s", "enter", "enter")
        await dialog.workers.wait_for_complete()
        await pilot.pause()
        assert len(fake.updates) == 1 and fake.updates[0]["task_definition"] == ARN.format(2)
        assert app.screen is screen
        outcomes = [e["outcome"] for e in trail.entries()]
        assert outcomes == ["requested", "confirmed", "succeeded"]
        assert trail.entries()[-1]["details"]["task_definition_before"] == ARN.format(3)
        assert app.services.rollout.active
        await pilot.press("escape")  # leave the screen: the watch goes on, the dashboard shows it
        await pilot.pause()
        assert "rollout" in app.poller.sources
        app.services.state.publish(app.services.state.current)
        await pilot.pause()
        bar = app.screen.query_one(ContextBar)
        assert bar.context.rollout and "rollback → kojan-map-business:2" in bar.context.rollout


async def test_escape_in_the_confirmation_sends_nothing(tmp_path) -> None:
    fake = fake_with_revisions()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_screen_app(fake, quiet_config(language="en"), audit=trail)  # asserts the English text
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_rollback(app, pilot)
        await pilot.press("enter", *SERVICE, "escape")
        await pilot.pause()
        assert app.screen is screen and fake.updates == []
        assert "Cancelled: nothing was sent" in text_of(screen.query_one("#rollback-status", Static))
        await until(pilot, lambda: len(trail.entries()) == 2, "the final record")
        assert [e["outcome"] for e in trail.entries()] == ["requested", "cancelled"]  # never a lone "requested"


async def test_read_only_shows_the_action_disabled_and_nothing_is_called(tmp_path) -> None:
    fake = fake_with_revisions()
    config = quiet_config(read_only=True, language="en")
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_screen_app(fake, config, audit=trail)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_rollback(app, pilot)
        assert "READ-ONLY" in text_of(screen.query_one("#rollback-readonly", Static))
        await try_every_way_to_confirm(app, pilot, SERVICE)
        assert fake.calls["update_service"] == 0 and fake.updates == [] and trail.entries() == []


async def test_a_failed_update_service_is_shown_audited_and_changes_nothing(tmp_path) -> None:
    fake = fake_with_revisions()
    fake.failures["update_service"] = AwsFailure(
        FailureKind.ACCESS_DENIED, "not allowed: ecs:UpdateService", code="AccessDeniedException"
    )
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_screen_app(fake, quiet_config(language="en"), audit=trail)  # asserts the English text
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_rollback(app, pilot)
        await confirm_deployment(app, pilot, SERVICE)
        assert app.screen is screen
        status = text_of(screen.query_one("#rollback-status", Static))
        assert "not done" in status and "not allowed: ecs:UpdateService" in status
        assert [e["outcome"] for e in trail.entries()] == ["requested", "confirmed", f"failed: {FailureKind.ACCESS_DENIED.value}"]
        assert trail.entries()[-1]["outcome"].startswith("failed")
        assert fake.service.task_definition == ARN.format(3) and not app.services.rollout.active


async def test_the_s25_banner_shows_the_rollback_key(tmp_path) -> None:
    from kojan_tui.core.rollback_rules import RollbackReason
    from kojan_tui.ui.widgets.rollback_banner import ROLLBACK_KEY, RollbackBanner
    from tests.ui.harness import plain

    app = make_app(fake_with_revisions(), audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        banner = app.screen.query_one(RollbackBanner)
        banner.show((RollbackReason("memory", "ECS memory 97 % > 95 %"),))
        await pilot.pause()
        assert f" {ROLLBACK_KEY} " in plain(banner.render()) and "to roll back (S26)" in plain(banner.render())
        assert any(b.key == ROLLBACK_KEY and "rollback" in b.action for bs in app._bindings.key_to_bindings.values() for b in bs)


async def test_an_unanswered_update_service_is_read_back_before_anything_is_said(tmp_path) -> None:
    """The fake times out before applying it: the lifecycle reads the service back (still :3) and only then
    says not done, with what it read; the request was sent once (the real "done" case: tests/actions)."""
    fake = fake_with_revisions()
    fake.failures["update_service"] = AwsFailure(FailureKind.TIMEOUT, "no answer within 15 s", operation="UpdateService")
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_screen_app(fake, quiet_config(language="en"), audit=trail)  # asserts the English text
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_rollback(app, pilot)
        await confirm_deployment(app, pilot, SERVICE)
        status = text_of(screen.query_one("#rollback-status", Static))
        assert "read back: the PRIMARY deployment ecs-svc/primary runs kojan-map-business:3" in status
        outcomes = [e["outcome"] for e in trail.entries()]
        assert outcomes == ["requested", "confirmed", "unknown: timeout", "resolved: not done"]
        assert fake.calls["update_service"] == 1 and not app.services.rollout.active


async def test_no_second_deployment_starts_while_one_is_watched_on_either_screen(tmp_path) -> None:
    fake = fake_with_revisions()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_screen_app(fake, quiet_config(language="en"), audit=trail)  # asserts the English text
    async with app.run_test(size=(160, 48)) as pilot:
        force = await open_force_deployment_screen(app, pilot)
        await confirm_deployment(app, pilot, SERVICE)
        assert app.screen is force and app.services.rollout.active and len(fake.updates) == 1
        await pilot.press("enter")  # on the same screen
        await pilot.pause()
        assert app.screen is force
        assert "still being watched" in text_of(force.query_one("#force-status", Static))
        await pilot.press("escape")
        await pilot.pause()
        rollback = await open_rollback(app, pilot)
        assert app.services.rollout.active
        await pilot.press("enter")  # on the other screen
        await pilot.pause()
        assert app.screen is rollback
        assert "still being watched" in text_of(rollback.query_one("#rollback-status", Static))
        assert len(fake.updates) == 1 and [e["outcome"] for e in trail.entries()] == ["requested", "confirmed", "succeeded"]
