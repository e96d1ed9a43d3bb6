"""Healthy configuration snapshots in SQLite: the migration once, the newest 50 kept, one hash key per installation."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from kojan_tui.core.config_snapshot import ConfigSnapshot
from kojan_tui.store import config_snapshots as store_module
from kojan_tui.store.config_snapshots import KEEP, SqliteConfigSnapshots
from kojan_tui.store.database import MIGRATIONS, Database
from tests.fixtures import builders as b


async def test_migration_applied_once_and_the_key_kept_across_opens(tmp_path) -> None:
    path = tmp_path / "kojan.sqlite3"
    assert any(m.name == "0400-config-snapshots" for m in MIGRATIONS)
    db = await Database.open(path)
    store = SqliteConfigSnapshots(db)
    key = await store.hash_key()
    assert len(key) == 32 and await store.hash_key() == key
    await store.add(ConfigSnapshot(b.NOW, (("image", "repo:v1"),)))
    version = db.schema_version()
    await db.close()
    again = await Database.open(path)  # opening again applies nothing twice and keeps what was written
    assert again.schema_version() == version
    store = SqliteConfigSnapshots(again)
    assert await store.hash_key() == key
    assert (await store.latest()).fields == (("image", "repo:v1"),)
    await again.close()
    with sqlite3.connect(path) as probe:
        applied = probe.execute("SELECT COUNT(*) FROM schema_migrations WHERE name = '0400-config-snapshots'").fetchone()[0]
    assert applied == 1


async def test_bounded_to_the_newest_and_confirm_touches_only_the_newest(tmp_path) -> None:
    db = await Database.open(tmp_path / "kojan.sqlite3")
    store = SqliteConfigSnapshots(db)
    assert await store.latest() is None
    for i in range(KEEP + 7):
        await store.add(ConfigSnapshot(b.NOW + timedelta(minutes=i), (("desired count", str(i)),)))
    assert await store.count() == KEEP
    latest = await store.latest()
    assert latest.fields == (("desired count", str(KEEP + 6)),) and latest.confirmed_at is None
    await store.confirm(b.NOW + timedelta(hours=5))
    assert (await store.latest()).confirmed_at == b.NOW + timedelta(hours=5)
    oldest = await db.call(lambda c: c.execute("SELECT fields FROM config_snapshots ORDER BY id LIMIT 1").fetchone()[0])
    assert '"7"' in oldest  # the seven oldest are gone
    await db.close()
    assert store_module.KEEP == 50
