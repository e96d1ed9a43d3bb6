"""Runbooks walked in the app against the embedded AWS: S09 ends with memory back under the threshold after the
confirmed forced deployment; S07's JWT check never lets the secret's value reach the screen, a log or the disk.

The app runs on the world's clock: S09's wait for the deployment and a memory datapoint after it advances the
world's time (simulated seconds), never the wall clock's."""

from __future__ import annotations

import html
import logging
from dataclasses import replace
from pathlib import Path

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import Config
from kojan_tui.procedures.checks import Verdict
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.runbook import RunbookScreen, runbooks
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from tests.demo.helpers import client
from tests.fixtures.waits import advance_until, until

CONFIG = Config()


def app_on(demo, tmp_path: Path) -> KojanApp:
    aws = replace(CONFIG.aws, endpoint_url=demo.endpoint_url, profile=None)
    config = replace(CONFIG, aws=aws, ui=replace(CONFIG.ui, bell=False, notify=False, language="en"))
    gateway = AwsGateway(config.aws, static_credentials=("demo", "demo"))
    return KojanApp(
        config,
        gateway,
        demo=demo,
        clock=demo.clock,
        audit=AuditTrail(tmp_path / "audit.jsonl"),
        database=LazyDatabase(tmp_path / "kojan.sqlite3"),
    )


async def open_runbook(app, pilot, runbook_id: str) -> RunbookScreen:
    procedure = next(p for p in runbooks(app.services) if p.id == runbook_id)
    app.push_screen(RunbookScreen(app.services, procedure))
    await settle(pilot, app.screen)
    return app.screen


async def settle(pilot, screen: RunbookScreen, timeout: float = 60) -> None:
    """Until the run is open and no check is running."""

    def settled() -> bool:
        if screen.runner is None or screen.running:
            return False
        return all(screen.runner.run.latest_check(s.id) is not None for s in screen.procedure.auto_checked())

    await pilot.pause()
    await until(pilot, settled, "the runbook's checks to finish", timeout=timeout)


async def test_walking_s09_in_memory_leak_ends_with_memory_back_under_the_threshold(demo_world, tmp_path):
    demo_world.reset("memory-leak")
    app = app_on(demo_world, tmp_path)
    alert = CONFIG.thresholds.ecs_memory_percent.alert
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_runbook(app, pilot, "s09-memory-leak")
        first = screen.runner.run.latest_check("memory-24h")
        assert first.verdict is Verdict.FAIL, first
        await pilot.press("space", "j")  # looked at the chart; on to the restart
        assert screen.runner.current.id == "restart"
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmationDialog), "the confirmation dialog")
        dialog = app.screen
        assert isinstance(dialog, ConfirmationDialog) and dialog.confirmation.expected == "kojan-map-business"
        await pilot.press(*"kojan-map-business", "enter")
        await until(pilot, lambda: screen.runner.run.latest_action("restart") is not None, "the restart's outcome")
        action = screen.runner.run.latest_action("restart")
        assert action is not None and action.done, action
        await pilot.press("space", "j")
        assert screen.runner.current.id == "memory-after"

        async def judged():  # re-run (r) until the deployment is done and a datapoint since it exists
            await pilot.press("r")
            await settle(pilot, screen)
            result = screen.runner.run.latest_check("memory-after")
            return result if result.verdict in (Verdict.PASS, Verdict.FAIL) else None

        result = await advance_until(demo_world, judged, "memory-after judged", step_s=5.0, limit_s=240.0)
        assert result.verdict is Verdict.PASS, result
        latest = float(result.summary.split("memory back to ")[1].split(" %")[0])
        assert latest < alert
    audit = (tmp_path / "audit.jsonl").read_text()
    assert '"force-new-deployment"' in audit and '"succeeded"' in audit
    ecs = client(demo_world, "ecs")
    deployments = ecs.describe_services(cluster=CONFIG.service.cluster, services=[CONFIG.service.name])["services"][0][
        "deployments"
    ]
    assert deployments[0]["rolloutState"] == "COMPLETED"


async def test_the_jwt_secret_value_never_reaches_the_screen_a_log_or_the_disk(demo_world, tmp_path, caplog):
    demo_world.reset("auth-errors")
    value = client(demo_world, "secretsmanager").get_secret_value(SecretId=CONFIG.service.jwt_secret_id)["SecretString"]
    assert len(value) == 16
    caplog.set_level(logging.DEBUG)  # everything anyone could turn on, botocore's response bodies included
    app = app_on(demo_world, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_runbook(app, pilot, "s07-auth-errors")
        await pilot.press("j", "j", "j")
        assert screen.runner.current.id == "jwt-secret"
        await pilot.press("r")
        await settle(pilot, screen)
        await pilot.pause()
        result = screen.runner.run.latest_check("jwt-secret")
        assert result.verdict is Verdict.FAIL and "16 characters" in result.summary
        shown = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "16 characters" in shown  # the screen does show the check...
        assert value not in shown  # ...but never the value
        for static in screen.query("Static"):
            assert value not in str(static.render())
    assert caplog.records  # logging was live
    assert not [r for r in caplog.records if value in r.getMessage()]
    assert all(value.encode() not in path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert any(path.name.startswith("kojan.sqlite3") for path in tmp_path.iterdir())  # the run was written
