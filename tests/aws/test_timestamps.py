"""Idle CPU (issue 21): botocore's timestamps are parsed straight to UTC, never through dateutil's local time zone
(each cost ~11 µs; GetMetricData brings thousands a minute), against a real moto server; what the app reads is the same."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import botocore.utils
import pytest

from kojan_tui.aws.base import utc_timestamp
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core import metrics_catalog as mc
from tests.fixtures.aws_seed import SERVICE


@pytest.fixture
async def gateway(seeded_aws):
    gw = AwsGateway(seeded_aws.settings)
    yield gw
    await gw.close()


async def test_get_metric_data_timestamps_skip_the_local_time_zone_and_are_the_datapoints_times(gateway, seeded_aws, monkeypatch):
    local_zone_parses: list[object] = []
    original = botocore.utils._parse_timestamp_with_tzinfo
    app_thread = threading.get_ident()  # the moto server parses its requests with botocore too, in its own thread

    def counting(value, tzinfo):
        if threading.get_ident() == app_thread:
            local_zone_parses.append(value)
        return original(value, tzinfo)

    monkeypatch.setattr(botocore.utils, "_parse_timestamp_with_tzinfo", counting)
    queries = [q for q in mc.s03_queries(SERVICE, 60) if q.id == mc.ECS_CPU]
    end = datetime.now(UTC) + timedelta(minutes=1)
    series = await gateway.get_metric_data(queries, end - timedelta(hours=1), end)
    cpu = series[mc.ECS_CPU]
    assert cpu.values == (40.0, 55.0, 62.5)
    buckets = [(put - got).total_seconds() for got, put in zip(cpu.timestamps, seeded_aws.metric_times, strict=True)]
    assert all(0 <= s < 60 for s in buckets), buckets  # each datapoint in the minute that starts at its timestamp
    assert all(t.tzinfo is UTC for t in cpu.timestamps)
    assert local_zone_parses == []  # the spy sees botocore's own path: a regression counts here


def test_the_parser_gives_utc_for_epochs_and_falls_back_to_botocore_for_text():
    assert utc_timestamp(1_795_867_200) == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert utc_timestamp(1_795_867_200.5).tzinfo is UTC
    assert utc_timestamp("2026-11-28T12:00:00Z") == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert utc_timestamp("Sat, 28 Nov 2026 12:00:00 GMT") == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        utc_timestamp("not a time")
