"""Fake CloudWatch metrics: series by query id, and every batch asked for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.models import MetricQuery, MetricSeries


class FakeMetrics(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.metrics: dict[str, MetricSeries] = {}
        self.metric_calls: list[tuple[MetricQuery, ...]] = []

    async def get_metric_data(self, queries: Sequence[MetricQuery], start: datetime, end: datetime) -> dict[str, MetricSeries]:
        await self._enter("get_metric_data")
        self.metric_calls.append(tuple(queries))
        empty = lambda q: MetricSeries(id=q.id, label=q.label or q.metric, timestamps=(), values=())  # noqa: E731
        return {q.id: self.metrics.get(q.id, empty(q)) for q in queries}
