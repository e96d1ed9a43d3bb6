"""The product's own gateway (aiobotocore over HTTP) against the embedded AWS: what the app will see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import AwsSettings, ServiceSettings
from kojan_tui.core.metrics_catalog import ALB_5XX, ELB_5XX, P99_LATENCY, s03_queries
from kojan_tui.core.windows import WINDOWS
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from tests.demo.helpers import client

SERVICE = ServiceSettings()
S05 = "fields @timestamp, @message | filter @message like /ERROR/ | stats count() by @message"


def gateway(aws, tmp_path) -> AwsGateway:
    settings = AwsSettings(endpoint_url=aws.endpoint_url, max_attempts=2)
    return AwsGateway(settings, static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET))


async def test_the_dashboard_calls_answer_with_live_data(demo_world, tmp_path):
    gw = gateway(demo_world, tmp_path)
    try:
        snapshot = await gw.describe_service(SERVICE.cluster, SERVICE.name)
        assert (snapshot.running, snapshot.desired) == (2, 2) and snapshot.primary.rollout_state == "COMPLETED"
        assert snapshot.task_definition.endswith(":3") and snapshot.task_definition.startswith("arn:aws:ecs:")
        window = WINDOWS["1h"]
        end = datetime.now(UTC)
        series = await gw.get_metric_data(s03_queries(SERVICE, window.period), end - timedelta(seconds=window.seconds), end)
        five_xx = {ALB_5XX, ELB_5XX}  # like ALB, the demo publishes no datapoint for a zero count: none when healthy
        assert all(len(s.values) >= 59 for key, s in series.items() if key not in five_xx)
        assert all(series[key].values == () for key in five_xx)
        assert 0 < series[P99_LATENCY].latest < 1.0
        revisions = await gw.list_task_definitions(SERVICE.task_family)
        assert [r.rsplit(":", 1)[1] for r in revisions] == ["3", "2"]  # ACTIVE only: revision 1 is deregistered
        activities = await gw.describe_scaling_activities(f"service/{SERVICE.cluster}/{SERVICE.name}")
        assert len(activities) == 4 and activities[0].status == "Successful"
        db = await gw.describe_db_instance(SERVICE.db_instance)
        assert (db.engine, db.allocated_storage_gib, db.status) == ("mysql", 100, "available")
    finally:
        await gw.close()


async def test_insights_and_a_rollback_through_the_gateway(demo_world, tmp_path):
    gw = gateway(demo_world, tmp_path)
    try:
        demo_world.set_scenario("bad-deploy")
        end = datetime.now(UTC) + timedelta(seconds=2)
        result = await gw.run_insights_query(SERVICE.log_group, S05, start=end - timedelta(hours=1), end=end, timeout_s=10)
        assert result.status == "Complete"
        snapshot = await gw.update_service(SERVICE.cluster, SERVICE.name, task_definition=f"{SERVICE.task_family}:2")
        assert snapshot.primary.task_definition.endswith(":2") and snapshot.primary.rollout_state == "IN_PROGRESS"
        assert [d.status for d in snapshot.deployments] == ["PRIMARY", "ACTIVE"]
    finally:
        await gw.close()
    stop = client(demo_world, "logs")
    query_id = stop.start_query(logGroupName=SERVICE.log_group, startTime=0, endTime=1, queryString="stats count()")["queryId"]
    assert stop.stop_query(queryId=query_id)["success"] is False  # it already completed
