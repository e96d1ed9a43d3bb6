"""The SQLite home: named migrations applied once (schema version), WAL, 0600, symlinks refused, two writers."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from kojan_tui.store.database import MIGRATIONS, Database, Migration

NOTES = Migration("9000-test-notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")


def _insert(connection: sqlite3.Connection, body: str) -> int:
    return connection.execute("INSERT INTO notes (body) VALUES (?)", (body,)).lastrowid


def _count(connection: sqlite3.Connection) -> int:
    return connection.execute("SELECT COUNT(*) FROM notes").fetchone()[0]


async def test_migrations_apply_once_and_count_as_the_schema_version(tmp_path):
    path = tmp_path / "state" / "kojan.sqlite3"
    db = await Database.open(path, [*MIGRATIONS, NOTES])
    await db.call(_insert, "first")
    await db.close()
    assert db.schema_version() == len(MIGRATIONS) + 1
    again = await Database.open(path, [*MIGRATIONS, NOTES])  # opening again applies nothing twice
    assert await again.call(_count) == 1 and again.schema_version() == len(MIGRATIONS) + 1
    await again.close()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(path) as probe:
        assert probe.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_a_failed_call_rolls_back_and_the_database_stays_usable(tmp_path):
    db = await Database.open(tmp_path / "k.sqlite3", [*MIGRATIONS, NOTES])

    def half_then_fail(connection: sqlite3.Connection) -> None:
        _insert(connection, "half")
        raise ValueError("boom")

    with pytest.raises(ValueError):
        await db.call(half_then_fail)
    assert await db.call(_count) == 0
    await db.close()


async def test_a_symlink_at_the_database_path_is_refused(tmp_path):
    target = tmp_path / "elsewhere.sqlite3"
    target.write_bytes(b"")
    link = tmp_path / "kojan.sqlite3"
    link.symlink_to(target)
    with pytest.raises(OSError, match="symlink"):
        await Database.open(link)


async def test_a_database_another_process_creates_at_the_same_moment_is_opened_not_refused(tmp_path, monkeypatch):
    """The race CI hit: both processes saw no file, the second one's exclusive create failed with FileExistsError."""
    path = tmp_path / "shared.sqlite3"
    real_open = os.open

    def the_other_process_wins(file, flags, mode=0o777, *args, **kwargs):
        if str(file) == str(path) and flags & os.O_EXCL and not os.path.exists(file):
            os.close(real_open(file, os.O_WRONLY | os.O_CREAT, 0o600))  # created between our look and our create
        return real_open(file, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", the_other_process_wins)
    db = await Database.open(path, [*MIGRATIONS, NOTES])
    await db.call(_insert, "after the race")
    assert await db.call(_count) == 1
    await db.close()


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.sqlite3"
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from kojan_tui.store.database import MIGRATIONS, Database, Migration
        NOTES = Migration("9000-test-notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        async def main():
            db = await Database.open({str(path)!r}, [*MIGRATIONS, NOTES])
            for i in range(200):
                await db.call(lambda c, i=i: c.execute("INSERT INTO notes (body) VALUES (?)", (sys.argv[1] + str(i),)))
            await db.close()
        asyncio.run(main())
        """
    )
    writers = [subprocess.Popen([sys.executable, "-c", script, name]) for name in ("a", "b")]
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    with sqlite3.connect(path) as probe:
        assert probe.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert probe.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 400
    assert os.path.exists(path)
