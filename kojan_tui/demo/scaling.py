"""Application Auto Scaling activities, which moto does not record: a handler and the simulated history."""

from __future__ import annotations

import json
import uuid
from typing import Any

from moto.applicationautoscaling import responses as aas_responses

from kojan_tui.demo.world import World

MAX_ACTIVITIES = 200
_world: World | None = None


def record_activity(world: World, desired: int, previous: int, at: float, *, reason: str = "") -> dict[str, Any]:
    """One completed "Setting desired count to N." activity, newest first in ``world.scaling_activities``."""
    service = world.config.service
    direction = "High" if desired > previous else "Low"
    alarm = f"TargetTracking-{world.scalable_resource_id}-Alarm{direction}-{uuid.UUID(int=world.rng.getrandbits(128))}"
    activity = {
        "ActivityId": str(uuid.UUID(int=world.rng.getrandbits(128))),
        "ServiceNamespace": "ecs",
        "ResourceId": world.scalable_resource_id,
        "ScalableDimension": "ecs:service:DesiredCount",
        "Description": f"Setting desired count to {desired}.",
        "Cause": reason or f"monitor alarm {alarm} in state ALARM triggered policy {service.name}-cpu-target-tracking",
        "StartTime": at,
        "EndTime": at + 41.5,
        "StatusCode": "Successful",
        "StatusMessage": f"Successfully set desired count to {desired}. Change successfully fulfilled by ecs.",
    }
    with world.lock:
        world.scaling_activities = [activity, *world.scaling_activities][:MAX_ACTIVITIES]
    return activity


def seed_history(world: World, now: float) -> None:
    """A morning peak yesterday and today: out to 3, back in to 2."""
    for hours_ago, desired, previous in ((27.5, 3, 2), (25.0, 2, 3), (4.5, 3, 2), (2.0, 2, 3)):
        record_activity(world, desired, previous, now - hours_ago * 3600)
    world.scaling_activities.sort(key=lambda a: a["StartTime"], reverse=True)


def describe_scaling_activities(self: Any) -> str:
    namespace = self._get_param("ServiceNamespace")
    resource_id = self._get_param("ResourceId")
    dimension = self._get_param("ScalableDimension")
    max_results = int(self._get_param("MaxResults") or 50)
    start = int(self._get_param("NextToken") or 0)
    activities = [
        a
        for a in (_world.scaling_activities if _world else [])
        if a["ServiceNamespace"] == namespace
        and (not resource_id or a["ResourceId"] == resource_id)
        and (not dimension or a["ScalableDimension"] == dimension)
    ]
    page = activities[start : start + max_results]
    body: dict[str, Any] = {"ScalingActivities": page}
    if start + max_results < len(activities):
        body["NextToken"] = str(start + max_results)
    return json.dumps(body)


def apply(world: World) -> None:
    global _world
    _world = world
    aas_responses.ApplicationAutoScalingResponse.describe_scaling_activities = describe_scaling_activities
