"""In bad-deploy the errors start with the bad deployment, so the dashboard's view points at the rollback (S26):
judged through the product's gateway on the embedded AWS's own datapoints, as a console opened now would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import AwsSettings, Config, ServiceSettings
from kojan_tui.core.dashboard import DashboardData, build_view
from kojan_tui.core.metrics_catalog import s03_queries
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from tests.demo.helpers import within_ticks_async
from tests.demo.test_scenarios import FIRST_MINUTE_TICKS, switch

SERVICE = ServiceSettings()


async def view_now(gateway: AwsGateway):
    end = datetime.now(UTC)
    service = await gateway.describe_service(SERVICE.cluster, SERVICE.name)
    metrics = await gateway.get_metric_data(s03_queries(SERVICE, 60), end - timedelta(hours=1), end)
    return build_view(DashboardData(service=service, metrics=metrics), Config(), now=end)


async def test_bad_deploy_points_at_its_own_deployment(demo_world):
    gateway = AwsGateway(
        AwsSettings(endpoint_url=demo_world.endpoint_url, max_attempts=2), static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)
    )
    try:
        healthy = await view_now(gateway)
        assert healthy.suspect is None  # nothing breached: nothing to point at
        switch(demo_world, "bad-deploy")

        async def suspect():
            return (await view_now(gateway)).suspect

        found = await within_ticks_async(demo_world, FIRST_MINUTE_TICKS * 2, suspect, "a breach after the deployment")
        assert found.revision == "kojan-map-business:3"
        assert "ALB 5XX rate" in found.metrics
    finally:
        await gateway.close()


def test_started_in_bad_deploy_its_revision_is_deployed_at_the_start_not_hours_before(demo_world):
    from tests.demo.helpers import client, utcnow

    started = utcnow() - timedelta(seconds=2)
    demo_world.reset("bad-deploy")  # what `--demo --scenario bad-deploy` builds
    service = client(demo_world, "ecs").describe_services(cluster=SERVICE.cluster, services=[SERVICE.name])["services"][0]
    assert service["taskDefinition"].endswith(":3")
    assert [d["createdAt"] >= started for d in service["deployments"]] == [True]  # the marker is where errors start
