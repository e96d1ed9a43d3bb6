"""Percentile statistics over HTTP: GetMetricData ``p99`` and GetMetricStatistics ExtendedStatistics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from kojan_tui.demo.percentiles import percentile
from tests.demo.helpers import client, utcnow
from tests.demo.test_percentiles import KNOWN

DIMS = [{"Name": "LoadBalancer", "Value": "app/percentile-test/1"}]


def put_known_samples(cloudwatch, at):
    half = len(KNOWN) // 2
    for chunk in (KNOWN[:half], KNOWN[half:]):  # two calls, as a real publisher batches
        cloudwatch.put_metric_data(
            Namespace="Kojan/Test",
            MetricData=[{"MetricName": "Latency", "Dimensions": DIMS, "Timestamp": at, "Values": chunk, "Unit": "Seconds"}],
        )


def test_get_metric_data_computes_p99_from_the_published_samples(demo_world):
    cloudwatch = client(demo_world, "cloudwatch")
    at = (utcnow() - timedelta(minutes=10)).replace(second=30, microsecond=0)
    put_known_samples(cloudwatch, at)

    def stat(name):
        return {"Metric": {"Namespace": "Kojan/Test", "MetricName": "Latency", "Dimensions": DIMS}, "Period": 60, "Stat": name}

    results = cloudwatch.get_metric_data(
        MetricDataQueries=[
            {"Id": "p99", "MetricStat": stat("p99")},
            {"Id": "p50", "MetricStat": stat("p50")},
            {"Id": "p999", "MetricStat": stat("p99.9")},
            {"Id": "n", "MetricStat": stat("SampleCount")},
        ],
        StartTime=at - timedelta(minutes=5),
        EndTime=at + timedelta(minutes=5),
    )["MetricDataResults"]
    values = {r["Id"]: r["Values"] for r in results}
    assert values == {"p99": [2.5], "p50": [0.051], "p999": [3.0], "n": [102.0]}
    assert values["p99"][0] == percentile(KNOWN, 99)
    assert results[0]["Timestamps"][0].replace(tzinfo=None) == at.replace(second=0, tzinfo=None)


def test_get_metric_statistics_returns_extended_statistics(demo_world):
    cloudwatch = client(demo_world, "cloudwatch")
    at = (utcnow() - timedelta(minutes=10)).replace(second=30, microsecond=0)
    put_known_samples(cloudwatch, at)
    points = cloudwatch.get_metric_statistics(
        Namespace="Kojan/Test",
        MetricName="Latency",
        Dimensions=DIMS,
        StartTime=at - timedelta(minutes=5),
        EndTime=at + timedelta(minutes=5),
        Period=60,
        Statistics=["Maximum"],
        ExtendedStatistics=["p99", "p90"],
    )["Datapoints"]
    assert len(points) == 1
    assert points[0]["ExtendedStatistics"] == {"p99": 2.5, "p90": 0.092} and points[0]["Maximum"] == 3.0


def test_the_dashboards_p99_query_answers_for_the_live_alb(demo_world):
    from tests.demo.helpers import s03_since

    series = s03_since(client(demo_world, "cloudwatch"), utcnow() - timedelta(hours=1))
    assert len(series["p99_latency"]) >= 59 and all(0 < v < 1.0 for v in series["p99_latency"])


def test_an_invalid_statistic_is_a_client_error(demo_world):
    cloudwatch = client(demo_world, "cloudwatch")
    now = utcnow()
    with pytest.raises(ClientError) as caught:
        cloudwatch.get_metric_data(
            MetricDataQueries=[
                {
                    "Id": "x",
                    "MetricStat": {
                        "Metric": {"Namespace": "AWS/ECS", "MetricName": "CPUUtilization"},
                        "Period": 60,
                        "Stat": "tm99",
                    },
                }
            ],
            StartTime=now - timedelta(minutes=5),
            EndTime=now,
        )
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"
