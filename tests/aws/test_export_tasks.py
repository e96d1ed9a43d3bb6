"""The export-task calls (S27's log archive) behave the same on AwsGateway (the embedded AWS over HTTP) and
FakeGateway: create, describe, one active task at a time, a missing bucket refused, read-only refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.archive import archive_prefix, last_month
from kojan_tui.core.config import AwsSettings
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET

GROUP, BUCKET = "/ecs/kojan-map-business", "kojan-map-log-archive"


@pytest.fixture(params=["aws", "fake"])
async def gateway(request):
    if request.param == "aws":
        world = request.getfixturevalue("demo_world")
        gw = AwsGateway(
            AwsSettings(endpoint_url=world.endpoint_url, max_attempts=1), static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)
        )
    else:
        gw = FakeGateway()
    yield gw
    await gw.close()


def month_ms() -> tuple[int, int, str]:
    start, end = last_month(datetime.now(UTC))
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000) - 1, archive_prefix(GROUP, start)


async def test_create_then_describe(gateway):
    from_ms, to_ms, prefix = month_ms()
    task_id = await gateway.create_export_task(GROUP, bucket=BUCKET, prefix=prefix, from_ms=from_ms, to_ms=to_ms, task_name="t1")
    task = await gateway.describe_export_task(task_id)
    assert (task.id, task.log_group, task.destination, task.prefix) == (task_id, GROUP, BUCKET, prefix)
    assert (task.from_ms, task.to_ms) == (from_ms, to_ms)
    assert task.status in ("PENDING", "RUNNING", "COMPLETED")
    listed = await gateway.describe_export_tasks()
    assert task_id in [t.id for t in listed]
    start, end = last_month(datetime.now(UTC))
    assert task.covers(start, end)


async def test_one_active_export_at_a_time(gateway):
    from_ms, to_ms, prefix = month_ms()
    await gateway.create_export_task(GROUP, bucket=BUCKET, prefix=prefix, from_ms=from_ms, to_ms=to_ms, task_name="a")
    with pytest.raises(AwsFailure):
        await gateway.create_export_task(GROUP, bucket=BUCKET, prefix=prefix, from_ms=from_ms, to_ms=to_ms, task_name="b")


async def test_a_missing_bucket_is_refused(gateway):
    from_ms, to_ms, prefix = month_ms()
    with pytest.raises(AwsFailure) as refused:
        await gateway.create_export_task(
            GROUP, bucket="no-such-bucket", prefix=prefix, from_ms=from_ms, to_ms=to_ms, task_name="x"
        )
    assert refused.value.kind is FailureKind.INVALID_REQUEST


async def test_an_unknown_task_is_not_found(gateway):
    with pytest.raises(AwsFailure) as missing:
        await gateway.describe_export_task("00000000-0000-0000-0000-000000000000")
    assert missing.value.kind is FailureKind.NOT_FOUND


async def test_read_only_refuses_the_export(gateway):
    gateway.read_only = True
    from_ms, to_ms, prefix = month_ms()
    with pytest.raises(AwsFailure) as refused:
        await gateway.create_export_task(GROUP, bucket=BUCKET, prefix=prefix, from_ms=from_ms, to_ms=to_ms, task_name="ro")
    assert refused.value.kind is FailureKind.READ_ONLY
    assert await gateway.describe_export_tasks() == []


@pytest.mark.parametrize(
    ("now", "start", "end"),
    [
        (datetime(2026, 1, 15, 9, 30, tzinfo=UTC), datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)),
        (datetime(2026, 3, 1, 0, 0, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)),
        (datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)),
    ],
)
def test_last_month_is_the_utc_calendar_month_before(now, start, end):
    assert last_month(now) == (start, end)


def test_last_month_uses_utc_not_the_local_date():
    from datetime import timedelta, timezone

    tokyo = timezone(timedelta(hours=9))
    # 1 Dec 08:00 in Tokyo is still 30 Nov in UTC: last month is October
    assert last_month(datetime(2026, 12, 1, 8, 0, tzinfo=tokyo)) == (
        datetime(2026, 10, 1, tzinfo=UTC),
        datetime(2026, 11, 1, tzinfo=UTC),
    )
