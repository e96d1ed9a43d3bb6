"""Issue 26 at the HTTP layer, against a real moto server: one fleet refresh costs requests per cluster, not per
service (counted from botocore's before-send, retries included), and every service gets its own answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.levels import Level
from kojan_tui.sources.fleet import FleetSource
from tests.fixtures.aws_seed import SeededAws, fast_settings
from tests.fleet.builders import fleet_config

DATABASES = 2  # moto takes ~0.3 s to create one: the services share them


def seed_fleet(aws: SeededAws, config, hot: str) -> None:
    """The fleet's clusters, services (desired 0: moto runs no task) and databases; the ALB requests and
    5XX of every service, ``hot``'s 5XX rate above its alert."""
    ecs, cw, rds = aws.client("ecs"), aws.client("cloudwatch"), aws.client("rds")
    for cluster in sorted({m.service.cluster for m in config.fleet.services}):
        ecs.create_cluster(clusterName=cluster)
    ecs.register_task_definition(family="svc", containerDefinitions=[{"name": "app", "image": "app:1", "memory": 256}])
    for db in sorted({m.service.db_instance for m in config.fleet.services}):
        rds.create_db_instance(
            DBInstanceIdentifier=db,
            DBInstanceClass="db.t3.medium",
            Engine="mysql",
            AllocatedStorage=20,
            MasterUsername="admin",
            MasterUserPassword="not-a-real-password",
        )
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    for m in config.fleet.services:
        ecs.create_service(cluster=m.service.cluster, serviceName=m.service.name, taskDefinition="svc:1", desiredCount=0)
        dims = [
            {"Name": "TargetGroup", "Value": m.service.target_group},
            {"Name": "LoadBalancer", "Value": m.service.load_balancer},
        ]
        errors = 50.0 if m.service.name == hot else 0.0
        cw.put_metric_data(
            Namespace="AWS/ApplicationELB",
            MetricData=[
                {"MetricName": metric, "Dimensions": dims, "Timestamp": now - timedelta(minutes=k), "Value": value}
                for k in (3, 2, 1)
                for metric, value in (("RequestCount", 100.0), ("HTTPCode_Target_5XX_Count", errors))
            ],
        )


async def one_refresh(aws: SeededAws, config) -> tuple[dict[str, int], FleetSource]:
    gateway = AwsGateway(fast_settings(aws.endpoint))
    try:
        source = FleetSource(gateway, config, clock=lambda: datetime.now(UTC))
        source.deliver(await source.poll())
        return dict(gateway.requests), source
    finally:
        await gateway.close()


@pytest.mark.parametrize("count", [1, 20])
async def test_a_fleet_refresh_costs_requests_per_cluster_not_per_service(moto_endpoint, count):
    aws = SeededAws(endpoint=moto_endpoint, settings=fast_settings(moto_endpoint))
    config = fleet_config(count, clusters=2, databases=DATABASES)
    hot = f"svc-{count - 1}"
    seed_fleet(aws, config, hot)

    requests, source = await one_refresh(aws, config)

    clusters = min(count, 2)
    assert requests == {"GetMetricData": 1, "DescribeServices": clusters, "DescribeDBInstances": 1}
    assert source.answers is not None and source.answers.failures == ()
    assert len(source.rows) == count
    first = source.rows[0]
    assert first.member.service.name == hot and first.level is Level.ALERT  # the service in ALERT sorts first
    rate = {r.member.service.name: dict((t, (lv, text)) for t, lv, text in r.levels)["5XX"] for r in source.rows}
    assert rate[hot][0] is Level.ALERT and rate[hot][1].startswith("50")
    assert all(rate[name][0] is Level.OK for name in rate if name != hot)  # each answer read back to its service
    assert all(r.verdict is not Level.UNKNOWN for r in source.rows)  # every service found in its batch
    assert {r.member.service.name for r in source.rows} == {f"svc-{i}" for i in range(count)}
