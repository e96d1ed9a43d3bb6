"""Issue 26: the demo fleet (``kojan-tui --demo --fleet``) — the simulated kojan-map-business in production (every
screen at full fidelity, in the scenario chosen with ``--scenario``) and sidekick services beside it, each with
a scenario of its own: staging's business backend in ``bad-deploy`` while production is healthy.

A sidekick is simpler than the simulated service: an ECS service steady on two tasks, its database, its log
group, and one minute of ALB/ECS/RDS datapoints per tick shaped by its scenario (what the fleet screen reads).
Its dashboard shows those; its logs, tasks and security checks are not simulated.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from kojan_tui.core.config import Config, ServiceSettings
from kojan_tui.core.fleet_config import FleetService, FleetSettings

GIB = 1024**3
ALLOCATED_GIB = 20
BACKFILL_MINUTES = 20


@dataclass(frozen=True)
class Sidekick:
    environment: str
    name: str
    cluster: str
    scenario: str  # healthy | bad-deploy

    @property
    def key(self) -> str:
        return f"{self.environment}/{self.name}"

    def settings(self) -> ServiceSettings:
        slug = f"{self.name}-{self.environment}"
        return ServiceSettings(
            cluster=self.cluster,
            name=self.name,
            task_family=slug,
            log_group=f"/ecs/{slug}",
            load_balancer=f"app/{self.cluster}-alb/{zlib.crc32(self.cluster.encode()):016x}",
            target_group=f"targetgroup/{slug}/{zlib.crc32(slug.encode()):016x}",
            db_instance=f"{slug}-db",
            ecr_repository=f"kojan-map/{self.name.removeprefix('kojan-map-')}",
            secret_prefix=f"/{self.cluster}/{self.name}/",
        )


SIDEKICKS = (
    Sidekick("production", "kojan-map-auth", "kojan-map-production", "healthy"),
    Sidekick("staging", "kojan-map-business", "kojan-map-staging", "bad-deploy"),
    Sidekick("staging", "kojan-map-auth", "kojan-map-staging", "healthy"),
)


def demo_fleet_config(config: Config) -> Config:
    """``config`` (the simulated service first, in production) with the sidekicks as its fleet."""
    first = FleetService("production", config.service, config.thresholds)
    members = (first, *(FleetService(s.environment, s.settings(), config.thresholds) for s in SIDEKICKS))
    return replace(config, fleet=FleetSettings(members))


def sidekicks_of(config: Config) -> list[tuple[Sidekick, ServiceSettings]]:
    """The sidekicks a config's fleet names (the server seeds exactly these)."""
    known = {s.key: s for s in SIDEKICKS}
    return [
        (known[m.key], m.service)
        for m in config.fleet.services
        if m.key in known and (m.service.cluster, m.service.name) != (config.service.cluster, config.service.name)
    ]


def values(scenario: str) -> dict[str, float]:
    """One minute of a sidekick's series: healthy, or a bad deploy (12 % 5XX, p99 1.4 s)."""
    bad = scenario == "bad-deploy"
    return {
        "requests": 900.0,
        "errors": 108.0 if bad else 1.0,
        "p99_s": 1.4 if bad else 0.16,
        "cpu": 48.0 if bad else 24.0,
        "memory": 61.0 if bad else 44.0,
        "rds_cpu": 18.0,
        "free_bytes": 0.6 * ALLOCATED_GIB * GIB,
    }


