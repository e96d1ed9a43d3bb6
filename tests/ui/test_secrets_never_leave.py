"""Issue 20's side doors: a task definition with ``DB_PASS=…`` and ``DATABASE_URL=mysql://admin:pw@db/x`` never
shows its secrets on screen (rollback diff, S08 evidence), in the SQLite file (frames decompressed, timeline,
fields), in the audit file or in the exports (er.md, the incident report)."""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import replace

from textual.widgets import Static

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import AlertSettings, IncidentSettings
from kojan_tui.core.models import ContainerDefinition, TaskDefinition
from kojan_tui.core.secret_rule import MASK
from kojan_tui.procedures.checks import CheckContext, run_check
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.screens.incident import recorder_of
from kojan_tui.ui.screens.rollback import RollbackScreen
from tests.fixtures import builders as b
from tests.ui.harness import confirm_deployment, healthy_fake, make_screen_app, quiet_config, refresh, until
from tests.ui.test_rollback_screen import text_of

ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:{}"
SECRETS = ("Hunter2Pass", "Sup3rS3cretPw", "OldPass1", "OldUrlPw1")


def revision(rev: int, password: str, url_password: str) -> TaskDefinition:
    env = (
        ("APP_ENV", "production"),
        ("DATABASE_URL", f"mysql://admin:{url_password}@db/x"),
        ("DB_HOST", b.db_instance().endpoint or "db"),
        ("DB_PASS", password),
    )
    image = f"123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/kojan-map/business:v1.{rev}"
    return TaskDefinition(
        ARN.format(rev), "kojan-map-business", rev, (ContainerDefinition("business", image, env),), registered_at=b.NOW
    )


def leaky_fake():
    fake = healthy_fake()
    revisions = {2: revision(2, "OldPass1", "OldUrlPw1"), 3: revision(3, "Hunter2Pass", "Sup3rS3cretPw")}
    fake.task_definitions = {td.arn: td for td in revisions.values()}
    primary = replace(b.deployment(), task_definition=ARN.format(3))
    fake.service = replace(b.service(), task_definition=ARN.format(3), deployments=(primary,))
    return fake


def assert_clean(where: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret} in {where}"


async def test_secrets_never_reach_screen_database_audit_or_exports(tmp_path):
    config = quiet_config()
    paths = IncidentSettings(er_md_path=str(tmp_path / "er.md"), reports_dir=str(tmp_path / "incidents"))
    config = replace(config, incidents=paths, alerts=AlertSettings(clear_after_seconds=0))
    database, audit = tmp_path / "kojan.sqlite3", tmp_path / "audit.jsonl"
    fake = leaky_fake()
    app = make_screen_app(fake, config=config, audit=AuditTrail(audit), database=LazyDatabase(database))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        recorder = recorder_of(app.services)
        await recorder.start("DB down: DATABASE_URL=mysql://admin:Sup3rS3cretPw@db/x")
        await refresh(app, pilot)  # frames now hold the task definition
        await recorder.flush()
        assert await recorder.store.frames(recorder.current)

        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, RollbackScreen), "the rollback screen")
        screen = app.screen
        await screen.workers.wait_for_complete()
        await pilot.pause()
        diff = text_of(screen.query_one("#rollback-diff", Static))
        assert_clean("the rollback diff", diff)
        assert f"mysql://admin:{MASK}@db/x" in diff and "env DB_PASS" in diff
        await confirm_deployment(app, pilot, "kojan-map-business")
        assert len(fake.updates) == 1

        evidence = await run_check("ecs.task_env", CheckContext(fake, config, clock=lambda: b.NOW))
        shown = "\n".join((evidence.summary, *evidence.evidence))
        assert_clean("the S08 evidence", shown)
        assert f"DATABASE_URL = mysql://admin:{MASK}@db/x" in shown and f"DB_PASS = {MASK}" in shown

        number = recorder.current
        await recorder.note("rotated: DB_PASS=Hunter2Pass")
        fields = {"test_item": "T-008", "module": "db", "what_failed": "mysql://admin:Sup3rS3cretPw@db/x refused"}
        await recorder.store.update(number, **fields, what_was_done="rolled back", classification="インフラ")
        er_md, report = await recorder.export(number)
        assert_clean("er.md", er_md.read_text(encoding="utf-8"))
        assert_clean("the incident report", report.read_text(encoding="utf-8"))
        frames = await recorder.store.frames(number)
        assert frames
        for _, payload in frames:
            assert_clean("a frame", zlib.decompress(payload).decode("utf-8"))

    assert_clean("the audit file", audit.read_text(encoding="utf-8"))
    with sqlite3.connect(database) as connection:
        rows = [
            " ".join(str(value) for value in row)
            for table in ("incidents", "incident_timeline")
            for row in connection.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
        ]
        payloads = [zlib.decompress(row[0]).decode("utf-8") for row in connection.execute("SELECT payload FROM incident_frames")]
    assert rows and payloads
    assert_clean("the SQLite tables", "\n".join(rows))
    assert_clean("the SQLite frames", "\n".join(payloads))
    for path in tmp_path.glob("kojan.sqlite3*"):  # the file and its WAL, byte for byte
        assert_clean(path.name, path.read_bytes().decode("utf-8", "replace"))
