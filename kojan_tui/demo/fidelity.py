"""Apply every fidelity patch to moto, in the server process only (the app still asks AWS the real way)."""

from __future__ import annotations

from moto.core import model_instances
from moto.core.common_models import BaseModel

from kojan_tui.demo import (
    cloudwatch_patch,
    ecr_scans,
    ecs_listing,
    ecs_rollout,
    ecs_tasks,
    live_tail,
    log_export,
    logs_patch,
    rds_maintenance,
    scaling,
    secrets_state,
    world_clock,
)
from kojan_tui.demo.world import World


def stop_tracking_model_instances() -> None:
    """moto keeps a strong reference to every model object ever made (for its /moto-api dashboard), so
    pruned log events, replaced tasks and copies would never be freed: a days-long demo must not grow."""

    def untracked_new(cls: type, *args: object, **kwargs: object) -> object:
        return object.__new__(cls)

    BaseModel.__new__ = untracked_new  # type: ignore[method-assign,assignment]
    for models in model_instances.model_data.values():
        for model in models.values():
            model.instances_tracked = []  # type: ignore[attr-defined]


def apply_all(world: World) -> None:
    world_clock.install(world.clock)  # one time for moto and every patch: the world's
    stop_tracking_model_instances()  # bounded memory
    cloudwatch_patch.apply()  # percentiles, an indexed metric store
    logs_patch.apply()  # interleaved paged FilterLogEvents, Logs Insights
    live_tail.apply()  # StartLiveTail that streams (after logs_patch: it wraps its put)
    ecs_rollout.apply(world)  # deployments that roll out
    ecs_listing.apply()  # ListTaskDefinitions prefix and sort
    ecs_tasks.apply()  # ListTasks: RUNNING by default, serviceName honoured
    scaling.apply(world)  # DescribeScalingActivities
    ecr_scans.apply(world)  # per-image scan findings by tag or digest
    secrets_state.apply()  # LastAccessedDate
    rds_maintenance.apply(world)  # DescribePendingMaintenanceActions
    log_export.apply(world)  # export tasks that run for a few ticks
