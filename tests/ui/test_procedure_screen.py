"""What the runbook and checklist screens share (ui/screens/procedure.py), on both: a run store that cannot be
opened is said on the message line, keys then do nothing and Esc still leaves."""

from __future__ import annotations

import pytest

from kojan_tui.core.audit import AuditTrail
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.screens.checklist import ChecklistScreen, checklists
from kojan_tui.ui.screens.runbook import RunbookScreen, runbooks
from tests.ui.harness import make_screen_app, quiet_config


@pytest.mark.parametrize(
    ("screen_type", "procedures", "procedure_id"),
    [(RunbookScreen, runbooks, "s09-memory-leak"), (ChecklistScreen, checklists, "s21-release-docs")],
)
async def test_a_run_store_that_cannot_be_opened_is_said_and_nothing_else_happens(
    tmp_path, screen_type, procedures, procedure_id
):
    not_a_directory = tmp_path / "state"
    not_a_directory.write_text("a file where the state directory should be")
    app = make_screen_app(
        config=quiet_config(language="en"),
        database=LazyDatabase(not_a_directory / "kojan.sqlite3"),
        audit=AuditTrail(tmp_path / "a.jsonl"),
    )
    async with app.run_test(size=(160, 48)) as pilot:
        procedure = next(p for p in procedures(app.services) if p.id == procedure_id)
        app.push_screen(screen_type(app.services, procedure))
        message = f"#{screen_type.KIND.value}-message"
        for _ in range(100):
            await pilot.pause(0.02)
            if "cannot open the run store" in str(app.screen.query_one(message).render()):
                break
        screen = app.screen
        assert "cannot open the run store" in str(screen.query_one(message).render())
        await pilot.press("space", "j", "r", "a", "f")
        await pilot.pause()
        assert screen.runner is None and app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, screen_type)
