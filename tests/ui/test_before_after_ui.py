"""Before/after the newest deployment (issue 27) on the rollback screen (a small table) and on an open incident's
timeline; the what-changed key is named on the rollback screen when something differs."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

from rich.console import Console

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.config import IncidentSettings
from kojan_tui.core.models import ContainerDefinition, TaskDefinition
from kojan_tui.ui.screens.incident import IncidentScreen, recorder_of
from kojan_tui.ui.screens.rollback import RollbackScreen
from kojan_tui.ui.screens.what_changed import EXTENSION
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_screen_app, quiet_config, refresh, until


def deployed_ten_minutes_ago():
    fake = healthy_fake()
    deployment = replace(b.deployment(), created_at=b.NOW - timedelta(minutes=10))
    fake.service = replace(fake.service, deployments=(deployment,))
    fake.metrics[q.P99_LATENCY] = b.series(q.P99_LATENCY, [0.1] * 49 + [0.5] * 11)
    return fake


def static_text(screen, selector: str) -> str:
    """What the Static shows, as plain text (its Group holds a rich Table)."""
    console = Console(width=150, record=True, file=io.StringIO())
    console.print(screen.query_one(selector).content)
    return console.export_text()


async def test_rollback_screen_shows_before_and_after_and_names_the_what_changed_key(tmp_path) -> None:
    fake = deployed_ten_minutes_ago()
    app = make_screen_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        recorder = app.services.extensions[EXTENSION]
        await refresh(app, pilot)
        await until(pilot, lambda: recorder.latest is not None, "a healthy snapshot")
        new_arn = b.TD_ARN.replace(":42", ":43")
        fake.task_definitions[new_arn] = TaskDefinition(
            new_arn, "kojan-map-business", 43, (ContainerDefinition("business", "repo/business:v2"),)
        )
        fake.service = replace(fake.service, task_definition=new_arn)
        await refresh(app, pilot)
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, RollbackScreen), "the rollback screen")
        screen = app.screen
        await until(pilot, lambda: "p99" in static_text(screen, "#rollback-before-after"), "the before/after table")
        table = static_text(screen, "#rollback-before-after")
        assert "Before / after deployment kojan-map-business:42" in table and "10 min each side" in table
        assert "100 ms" in table and "500 ms" in table
        await until(
            pilot, lambda: "Esc, then w on the dashboard" in static_text(screen, "#rollback-s25"), "the what-changed line"
        )


async def test_an_open_incident_gets_the_comparison_on_its_timeline(tmp_path) -> None:
    config = replace(
        quiet_config(language="en"),
        incidents=IncidentSettings(er_md_path=str(tmp_path / "er.md"), reports_dir=str(tmp_path / "incidents")),
    )
    app = make_screen_app(deployed_ten_minutes_ago(), config)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        await pilot.press("i")
        assert isinstance(app.screen, IncidentScreen)
        await pilot.press("n")
        recorder = recorder_of(app.services)
        await until(pilot, lambda: recorder.current is not None, "the incident to open")
        await refresh(app, pilot, ["metrics"])
        await refresh(app, pilot, ["metrics"])  # the same milestone again: one line, not two
        await recorder.flush()
        record = await recorder.store.get(recorder.current)
        lines = [e.text for e in record.timeline if e.kind == "deployment"]
        assert len(lines) == 1, lines
        assert "before/after deployment kojan-map-business:42" in lines[0] and "p99 100 ms → 500 ms" in lines[0]
        assert "5XX rate" in lines[0] and "ECS memory" in lines[0]
