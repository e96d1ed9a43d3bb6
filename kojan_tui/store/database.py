"""One SQLite database in the user's state directory: WAL, written through, named migrations, off the loop.

Every feature registers its tables as named migrations (``MIGRATIONS``, in order); a new name is applied
once, in a transaction, and ``PRAGMA user_version`` counts them (the schema version). Calls run on one
worker thread that owns the only connection, so the event loop never blocks and there is one writer per
process; two processes on one machine are serialised by SQLite's own locking (``busy_timeout``).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kojan_tui.core.private_files import private_dir, tighten

T = TypeVar("T")
DATABASE_FILENAME = "kojan.sqlite3"
BUSY_TIMEOUT_MS = 5000
MEMORY = Path(":memory:")  # SQLite's in-memory database: nothing touches the disk


@dataclass(frozen=True)
class Migration:
    name: str  # unique and never renamed: it is how an applied migration is recognised
    sql: str  # one or more statements


MIGRATIONS: list[Migration] = [
    Migration(
        "0001-meta",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
]


def register(migration: Migration) -> None:
    """Add a feature's migration (at import of the feature's store module); idempotent by name."""
    if all(m.name != migration.name for m in MIGRATIONS):
        MIGRATIONS.append(migration)


def _register_every_feature() -> None:
    """Import every store module (each registers its migrations at import), e.g. in a process that only
    uses checklists: otherwise the incidents' migration would look like one from a newer version."""
    import importlib
    import pkgutil

    import kojan_tui.store as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")


def default_database_path() -> Path:
    import platformdirs

    return platformdirs.user_state_path("kojan-tui") / DATABASE_FILENAME


class DatabaseUnavailable(OSError):
    """The database file cannot be used this run ("PATH: reason"); what needs it says so and does nothing."""


class NewerSchemaError(sqlite3.DatabaseError):
    """The file was written by a newer kojan-tui (more migrations than this one knows): refused, untouched."""


class Database:
    """``await Database.open(path)``; ``await db.call(fn, *args)`` runs ``fn(connection, *args)``."""

    def __init__(self, path: Path, connection: sqlite3.Connection, executor: ThreadPoolExecutor) -> None:
        self.path = path
        self._connection = connection
        self._executor = executor

    @classmethod
    async def open(cls, path: Path | str, migrations: list[Migration] | None = None) -> Database:
        """Open (creating and migrating) the database at ``path``; ``MEMORY`` for one in memory."""
        path = Path(path)
        if migrations is None:
            _register_every_feature()  # every migration this version knows, so a newer file is told apart
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kojan-sqlite")
        loop = asyncio.get_running_loop()
        try:
            connection = await loop.run_in_executor(executor, _connect, path, migrations or MIGRATIONS)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(path, connection, executor)

    async def call(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _in_transaction, self._connection, fn, args)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._connection.close)
        self._executor.shutdown(wait=True)

    def schema_version(self) -> int:
        """For tests and ``--check``: how many migrations the file has applied (blocking, tiny)."""
        with sqlite3.connect(self.path) as probe:
            return int(probe.execute("PRAGMA user_version").fetchone()[0])


def _connect(path: Path, migrations: list[Migration]) -> sqlite3.Connection:
    if path == MEMORY:
        connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        _migrate(connection, migrations)
        return connection
    private_dir(path.parent)
    if path.is_symlink():
        raise OSError(f"refusing a symlink at {path}")
    try:  # created 0600: runs and incidents can name people and systems
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    except FileExistsError:
        pass  # it exists already, or another kojan-tui starting at the same moment created it first
    for own in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        tighten(own)  # an existing file with loose permissions becomes 0600
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version > len(migrations):
            raise NewerSchemaError(
                f"written by a newer kojan-tui (schema version {version}; this one knows {len(migrations)}); refusing to use it"
            )
    except BaseException:
        connection.close()
        raise
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _switch_to_wal(connection)
    connection.execute("PRAGMA synchronous = FULL")  # written through: a tick survives kill -9 and power loss
    connection.execute("PRAGMA foreign_keys = ON")
    _migrate(connection, migrations)
    return connection


def _switch_to_wal(connection: sqlite3.Connection) -> None:
    """WAL, waiting out a second process that is switching the same new file: SQLite answers that
    change with "database is locked" at once instead of calling the busy handler."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)  # a lock held by another process: nothing to wait on but the lock itself


def _migrate(connection: sqlite3.Connection, migrations: list[Migration]) -> None:
    connection.execute("BEGIN IMMEDIATE")  # two processes starting at once: one migrates, the other waits
    try:
        connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {row[0] for row in connection.execute("SELECT name FROM schema_migrations")}
        for migration in migrations:
            if migration.name in applied:
                continue
            for statement in _statements(migration.sql):
                connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                (migration.name,),
            )
        count = connection.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
        connection.execute(f"PRAGMA user_version = {int(count)}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]


def _in_transaction(connection: sqlite3.Connection, fn: Callable[..., T], args: tuple[object, ...]) -> T:
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = fn(connection, *args)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return result


class LazyDatabase:
    """The app's database, opened on first use (start-up never waits for SQLite); same ``call`` as Database.

    ``path=None`` keeps everything in memory (tests, and a state directory that cannot be written).
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: Database | None = None
        self._lock = asyncio.Lock()
        self.problem: str | None = None  # why the file is not used (corrupt, newer schema…): "PATH: reason"
        self.on_problem: Callable[[str], None] | None = None  # told once, when the file is refused

    async def get(self) -> Database:
        async with self._lock:
            if self.problem is not None:  # refused once: never retried, never written to
                raise DatabaseUnavailable(self.problem)
            if self._db is None:
                try:
                    self._db = await Database.open(self.path if self.path is not None else MEMORY)
                except (sqlite3.DatabaseError, OSError) as error:  # corrupt, newer, unreadable: left untouched
                    self.problem = f"{self.path}: {' '.join(str(error).split()) or type(error).__name__}"
                    if self.on_problem is not None:
                        self.on_problem(self.problem)
                    raise DatabaseUnavailable(self.problem) from error
            return self._db

    async def call(self, fn: Callable[..., T], *args: object) -> T:
        return await (await self.get()).call(fn, *args)

    async def close(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            await db.close()
