"""One contract for every store implementation: SQLite (one engineer) and the team's DynamoDB table (on
moto's server over HTTP, and on the in-memory fake). The same tests, the same answers."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.acks import Acknowledgement, acknowledge
from kojan_tui.core.incidents import TimelineEntry
from kojan_tui.store.acks import SqliteAckStore
from kojan_tui.store.database import LazyDatabase
from kojan_tui.store.incidents import SqliteIncidentStore
from kojan_tui.store.team import DynamoAckStore, DynamoIncidentStore
from tests.fixtures.aws_seed import fast_settings

T0 = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "dynamodb", "fake"])
async def stores(request, tmp_path):
    """(incident store, ack store, a second pair on the same data as another console would open it)."""
    if request.param == "sqlite":
        db = LazyDatabase(tmp_path / "kojan.sqlite3")
        other = LazyDatabase(tmp_path / "kojan.sqlite3")
        yield SqliteIncidentStore(db), SqliteAckStore(db), SqliteIncidentStore(other), SqliteAckStore(other)
        await db.close()
        await other.close()
        return
    table = f"kojan-team-{uuid.uuid4().hex[:8]}"
    if request.param == "fake":
        api = FakeGateway()
        await api.dynamodb_create_table(table)
        yield (
            DynamoIncidentStore(api, table),
            DynamoAckStore(api, table),
            DynamoIncidentStore(api, table),
            DynamoAckStore(api, table),
        )
        return
    endpoint = request.getfixturevalue("moto_endpoint")
    one, two = AwsGateway(fast_settings(endpoint)), AwsGateway(fast_settings(endpoint))
    await one.dynamodb_create_table(table)
    yield DynamoIncidentStore(one, table), DynamoAckStore(one, table), DynamoIncidentStore(two, table), DynamoAckStore(two, table)
    await one.close()
    await two.close()


async def test_an_incident_round_trips_with_its_timeline_in_order(stores):
    incidents, _, other, _ = stores
    record = await incidents.open_next(T0, "API 500s", at_least=4)
    assert record.number == 4
    await incidents.add_entry(4, TimelineEntry(T0 + timedelta(seconds=2), "note", "second"))
    await incidents.add_entry(4, TimelineEntry(T0 + timedelta(seconds=1), "alert", "first"))
    await incidents.update(4, module="auth", what_failed="token check")
    seen = await other.get(4)  # another console reads what this one wrote
    assert seen is not None and seen.title == "API 500s" and seen.module == "auth" and seen.what_failed == "token check"
    assert [(e.kind, e.text) for e in seen.timeline] == [("alert", "first"), ("note", "second")]
    assert await other.open_number() == 4
    await incidents.close_incident(4, T0 + timedelta(minutes=5))
    assert await other.open_number() is None
    assert (await other.get(4)).closed_at == T0 + timedelta(minutes=5)
    assert await other.get(99) is None


async def test_numbers_keep_rising_and_respect_the_floor(stores):
    incidents, _, other, _ = stores
    first = await incidents.open_next(T0)
    second = await other.open_next(T0)
    third = await incidents.open_next(T0, at_least=10)  # er.md already holds ER-009
    assert (first.number, second.number, third.number) == (1, 2, 10)
    assert await other.numbers() == [1, 2, 10]


async def test_timeline_entries_at_the_same_moment_are_both_kept(stores):
    incidents, _, other, _ = stores
    await incidents.open_next(T0)
    await asyncio.gather(
        incidents.add_entry(1, TimelineEntry(T0, "note", "mine")), other.add_entry(1, TimelineEntry(T0, "note", "yours"))
    )
    assert sorted(e.text for e in (await incidents.get(1)).timeline) == ["mine", "yours"]


async def test_frames_round_trip(stores):
    incidents, *_ = stores
    await incidents.open_next(T0)
    await incidents.add_frame(1, T0, b"\x00frame-one")
    await incidents.add_frame(1, T0 + timedelta(seconds=5), b"frame-two")
    assert await incidents.frames(1) == [(T0, b"\x00frame-one"), (T0 + timedelta(seconds=5), b"frame-two")]
    assert await incidents.frame_bytes(1) == len(b"\x00frame-one") + len(b"frame-two")


async def test_secret_shaped_text_is_masked_in_every_store(stores):
    incidents, *_ = stores
    await incidents.open_next(T0, "password=hunter2hunter2")
    await incidents.add_entry(1, TimelineEntry(T0, "note", "AKIAIOSFODNN7EXAMPLE leaked"))
    record = await incidents.get(1)
    assert "hunter2hunter2" not in record.title and "AKIAIOSFODNN7EXAMPLE" not in record.timeline[0].text


async def test_acknowledgements_are_shared_renewed_and_end(stores):
    _, acks, _, other_acks = stores
    await acks.acknowledge(acknowledge("ecs-memory", "alice", T0, minutes=30))
    await other_acks.acknowledge(acknowledge("ecs-memory", "bob", T0, minutes=10))
    await acks.acknowledge(acknowledge("ecs-memory", "alice", T0 + timedelta(minutes=5), minutes=30))  # renewed
    seen = await other_acks.acknowledgements(T0 + timedelta(minutes=6))
    assert [(a.who, a.until) for a in seen] == [("bob", T0 + timedelta(minutes=10)), ("alice", T0 + timedelta(minutes=35))]
    later = await acks.acknowledgements(T0 + timedelta(minutes=20))
    assert later == [Acknowledgement("ecs-memory", "alice", T0 + timedelta(minutes=5), T0 + timedelta(minutes=35))]
    assert await acks.acknowledgements(T0 + timedelta(hours=1)) == []


@pytest.mark.parametrize("stores", ["sqlite", "dynamodb"], indirect=True)
async def test_two_consoles_allocating_at_once_never_share_a_number(stores):
    incidents, _, other, _ = stores
    opened = await asyncio.gather(*(store.open_next(T0, at_least=3) for _ in range(12) for store in (incidents, other)))
    numbers = [r.number for r in opened]
    assert len(numbers) == 24 and len(set(numbers)) == 24, sorted(numbers)
    assert min(numbers) >= 3
    assert sorted(await other.numbers()) == sorted(numbers)
