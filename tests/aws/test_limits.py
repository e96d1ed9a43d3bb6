"""Client-side request limits: each operation's requests are spaced 1/rate apart, whoever sends them."""

from __future__ import annotations

import asyncio

from kojan_tui.aws.limits import AWS_QUOTAS, LOG_OPERATIONS, RequestLimits, limit_for


def test_every_limit_is_below_the_aws_quota_and_the_log_reads_take_the_configured_share():
    for operation, quota in AWS_QUOTAS.items():
        assert limit_for(operation, 2.0) < quota, operation
    assert limit_for("FilterLogEvents", 2.0) == 2.0
    assert limit_for("FilterLogEvents", 9.0) == 5.0  # never above AWS's own quota
    assert limit_for("GetMetricData", 2.0) == 25.0
    assert limit_for("DescribeImages", 2.0) > 0
    assert limit_for("StartLiveTail", 9.0) == 0.5  # one session per app: reconnects at most every 2 s
    assert "FilterLogEvents" in LOG_OPERATIONS


async def test_concurrent_requests_wait_for_their_slot_and_no_second_holds_more_than_the_rate():
    limits = RequestLimits(log_requests_per_second=4.0)
    loop = asyncio.get_running_loop()
    sent: list[float] = []

    async def send() -> None:
        await limits.before_send(event_name="before-send.logs.FilterLogEvents")
        sent.append(loop.time())

    other = asyncio.create_task(limits.before_send(event_name="before-send.monitoring.GetMetricData"))
    await asyncio.gather(*(send() for _ in range(9)))
    await other
    gaps = [b - a for a, b in zip(sent, sent[1:])]
    assert min(gaps) >= 0.25 - 0.01, gaps  # 4/s, no burst
    assert max(sum(1 for t in sent if start <= t < start + 1.0) for start in sent) <= 4
    assert limits.stats.waits["FilterLogEvents"] == 8  # all but the first waited ...
    assert limits.stats.waits["GetMetricData"] == 0  # ... and another operation's limit is its own
    assert limits.waiting["FilterLogEvents"] == 0
