"""Build, reset and measure the demo world: seed resources, settle the service, backfill history."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.ec2.models import ec2_backends
from moto.logs.models import logs_backends
from moto.rds.models import rds_backends

from kojan_tui.demo import (
    audit_log_group,
    cloudwatch_patch,
    ecr_scans,
    ecs_rollout,
    log_export,
    rds_maintenance,
    s3_objects,
    scaling,
    secrets_state,
    slowlog,
)
from kojan_tui.demo.scenarios import DEFAULT_SCENARIO
from kojan_tui.demo.seed import DB_PARAMETER_GROUP, DB_PARAMETERS, REVISIONS, seed_world
from kojan_tui.demo.world import SERVICE_AGE_SECONDS, World


def seed_details(world: World, now: float) -> None:
    """What moto's API cannot set, set (again) relative to ``now``: image dates and scans, secret history and
    rotation, pending maintenance, the DB parameters, recent ALB logs, no export tasks and an empty archive.
    The scenario's own changes (``follow_scenario``) come after the service is settled, so they win."""
    ecr_scans.seed(world, now)
    date_task_definitions(world, now)
    secrets_state.seed(world, now)
    rds_maintenance.seed(now)
    restore_db_parameters(world)
    log_export.forget_all(world)
    s3_objects.empty_log_archive(world)
    s3_objects.write_alb_logs(world, now)


def restore_db_parameters(world: World) -> None:
    """The parameter group holds exactly ``DB_PARAMETERS``: a value a test changed, or a parameter it added, is gone."""
    group = rds_backends[world.account_id][world.region].db_parameter_groups.get(DB_PARAMETER_GROUP)
    if group is not None:
        group.parameters.clear()
        group.update_parameters(
            [{"ParameterName": k, "ParameterValue": v, "ApplyMethod": "immediate"} for k, v in DB_PARAMETERS.items()]
        )


def seeded_log_groups(world: World) -> set[str]:
    service = world.config.service
    return {service.log_group, slowlog.log_group(service.db_instance), audit_log_group(world.config)}


def restore_log_groups(world: World) -> None:
    """Only the seeded log groups, emptied: a group a test created is deleted, the seeded ones lose their events."""
    groups = logs_backends[world.account_id][world.region].groups
    for name in set(groups) - seeded_log_groups(world):
        del groups[name]
    if (service_group := groups.get(world.config.service.log_group)) is not None:
        service_group.streams.clear()  # the settled tasks create their streams again
    if (audit := groups.get(audit_log_group(world.config))) is not None:
        audit.streams.clear()  # the copies of earlier audit records (a test reads back only its own)
    slow = groups.get(slowlog.log_group(world.config.service.db_instance))
    for stream in slow.streams.values() if slow is not None else ():
        stream.events = []


def date_task_definitions(world: World, now: float) -> None:
    """registeredAt (and deregisteredAt for the inactive ones) as ``REVISIONS`` says, not "at startup"."""
    revisions = ecs_rollout.ecs_backend(world).task_definitions.get(world.config.service.task_family, {})
    for arn, revision in zip(world.task_definitions, REVISIONS, strict=False):
        definition = next((td for td in revisions.values() if td.arn == arn), None)
        if definition is None:
            continue
        definition.registered_at = datetime.fromtimestamp(now - revision.registered_days_ago * 86400, UTC).replace(tzinfo=None)
        if not revision.active:
            definition.deregistered_at = definition.registered_at + timedelta(days=30)


def restore_task_definitions(world: World) -> None:
    """The family as seeded: a revision a test registered is forgotten (so the next one is numbered as on a
    fresh start) and a seeded one a test deregistered is ACTIVE again, as ``REVISIONS`` says."""
    family = ecs_rollout.ecs_backend(world).task_definitions.get(world.config.service.task_family, {})
    for number, definition in list(family.items()):
        if definition.arn not in world.task_definitions:
            del family[number]
    for definition in family.values():
        seeded = REVISIONS[world.task_definitions.index(definition.arn)]
        definition.status = "ACTIVE" if seeded.active else "INACTIVE"


_security_rules: dict[str, list[Any]] = {}  # seeded group id -> its ingress rules as seeded


