"""Application Auto Scaling (S16): the service's scalable target, its policies and its scaling activities."""

from __future__ import annotations

from kojan_tui.aws import convert, convert_security
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.models import ScalingActivity
from kojan_tui.core.security_models import ScalableTarget, ScalingPolicy

ECS_DESIRED_COUNT = "ecs:service:DesiredCount"


class AutoscalingCalls(AwsBase):
    async def describe_scaling_activities(self, resource_id: str, *, max_results: int = 5) -> list[ScalingActivity]:
        raw = await self._call(
            "application-autoscaling",
            "DescribeScalingActivities",
            ServiceNamespace="ecs",
            ResourceId=resource_id,
            ScalableDimension=ECS_DESIRED_COUNT,
            MaxResults=max_results,
        )
        return [convert.scaling_activity(a) for a in (raw.get("ScalingActivities") or [])[:max_results]]

    async def describe_scalable_target(self, resource_id: str) -> ScalableTarget | None:
        """The service's DesiredCount target, or None when the service is not registered for scaling."""
        raw = await self._call(
            "application-autoscaling",
            "DescribeScalableTargets",
            ServiceNamespace="ecs",
            ResourceIds=[resource_id],
            ScalableDimension=ECS_DESIRED_COUNT,
        )
        targets = [t for t in raw.get("ScalableTargets", []) or [] if t.get("ResourceId") == resource_id]
        return convert_security.scalable_target(targets[0]) if targets else None

    async def describe_scaling_policies(self, resource_id: str) -> list[ScalingPolicy]:
        raw = await self._call(
            "application-autoscaling",
            "DescribeScalingPolicies",
            ServiceNamespace="ecs",
            ResourceId=resource_id,
            ScalableDimension=ECS_DESIRED_COUNT,
        )
        return [convert_security.scaling_policy(p) for p in raw.get("ScalingPolicies", []) or []]
