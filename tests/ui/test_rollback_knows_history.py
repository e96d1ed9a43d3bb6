"""Rollback knows what just happened: after a rollback from :3 to :2, `b` does not preselect :3, marks it
"rolled back from at …", and deploying it again takes an extra Enter before the typed confirmation."""

from __future__ import annotations

import re
from dataclasses import replace

from textual.widgets import DataTable

from kojan_tui.core.audit import AuditTrail
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from tests.fixtures import builders as b
from tests.ui.harness import confirm_deployment, make_screen_app, quiet_config, refresh
from tests.ui.test_rollback_screen import ARN, SERVICE, fake_with_revisions, open_rollback, text_of

TARGET = f"kojan-map-production/{SERVICE}"


def runs(fake, rev: int) -> None:
    """ECS finished the rollout to ``rev``: it is the PRIMARY deployment."""
    fake.service = replace(
        fake.service, task_definition=ARN.format(rev), deployments=(replace(b.deployment(), task_definition=ARN.format(rev)),)
    )


def note_of(screen, rev: int) -> str:
    table = screen.query_one("#revisions", DataTable)
    index = next(i for i, row in enumerate(screen.rows) if row.revision == rev)
    return table.get_row_at(index)[3].plain


async def test_after_a_rollback_from_3_to_2_b_preselects_neither_and_marks_3(tmp_path) -> None:
    fake = fake_with_revisions()
    app = make_screen_app(fake, audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_rollback(app, pilot)
        assert screen.chosen.revision == 2
        await confirm_deployment(app, pilot, SERVICE)
        assert fake.updates[-1]["task_definition"] == ARN.format(2)
        runs(fake, 2)
        await refresh(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        again = await open_rollback(app, pilot)
        assert again.chosen.revision == 1  # not :3, the revision just rolled back from
        # (the audit trail stamps records with the wall clock, not the app's frozen one)
        assert re.search(rf"rolled back from at \d\d:\d\d UTC: rolled back to {SERVICE}:2", note_of(again, 3))
        assert "rolled back" not in note_of(again, 1) and "rolled back" not in note_of(again, 2)


async def test_deploying_a_rolled_back_revision_again_needs_an_extra_enter(tmp_path) -> None:
    fake = fake_with_revisions()
    runs(fake, 2)
    trail = AuditTrail(tmp_path / "audit.jsonl")
    details = {"request_id": "r1", "task_definition_before": ARN.format(3), "task_definition": ARN.format(2)}
    for outcome in ("requested", "confirmed", "succeeded", "verified"):
        trail.record("rollback", TARGET, outcome, "arn:me", details, now=b.NOW)
    app = make_screen_app(fake, quiet_config(language="en"), audit=trail)  # asserts the English text
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_rollback(app, pilot)
        assert screen.chosen.revision == 1
        assert f"rolled back to {SERVICE}:2 (verified)" in note_of(screen, 3)
        await pilot.press("up", "up")  # past the running :2, onto :3
        await pilot.pause()
        assert screen.chosen.revision == 3
        assert "The service was rolled back from" in text_of(screen.query_one("#rollback-diff"))
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmationDialog)  # the extra acknowledgement first
        assert "Press Enter again" in text_of(screen.query_one("#rollback-status"))
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmationDialog)
        assert dialog.confirmation.title == f"Deploy {SERVICE}:3 again"
        assert "Deploying again a revision the service was rolled back from" in text_of(dialog.query_one("#confirm-what"))
        await pilot.press("escape")
        await pilot.pause()
        assert fake.updates == []