def keep_security_rules(world: World, group_ids: list[str]) -> None:
    """Remember the seeded security groups' ingress rules, so a reset undoes a test that revoked one."""
    backend = ec2_backends[world.account_id][world.region]
    for group_id in group_ids:
        _security_rules[group_id] = list(backend.get_security_group_by_name_or_id(group_id).ingress_rules)


def restore_security_rules(world: World) -> None:
    backend = ec2_backends[world.account_id][world.region]
    for group_id, rules in _security_rules.items():
        if (group := backend.get_security_group_by_name_or_id(group_id)) is not None:
            group.ingress_rules = list(rules)


def follow_scenario(world: World) -> None:
    """What a scenario changes outside the simulator's tick: the JWT secret's length in ``auth-errors``; in a
    scenario whose newest revision misbehaves (``bad-deploy``), that revision is deployed now, so the errors start
    with its deployment (its marker on the charts) and switching to it again after a rollback re-arms it."""
    secrets_state.follow_scenario(world)
    if world.scenario.newest_revision_effects is not None:
        ecs_rollout.settle(world, ecs_rollout.latest_task_definition(world), when=world.now())


def build_world(world: World, simulator: Any, endpoint: str) -> None:
    """Seed every resource, start the service steady on the newest revision, backfill the charts."""
    ids = seed_world(endpoint, world.config)
    world.task_definitions = ids["task_definitions"]
    world.scalable_resource_id = ids["scalable_resource_id"]
    world.target_group_arn = ids["tg_arn"]
    keep_security_rules(world, [ids["alb_sg"], ids["ecs_sg"], ids["db_sg"]])
    now = world.now()
    seed_details(world, now)
    world.scenario_since = now  # the tasks that are up now were up before the scenario began
    scaling.seed_history(world, now)
    ecs_rollout.settle(world, world.task_definitions[-1], when=now - SERVICE_AGE_SECONDS)
    follow_scenario(world)  # started in bad-deploy: its revision is deployed now, not hours ago
    simulator.backfill(now)


def reset_world(world: World, simulator: Any, scenario: str = DEFAULT_SCENARIO) -> None:
    """Back to a known world: the scenario, the service steady on the newest revision, fresh history, the
    world's clock on the wall clock again (a test that advanced it leaves no time behind)."""
    with world.lock:
        world.clock.follow(0.0)  # back on the wall clock: everything dated below is dated again from now
        world.set_scenario(scenario)
        world.scenario_ticks = world.high_cpu_ticks = world.low_cpu_ticks = 0
        world.rds_used_percent = 58.0
        cloudwatch_patch.clear(cloudwatch_backends[world.account_id][world.region])
        restore_log_groups(world)
        world.failing_deployments.clear()
        service = ecs_rollout.world_service(world)
        service.events = []
        restore_task_definitions(world)
        now = world.now()
        world.scenario_since = now
        world.scaling_activities = []
        scaling.seed_history(world, now)
        seed_details(world, now)
        restore_security_rules(world)
        ecs_rollout.settle(world, ecs_rollout.latest_task_definition(world), when=now - SERVICE_AGE_SECONDS)
        follow_scenario(world)
        simulator.follow_db_status()  # at once: the next test must not find db-outage's reboot until a tick
        simulator.backfill(now)


def world_status(world: World, simulator: Any) -> dict[str, Any]:
    store = cloudwatch_patch.store_of(cloudwatch_backends[world.account_id][world.region])
    group = logs_backends[world.account_id][world.region].groups.get(world.config.service.log_group)
    return {
        "scenario": world.scenario_name,
        "tick_seconds": world.tick_seconds,
        "ticks": world.ticks,
        "clock_offset_seconds": world.clock.offset_seconds,  # how far tests advanced the world past the wall clock
        "tasks": len(world.tasks),
        "metric_datapoints": store.datapoint_count(),
        "log_events": sum(len(s.events) for s in group.streams.values()) if group else 0,
        "log_streams": len(group.streams) if group else 0,
        "max_rss_mib": max_rss_mib(),
    }


def max_rss_mib() -> int | None:
    """The server's peak resident memory (None where the platform cannot tell)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak // (1024 * 1024) if sys.platform == "darwin" else peak // 1024
