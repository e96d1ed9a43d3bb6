"""The embedded AWS's one clock: ``advance`` moves the world's time on, ticking through the span (minute windows
fill, rollouts move, every date the world keeps is simulated time), and a reset puts it back on the wall clock."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from kojan_tui.core.metrics_catalog import s03_queries
from kojan_tui.demo.embedded import EmbeddedAwsError
from tests.demo.helpers import SERVICE, client, ticks, utcnow

MINUTE = timedelta(minutes=1)


def request_counts(aws, start, end) -> dict:
    """RequestCount per minute (the dashboard's own query) between two times of the world."""
    query = next(q for q in s03_queries(SERVICE, 60) if q.metric == "RequestCount")
    metric = {
        "Namespace": query.namespace,
        "MetricName": query.metric,
        "Dimensions": [{"Name": n, "Value": v} for n, v in query.dimensions],
    }
    result = client(aws, "cloudwatch").get_metric_data(
        MetricDataQueries=[{"Id": "r", "MetricStat": {"Metric": metric, "Period": 60, "Stat": query.stat}}],
        StartTime=start,
        EndTime=end,
    )["MetricDataResults"][0]
    return dict(zip(result["Timestamps"], result["Values"]))


def test_advance_moves_the_worlds_clock_and_fills_every_minute_of_the_span(demo_world):
    before, ticks_before = demo_world.clock(), ticks(demo_world)
    demo_world.advance(300)
    now = demo_world.clock()
    assert now - utcnow() >= timedelta(seconds=299)  # the app's copy of the world's clock is 5 minutes ahead
    status = demo_world.status()
    assert status["clock_offset_seconds"] == pytest.approx(300)
    assert ticks(demo_world) - ticks_before >= 300 / demo_world.tick_seconds  # every tick of the span was done
    start = (before + MINUTE).replace(second=0, microsecond=0)
    counts = request_counts(demo_world, start, now)
    minutes = sorted(t.astimezone(UTC).replace(tzinfo=None) for t in counts)  # boto3 answers in local time
    expected = [(start + k * MINUTE).replace(tzinfo=None) for k in range(int((now - start) / MINUTE) + 1)]
    assert minutes == expected, "a minute of the advanced span has no RequestCount datapoint"
    assert all(v > 0 for v in counts.values())


def test_the_worlds_dates_are_simulated_time_log_events_ingestion_and_service_events(demo_world):
    demo_world.advance(600)
    now_ms = int(demo_world.clock().timestamp() * 1000)
    logs = client(demo_world, "logs")
    events = logs.filter_log_events(logGroupName=SERVICE.log_group, startTime=now_ms - 30_000, endTime=now_ms)["events"]
    assert events, "no log line in the last 30 s of the world's time"
    assert all(now_ms - 30_000 <= e["timestamp"] <= now_ms for e in events)
    assert all(e["ingestionTime"] >= now_ms - 30_000 for e in events)  # moto's own clock is the world's too
    ecs = client(demo_world, "ecs")
    ecs.update_service(cluster=SERVICE.cluster, service=SERVICE.name, forceNewDeployment=True)
    demo_world.advance(60)
    service = ecs.describe_services(cluster=SERVICE.cluster, services=[SERVICE.name])["services"][0]
    assert [d["rolloutState"] for d in service["deployments"]] == ["COMPLETED"]  # the rollout happened in the span
    newest = service["events"][0]
    assert "steady state" in newest["message"]
    assert newest["createdAt"].timestamp() * 1000 > now_ms  # dated in the advanced span, not by the wall clock


def test_a_reset_puts_the_world_back_on_the_wall_clock(demo_world):
    demo_world.advance(900)
    demo_world.reset("healthy")
    assert demo_world.status()["clock_offset_seconds"] == 0
    assert abs((demo_world.clock() - utcnow()).total_seconds()) < 1
    counts = request_counts(demo_world, utcnow() - 10 * MINUTE, utcnow() + 30 * MINUTE)
    assert counts and max(counts) <= utcnow() + MINUTE  # the fresh history ends now, nothing left in the future


@pytest.mark.parametrize("seconds", [0, -5, "60", True, 7 * 3600])
def test_advance_refuses_what_is_not_a_positive_span_of_at_most_six_hours(demo_world, seconds):
    with pytest.raises(EmbeddedAwsError, match="400"):
        demo_world.advance(seconds)
    assert demo_world.status()["clock_offset_seconds"] == 0
