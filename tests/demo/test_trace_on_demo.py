"""Trace a request end to end: a JSON line the embedded AWS wrote, its request id made a filter pattern by
``core.log_trace``, sent by the product's own feed and gateway: exactly that request's lines come back."""

from __future__ import annotations

import json
import time

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import AwsSettings, ServiceSettings
from kojan_tui.core.log_trace import filter_pattern, line_fields
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from kojan_tui.demo.logs_patch import compile_filter
from kojan_tui.sources.logs import LogFeed
from tests.demo.helpers import client, wait_for

SERVICE = ServiceSettings()


def test_the_embedded_filter_matches_the_json_equality_patterns_the_trace_builds():
    pattern = filter_pattern("path", "/api/business/posts/[3](x)?q=ü")
    matches = compile_filter(pattern)
    assert matches(json.dumps({"path": "/api/business/posts/[3](x)?q=ü"}))
    assert not matches(json.dumps({"path": "/api/business/posts/[3](x)?q=ü/more"}))
    assert not matches("/api/business/posts/[3](x)?q=ü")  # not JSON: a JSON pattern never matches it
    status = compile_filter(filter_pattern("status", 503))
    assert status('{"status":503}') and not status('{"status":500}') and not status('{"status":"x"}')


async def test_tracing_a_request_id_returns_that_requests_lines_from_the_embedded_aws(demo_world):
    demo_world.set_scenario("db-outage")  # a failing request leaves two lines: its error, then its access line
    logs = client(demo_world, "logs")
    errors = wait_for(
        lambda: logs.filter_log_events(
            logGroupName=SERVICE.log_group, filterPattern="ERROR", startTime=int((time.time() - 120) * 1000)
        )["events"],
        what="ERROR lines",
    )
    raw = errors[-1]["message"]
    field = line_fields(raw)[0]
    assert field.path == "request_id"
    pattern = filter_pattern(field.path, field.value)
    assert pattern == f'{{ $.request_id = "{field.value}" }}'

    gateway = AwsGateway(
        AwsSettings(endpoint_url=demo_world.endpoint_url, max_attempts=2), static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)
    )
    feed = LogFeed(gateway, SERVICE.log_group)
    try:
        await feed.set_filter(pattern)
        lines = list(feed.buffer)
        assert feed.last_failure is None and feed.pattern == pattern
        assert len(lines) == 2  # the error and the access line of the same request, nothing else
        assert all(json.loads(line.raw)["request_id"] == field.value for line in lines)
        assert raw in [line.raw for line in lines]
        assert any(json.loads(line.raw)["msg"] == "request completed" for line in lines)
    finally:
        await feed.close()
        await gateway.close()
