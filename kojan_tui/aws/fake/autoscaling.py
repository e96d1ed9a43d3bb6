"""Fake Application Auto Scaling."""

from __future__ import annotations

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.models import ScalingActivity
from kojan_tui.core.security_models import ScalableTarget, ScalingPolicy


class FakeAutoscaling(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scaling_activities: list[ScalingActivity] = []
        self.scalable_target: ScalableTarget | None = None
        self.scaling_policies: list[ScalingPolicy] = []

    async def describe_scalable_target(self, resource_id: str) -> ScalableTarget | None:
        await self._enter("describe_scalable_target")
        target = self.scalable_target
        return target if target is not None and target.resource_id == resource_id else None

    async def describe_scaling_policies(self, resource_id: str) -> list[ScalingPolicy]:
        await self._enter("describe_scaling_policies")
        return list(self.scaling_policies)

    async def describe_scaling_activities(self, resource_id: str, *, max_results: int = 5) -> list[ScalingActivity]:
        await self._enter("describe_scaling_activities")
        return self.scaling_activities[:max_results]
