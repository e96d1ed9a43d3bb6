"""CloudWatch metrics: every S03 series of a refresh in ONE GetMetricData request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kojan_tui.aws import convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import MetricQuery, MetricSeries

MAX_METRIC_QUERIES = 500  # GetMetricData's limit per request
MAX_METRIC_PAGES = 20


class MetricsCalls(AwsBase):
    async def get_metric_data(self, queries: Sequence[MetricQuery], start: datetime, end: datetime) -> dict[str, MetricSeries]:
        """All queries in ONE GetMetricData request (more requests only to follow NextToken pages)."""
        queries = list(queries)
        if not queries:
            return {}
        if len(queries) > MAX_METRIC_QUERIES or len({q.id for q in queries}) != len(queries):
            raise AwsFailure(
                FailureKind.INVALID_REQUEST,
                f"{len(queries)} queries: at most {MAX_METRIC_QUERIES}, ids unique",
                operation="GetMetricData",
            )
        points: dict[str, dict[datetime, float]] = {q.id: {} for q in queries}
        labels = {q.id: q.label or q.metric for q in queries}
        statuses = {q.id: "Complete" for q in queries}
        params = {
            "MetricDataQueries": [convert.metric_data_query(q) for q in queries],
            "StartTime": start,
            "EndTime": end,
            "ScanBy": "TimestampAscending",
        }
        token = None
        for _ in range(MAX_METRIC_PAGES):
            raw = await self._call("cloudwatch", "GetMetricData", **params, **({"NextToken": token} if token else {}))
            for result in raw.get("MetricDataResults", []) or []:
                qid = result.get("Id")
                if qid not in points:
                    continue
                for ts, value in zip(result.get("Timestamps", []) or [], result.get("Values", []) or []):
                    points[qid][convert.utc(ts)] = float(value)
                statuses[qid] = str(result.get("StatusCode") or "Complete")  # the newest page's word counts
            token = raw.get("NextToken")
            if not token:
                break
        else:  # stopped at the page limit with pages left: what we have is not the whole answer
            statuses = {qid: "PartialData" if status == "Complete" else status for qid, status in statuses.items()}
        series = {}
        for qid, by_time in points.items():
            ordered = sorted(by_time.items())
            series[qid] = MetricSeries(
                id=qid,
                label=labels[qid],
                timestamps=tuple(t for t, _ in ordered),
                values=tuple(v for _, v in ordered),
                status=statuses[qid],
            )
        return series
