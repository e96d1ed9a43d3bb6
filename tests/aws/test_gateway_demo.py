"""AwsGateway against the embedded demo AWS: what moto lacks (p99, scaling activities, Insights stats) is asked
for the real way and answered over HTTP, with the demo's dummy credentials."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core import metrics_catalog as mc
from kojan_tui.core.config import Config

CONFIG = Config()
SERVICE = CONFIG.service


def demo_gateway(demo_world) -> AwsGateway:
    settings = replace(CONFIG.aws, endpoint_url=demo_world.endpoint_url, max_attempts=1)
    return AwsGateway(settings, static_credentials=("demo", "demo"))


async def test_all_s03_series_including_p99_in_one_request(demo_world):
    end = datetime.now(UTC)
    async with demo_gateway(demo_world) as gw:
        series = await gw.get_metric_data(mc.s03_queries(SERVICE, 60), end - timedelta(hours=1), end)
        assert gw.requests["GetMetricData"] == 1
    assert set(series) == {q.id for q in mc.s03_queries(SERVICE, 60)}
    p99 = series[mc.P99_LATENCY]
    assert p99.status == "Complete" and len(p99.values) >= 30
    assert 0 < p99.latest < 1.0  # seconds; healthy stays well under the 1000 ms alert
    assert series[mc.ALB_REQUESTS].latest > 0


async def test_service_is_healthy_and_scaling_activities_come_back(demo_world):
    async with demo_gateway(demo_world) as gw:
        snap = await gw.describe_service(SERVICE.cluster, SERVICE.name)
        activities = await gw.describe_scaling_activities(f"service/{SERVICE.cluster}/{SERVICE.name}", max_results=5)
    assert snap.running == snap.desired == 2 and snap.primary.rollout_state == "COMPLETED"
    assert 1 <= len(activities) <= 5
    assert all(a.activity_id and a.status for a in activities)


async def test_insights_stats_query_completes(demo_world):
    end = datetime.now(UTC)
    async with demo_gateway(demo_world) as gw:
        result = await gw.run_insights_query(
            SERVICE.log_group,
            "fields @timestamp, @message | filter @message like /ERROR/ | stats count() by @message",
            start=end - timedelta(hours=1),
            end=end,
            timeout_s=10,
        )  # the guide's S05 query, verbatim
    assert result.status == "Complete"
    assert result.records_scanned > 0
    assert all(set(row) == {"@message", "count()"} and "ERROR" in row["@message"] for row in result.rows)
