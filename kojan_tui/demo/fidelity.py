"""Apply every fidelity patch to moto, in the server process only (the app still asks AWS the real way)."""

from __future__ import annotations

from kojan_tui.demo import (
    cloudwatch_patch,
    ecs_listing,
    ecs_rollout,
    logs_patch,
    scaling,
)
from kojan_tui.demo.world import World


def apply_all(world: World) -> None:
    cloudwatch_patch.apply()  # percentiles, an indexed metric store
    logs_patch.apply()  # interleaved paged FilterLogEvents, Logs Insights
    ecs_rollout.apply(world)  # deployments that roll out
    ecs_listing.apply()  # ListTaskDefinitions prefix and sort
    scaling.apply(world)  # DescribeScalingActivities
