"""The audit copy's queue on the in-memory gateway: never blocks the action, bounded (drop-oldest, counted),
in order, one stream per UTC day, secrets redacted before anything leaves, a bug in the gateway contained."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from kojan_tui.actions.audit_copy import COPY_ACTION, AuditCopy, default_owner, stream_name
from kojan_tui.actions.audited import AuditedActions, ParameterChangeRequest
from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.audit import REDACTED, AuditTrail

GROUP = "/kojan-map/ops-audit"
OWNER = "oncall@laptop"


def record(trail: AuditTrail, n: int, day: int = 29) -> dict:
    return trail.record("rollback", "c/s", f"step {n}", None, {"n": n}, now=datetime(2026, 11, day, 23, 59, n % 60, tzinfo=UTC))


def sent(fake: FakeGateway) -> list[tuple[str, int]]:
    return [(stream, json.loads(m)["details"]["n"]) for (_, stream), events in fake.put_events.items() for _, m in events]


async def test_offer_returns_at_once_while_aws_is_slow_and_records_go_out_in_order(tmp_path):
    fake = FakeGateway()
    fake.delays["put_log_events"] = 0.05
    trail = AuditTrail(tmp_path / "audit.jsonl")
    copy = AuditCopy(fake, GROUP, trail, owner=OWNER)
    for n in range(30):
        copy.offer(record(trail, n))  # synchronous: nothing here awaits AWS
    assert fake.calls["put_log_events"] == 0
    await copy.drain()
    assert [n for _, n in sent(fake)] == list(range(30)) and copy.sent == 30
    assert fake.calls["put_log_events"] == 1  # queued before the sender ran: one batch


async def test_a_full_queue_drops_the_oldest_and_counts_them_warning_once(tmp_path):
    fake = FakeGateway()
    fake.delays["put_log_events"] = 0.05
    trail = AuditTrail(tmp_path / "audit.jsonl")
    warnings: list[str] = []
    copy = AuditCopy(fake, GROUP, trail, owner=OWNER, on_warning=warnings.append, max_queued=5)
    copy.offer(record(trail, 0))
    await asyncio.sleep(0)  # the sender takes record 0 and waits on AWS
    for n in range(1, 11):
        copy.offer(record(trail, n))
    await copy.drain()
    assert [n for _, n in sent(fake)] == [0, 6, 7, 8, 9, 10]  # 1-5 dropped, the newest kept, in order
    assert copy.dropped == 5 and len(warnings) == 1 and "dropped" in warnings[0]
    notes = [e for e in trail.entries() if e["action"] == COPY_ACTION]
    assert [n["outcome"] for n in notes] == ["dropped"]
    assert "5 dropped" in copy.status


async def test_records_of_two_utc_days_go_to_two_streams_in_order(tmp_path):
    fake = FakeGateway()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    copy = AuditCopy(fake, GROUP, trail, owner=OWNER)
    fake.delays["put_log_events"] = 0.01
    for n, day in ((1, 28), (2, 28), (3, 29), (4, 29)):
        copy.offer(record(trail, n, day))
    await copy.drain()
    assert sent(fake) == [
        (f"kojan-tui/{OWNER}/2026-11-28", 1),
        (f"kojan-tui/{OWNER}/2026-11-28", 2),
        (f"kojan-tui/{OWNER}/2026-11-29", 3),
        (f"kojan-tui/{OWNER}/2026-11-29", 4),
    ]


async def test_secret_looking_details_are_redacted_before_the_copy(tmp_path):
    fake = FakeGateway()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    copy = AuditCopy(fake, GROUP, trail, owner=OWNER)
    actions = AuditedActions(fake, trail, copy=copy)
    await actions.record(ParameterChangeRequest("pg", "slow_query_log", "1"), "requested", db_password="hunter2")
    await copy.drain()
    ((_, message),) = fake.put_events[(GROUP, stream_name(trail.entries()[0], OWNER))]
    assert "hunter2" not in message and json.loads(message)["details"]["db_password"] == REDACTED


async def test_a_bug_in_the_gateway_is_contained_and_reported(tmp_path):
    fake = FakeGateway()
    fake.failures["put_log_events"] = RuntimeError("boom")
    trail = AuditTrail(tmp_path / "audit.jsonl")
    warnings: list[str] = []
    copy = AuditCopy(fake, GROUP, trail, owner=OWNER, on_warning=warnings.append)
    copy.offer(record(trail, 1))
    await copy.drain()
    assert copy.unsent == 1 and "RuntimeError: boom" in warnings[0]


async def test_close_gives_up_on_a_dead_endpoint_quickly(tmp_path, monkeypatch):
    from kojan_tui.actions import audit_copy

    monkeypatch.setattr(audit_copy, "CLOSE_WAIT_S", 0.05)
    fake = FakeGateway()
    fake.delays["put_log_events"] = 3600
    trail = AuditTrail(tmp_path / "audit.jsonl")
    copy = AuditCopy(fake, GROUP, trail, owner=OWNER)
    copy.offer(record(trail, 1))
    await asyncio.sleep(0)
    await copy.close()
    assert copy._task is not None and copy._task.done() and copy.sent == 0


def test_the_stream_name_is_a_valid_log_stream_name():
    assert stream_name({"ts": "2026-11-29T03:00:00.000+00:00"}, "me@host:1*") == "kojan-tui/me@host_1_/2026-11-29"
    assert "@" in default_owner()


async def test_a_batch_stays_within_the_request_size_limit(tmp_path, monkeypatch):
    from kojan_tui.actions import audit_copy

    monkeypatch.setattr(audit_copy, "MAX_BATCH_BYTES", 1000)
    fake = FakeGateway()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    copy = AuditCopy(fake, GROUP, trail, owner=OWNER)
    for n in range(6):
        copy.offer(trail.record("rollback", "c/s", "x", None, {"n": n, "pad": "p" * 300}))
    await copy.drain()
    assert [n for _, n in sent(fake)] == list(range(6)) and fake.calls["put_log_events"] == 3  # two ~450-byte records a put
