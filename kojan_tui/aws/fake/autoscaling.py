"""Fake Application Auto Scaling."""

from __future__ import annotations

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.models import ScalingActivity


class FakeAutoscaling(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scaling_activities: list[ScalingActivity] = []

    async def describe_scaling_activities(self, resource_id: str, *, max_results: int = 5) -> list[ScalingActivity]:
        await self._enter("describe_scaling_activities")
        return self.scaling_activities[:max_results]
