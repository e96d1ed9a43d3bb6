"""Issue 26: one fleet refresh against the embedded AWS with 1, 5, 20 and 50 simulated services — the HTTP
requests it sends (counted by the gateway at botocore's before-send, retries included) and how long it takes.

The services are seeded into a running embedded AWS (``kojan-tui --demo``'s server) over HTTP with boto3:
each its own ECS service, target group and database, ten services per cluster, one minute of ALB and ECS
datapoints each. ``python -m benchmarks fleet [--refreshes 5]``
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config
from kojan_tui.core.fleet_config import FleetSettings
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET, EmbeddedAws
from kojan_tui.sources.fleet import FleetSource
from tests.fleet.builders import member

SIZES = (1, 5, 20, 50)
PER_CLUSTER = 10


def fleet_of(count: int) -> Config:
    clusters = math.ceil(max(SIZES) / PER_CLUSTER)
    members = tuple(
        replace(m, service=replace(m.service, cluster=f"bench-cluster-{i // PER_CLUSTER}"))
        for i, m in ((i, member(i, clusters=clusters)) for i in range(count))
    )
    return Config(service=members[0].service, fleet=FleetSettings(members))


def seed(endpoint: str, config: Config) -> None:
    import boto3

    def client(name: str):
        return boto3.client(
            name, endpoint_url=endpoint, region_name=config.aws.region,
            aws_access_key_id=DUMMY_KEY_ID, aws_secret_access_key=DUMMY_SECRET,
        )  # fmt: skip

    ecs, cw, rds = client("ecs"), client("cloudwatch"), client("rds")
    ecs.register_task_definition(family="bench", containerDefinitions=[{"name": "app", "image": "app:1", "memory": 256}])
    for cluster in sorted({m.service.cluster for m in config.fleet.services}):
        ecs.create_cluster(clusterName=cluster)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    for m in config.fleet.services:
        s = m.service
        ecs.create_service(cluster=s.cluster, serviceName=s.name, taskDefinition="bench:1", desiredCount=0)
        rds.create_db_instance(
            DBInstanceIdentifier=s.db_instance, DBInstanceClass="db.t3.medium", Engine="mysql", AllocatedStorage=20,
            MasterUsername="admin", MasterUserPassword="not-a-real-password",
        )  # fmt: skip
        alb = [{"Name": "TargetGroup", "Value": s.target_group}, {"Name": "LoadBalancer", "Value": s.load_balancer}]
        ecs_dims = [{"Name": "ClusterName", "Value": s.cluster}, {"Name": "ServiceName", "Value": s.name}]
        stamps = [now - timedelta(minutes=k) for k in (3, 2, 1)]
        cw.put_metric_data(
            Namespace="AWS/ApplicationELB",
            MetricData=[{"MetricName": "RequestCount", "Dimensions": alb, "Timestamp": t, "Value": 100.0} for t in stamps],
        )
        cw.put_metric_data(
            Namespace="AWS/ECS",
            MetricData=[{"MetricName": "CPUUtilization", "Dimensions": ecs_dims, "Timestamp": t, "Value": 30.0} for t in stamps],
        )


async def refreshes(endpoint: str, config: Config, count: int) -> tuple[list[float], list[int], dict[str, int]]:
    aws = replace(config.aws, endpoint_url=endpoint, profile=None)
    gateway = AwsGateway(aws, static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET))
    source = FleetSource(gateway, replace(config, aws=aws), clock=lambda: datetime.now(UTC))
    times, requests, by_op = [], [], {}
    try:
        source.deliver(await source.poll())  # the clients open once, as in the app
        for _ in range(count):
            before = dict(gateway.requests)
            started = time.perf_counter()
            answers = await source.poll()
            source.deliver(answers)
            times.append(time.perf_counter() - started)
            by_op = {op: n - before.get(op, 0) for op, n in gateway.requests.items() if n - before.get(op, 0)}
            requests.append(sum(by_op.values()))
            if answers.failures:
                raise RuntimeError(f"a part of the refresh failed: {answers.failures}")
            missing = [r.member.key for r in source.rows if r.verdict_text.startswith("NO DATA")]
            if missing:
                raise RuntimeError(f"services not found in their batch: {missing}")
    finally:
        await gateway.close()
    return times, requests, by_op


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refreshes", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print("fleet refresh against the embedded AWS (kojan-tui --demo's server), services seeded over HTTP:")
    with EmbeddedAws("healthy", Config()) as demo:
        seed(demo.endpoint_url, fleet_of(max(SIZES)))
        for size in SIZES:
            config = fleet_of(size)
            clusters = len({m.service.cluster for m in config.fleet.services})
            times, requests, by_op = asyncio.run(refreshes(demo.endpoint_url, config, args.refreshes))
            queries = sum(len(b) for b in FleetSource(None, config, clock=lambda: None).plan.batches())  # type: ignore[arg-type]
            ops = ", ".join(f"{op} {n}" for op, n in sorted(by_op.items()))
            print(
                f"  {size:>3} services, {clusters} cluster(s), {queries} metric queries: {statistics.median(requests):.0f}"
                f" requests per refresh ({ops}); refresh median {statistics.median(times):.2f} s, max {max(times):.2f} s"
                f" ({len(times)} refreshes)"
            )


if __name__ == "__main__":
    main()
