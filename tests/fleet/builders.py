"""Fleets of any size for the fleet tests and the benchmark: service i is ``svc-i`` in ``cluster-(i % clusters)``."""

from __future__ import annotations

from kojan_tui.core.config import Config, ServiceSettings
from kojan_tui.core.fleet_config import FleetService, FleetSettings
from kojan_tui.core.thresholds import Thresholds


def member(i: int, *, clusters: int = 2, databases: int | None = None, environment: str | None = None) -> FleetService:
    name = f"svc-{i}"
    service = ServiceSettings(
        cluster=f"cluster-{i % clusters}",
        name=name,
        task_family=name,
        log_group=f"/ecs/{name}",
        load_balancer=f"app/alb-{i % clusters}/{i % clusters:016x}",
        target_group=f"targetgroup/{name}/{i:016x}",
        db_instance=f"db-{i % databases if databases else i}",
        ecr_repository=f"kojan-map/{name}",
        secret_prefix=f"/kojan-map/{name}/",
    )
    return FleetService(environment or ("production" if i % 2 == 0 else "staging"), service, Thresholds())


def fleet_config(count: int, **kwargs) -> Config:
    members = tuple(member(i, **kwargs) for i in range(count))
    return Config(service=members[0].service, fleet=FleetSettings(members))