class SidekickFleet:
    """Seeds the sidekicks into the embedded AWS and publishes their datapoints every ``tick_seconds``."""

    def __init__(
        self, endpoint: str, config: Config, clients: dict[str, Any], ecs_backend: Any, *, tick_seconds: float, now
    ) -> None:
        self.endpoint = endpoint
        self.ecs_backend = ecs_backend  # moto's, to make a sidekick's service steady
        self.members = sidekicks_of(config)
        self.c = clients
        self.tick_seconds = tick_seconds
        self.now = now  # epoch seconds of the world
        self.stop_event = threading.Event()
        self._thread: threading.Thread | None = None

    def seed(self) -> None:
        ecs, rds, logs = self.c["ecs"], self.c["rds"], self.c["logs"]
        clusters = {s.cluster for _, s in self.members}
        existing = set(ecs.list_clusters().get("clusterArns", []))
        for cluster in sorted(clusters):
            if not any(arn.endswith(f"/{cluster}") for arn in existing):
                ecs.create_cluster(clusterName=cluster)
        for _sidekick, s in self.members:
            ecs.register_task_definition(
                family=s.task_family, containerDefinitions=[{"name": "app", "image": f"{s.ecr_repository}:v7", "memory": 512}]
            )
            ecs.create_service(cluster=s.cluster, serviceName=s.name, taskDefinition=s.task_family, desiredCount=2)
            rds.create_db_instance(
                DBInstanceIdentifier=s.db_instance, DBInstanceClass="db.t3.medium", Engine="mysql",
                AllocatedStorage=ALLOCATED_GIB, MasterUsername="admin", MasterUserPassword="not-a-real-password",
            )  # fmt: skip
            logs.create_log_group(logGroupName=s.log_group)
            _steady(self.ecs_backend, s)
        now = self.now()
        for minute in range(BACKFILL_MINUTES, 0, -1):
            self.publish(now - 60 * minute)

    def publish(self, at: float) -> None:
        ts = datetime.fromtimestamp(at, UTC).replace(second=0, microsecond=0)
        for sidekick, s in self.members:
            v = values(sidekick.scenario)
            alb = [{"Name": "TargetGroup", "Value": s.target_group}, {"Name": "LoadBalancer", "Value": s.load_balancer}]
            ecs = [{"Name": "ClusterName", "Value": s.cluster}, {"Name": "ServiceName", "Value": s.name}]
            rds = [{"Name": "DBInstanceIdentifier", "Value": s.db_instance}]

            def point(name: str, dims: list, value: float) -> dict:
                return {"MetricName": name, "Dimensions": dims, "Timestamp": ts, "Value": value}

            cw = self.c["cloudwatch"]
            cw.put_metric_data(
                Namespace="AWS/ApplicationELB",
                MetricData=[
                    point("RequestCount", alb, v["requests"]),
                    point("HTTPCode_Target_5XX_Count", alb, v["errors"]),
                    point("TargetResponseTime", alb, v["p99_s"]),
                    point("HealthyHostCount", alb, 2.0),
                    point("UnHealthyHostCount", alb, 0.0),
                ],
            )
            cw.put_metric_data(
                Namespace="AWS/ECS",
                MetricData=[point("CPUUtilization", ecs, v["cpu"]), point("MemoryUtilization", ecs, v["memory"])],
            )
            cw.put_metric_data(
                Namespace="AWS/RDS",
                MetricData=[point("CPUUtilization", rds, v["rds_cpu"]), point("FreeStorageSpace", rds, v["free_bytes"])],
            )

    def start(self) -> None:
        def run() -> None:
            last = 0.0
            while not self.stop_event.wait(self.tick_seconds):
                now = self.now()
                if now - last >= 60 or int(now // 60) != int(last // 60):
                    self.publish(now)
                    last = now

        self._thread = threading.Thread(target=run, name="kojan-demo-fleet", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.stop_event.set()


def _steady(backend: Any, s: ServiceSettings) -> None:
    """moto starts no task: the sidekick's service is made steady on its two tasks, its rollout COMPLETED."""
    service = backend.services.get(f"{s.cluster}:{s.name}")
    if service is None:
        return
    service.running_count, service.pending_count = service.desired_count, 0
    for deployment in service.deployments:
        deployment["runningCount"], deployment["pendingCount"] = service.desired_count, 0
        deployment["rolloutState"] = "COMPLETED"
        deployment["rolloutStateReason"] = "ECS deployment completed."


def backfill_span() -> timedelta:
    return timedelta(minutes=BACKFILL_MINUTES)
