"""Application Auto Scaling: the service's scaling activities (S16)."""

from __future__ import annotations

from kojan_tui.aws import convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.models import ScalingActivity


class AutoscalingCalls(AwsBase):
    async def describe_scaling_activities(self, resource_id: str, *, max_results: int = 5) -> list[ScalingActivity]:
        raw = await self._call(
            "application-autoscaling",
            "DescribeScalingActivities",
            ServiceNamespace="ecs",
            ResourceId=resource_id,
            ScalableDimension="ecs:service:DesiredCount",
            MaxResults=max_results,
        )
        return [convert.scaling_activity(a) for a in (raw.get("ScalingActivities") or [])[:max_results]]
