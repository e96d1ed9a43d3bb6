"""Issue 20, files: every file the app writes is created exclusively (or atomically replaced on purpose), never
through a symlink, 0600 in a 0700 directory; loose audit/db permissions are tightened; AWS control characters
are visible in exports; a database from a newer schema is refused."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.events import EventBus
from kojan_tui.core.incidents import ErFileError, TimelineEntry
from kojan_tui.core.private_files import create_exclusive, write_private_atomically
from kojan_tui.incidents.recorder import IncidentRecorder
from kojan_tui.store.database import Database, LazyDatabase, NewerSchemaError
from kojan_tui.store.incidents import SqliteIncidentStore

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def exported_recorder(tmp_path: Path, text: str = "ok") -> tuple[IncidentRecorder, int]:
    store = SqliteIncidentStore(LazyDatabase(tmp_path / "state" / "kojan.sqlite3"))
    recorder = IncidentRecorder(
        store, EventBus(), lambda: NOW, er_md=tmp_path / "repo" / "er.md", reports_dir=tmp_path / "repo" / "incidents"
    )
    record = await recorder.start("t")
    fields = {"test_item": "T-001", "module": "m", "what_failed": text, "what_was_done": "d", "classification": "c"}
    await store.update(record.number, **fields)
    await store.add_entry(record.number, TimelineEntry(NOW, "note", text))
    return recorder, record.number


async def test_exports_are_new_0600_files_with_control_characters_visible(tmp_path):
    hostile = "health check body \x1b]0;owned\x07 \x1b[2J done"
    recorder, number = await exported_recorder(tmp_path, hostile)
    er_md, report = await recorder.export(number)
    for path in (er_md, report):
        text = path.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\x07" not in text and "␛]0;owned␇" in text
        assert mode(path) == 0o600
    assert mode(tmp_path / "state" / "kojan.sqlite3") == 0o600 and mode(tmp_path / "state") == 0o700


async def test_the_report_never_overwrites_nor_follows_a_symlink(tmp_path):
    recorder, number = await exported_recorder(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "repo" / "incidents").mkdir(parents=True)
    (tmp_path / "repo" / "incidents" / "ER-001.md").symlink_to(victim)
    with pytest.raises(ErFileError, match="already exists"):
        await recorder.export(number)
    assert victim.read_text() == "keep me"
    assert not (tmp_path / "repo" / "er.md").exists()  # no row without its report


async def test_er_md_as_a_symlink_is_refused(tmp_path):
    recorder, number = await exported_recorder(tmp_path)
    target = tmp_path / "elsewhere.md"
    target.write_text(
        "| 管理番号 | テスト項目管理番号 | モジュール名 | 障害状況 | 障害対処内容 | トラブル分類 |\n|---|---|---|---|---|---|\n"
    )
    (tmp_path / "repo").mkdir(exist_ok=True)
    (tmp_path / "repo" / "er.md").symlink_to(target)
    with pytest.raises(ErFileError, match="symbolic link"):
        await recorder.export(number)
    assert target.read_text().count("\n") == 2 and not (tmp_path / "repo" / "incidents" / "ER-001.md").exists()


def test_private_writers(tmp_path):
    path = create_exclusive(tmp_path / "d" / "new.txt", "x")
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    with pytest.raises(FileExistsError):
        create_exclusive(path, "y")
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "d" / "state.json"
    link.symlink_to(victim)
    write_private_atomically(link, "{}")  # replaced on purpose: the link itself, never its target
    assert victim.read_text() == "keep" and not link.is_symlink() and mode(link) == 0o600


def test_loose_audit_and_database_files_are_tightened(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o755)
    state.chmod(0o755)
    audit = state / "audit.jsonl"
    audit.write_text("")
    audit.chmod(0o644)
    AuditTrail(audit).record("rollback", "svc", "requested", None, {})
    assert mode(audit) == 0o600 and mode(state) == 0o700

    database = state / "kojan.sqlite3"
    sqlite3.connect(database).close()
    database.chmod(0o644)

    async def open_and_close() -> None:
        db = await Database.open(database)
        await db.close()

    asyncio.run(open_and_close())
    assert mode(database) == 0o600


def test_a_database_from_a_newer_schema_is_refused_and_left_untouched(tmp_path):
    database = tmp_path / "kojan.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA user_version = 999")
    connection.close()
    before = database.read_bytes()

    async def open_it() -> None:
        await Database.open(database)

    with pytest.raises(NewerSchemaError, match=r"written by a newer kojan-tui \(schema version 999; this one knows \d+\)"):
        asyncio.run(open_it())
    assert database.read_bytes() == before
