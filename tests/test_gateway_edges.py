"""Behaviour moto cannot provoke, against a small AWS-speaking HTTP stub on 127.0.0.1: a Logs Insights query
that never finishes (StopQuery on timeout and on cancellation) and throttling (adaptive retries, then THROTTLED)."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.errors import AwsFailure, FailureKind
from tests.fixtures.aws_seed import fast_settings


class StubAws(BaseHTTPRequestHandler):
    """Answers the JSON-protocol calls the tests need; records every X-Amz-Target it is sent."""

    calls: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        target = self.headers.get("X-Amz-Target", "").split(".")[-1]
        StubAws.calls.append(target)
        status, body = {
            "StartQuery": (200, {"queryId": "q-1"}),
            "GetQueryResults": (200, {"status": "Running", "results": [[{"field": "@message", "value": "partial"}]],
                                      "statistics": {"recordsMatched": 1.0, "recordsScanned": 50.0}}),
            "StopQuery": (200, {"success": True}),
        }.get(target, (400, {"__type": "ThrottlingException", "message": "Rate exceeded"}))
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def stub_endpoint(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    StubAws.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubAws)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_insights_query_that_never_finishes_is_stopped_at_the_timeout(stub_endpoint):
    end = datetime.now(timezone.utc)
    async with AwsGateway(fast_settings(stub_endpoint)) as gw:
        result = await gw.run_insights_query("/ecs/kojan-map-business", "stats count() by @message",
                                             start=end - timedelta(hours=1), end=end, timeout_s=0.5)
    assert result.status == "Timeout"
    assert result.rows == ({"@message": "partial"},) and result.records_scanned == 50.0
    assert StubAws.calls[0] == "StartQuery" and StubAws.calls[-1] == "StopQuery"
    assert 2 <= StubAws.calls.count("GetQueryResults") <= 4  # backoff: 0.2 s, then 0.3 s...


async def test_cancelled_insights_query_is_stopped(stub_endpoint):
    end = datetime.now(timezone.utc)
    async with AwsGateway(fast_settings(stub_endpoint)) as gw:
        task = asyncio.create_task(gw.run_insights_query("/ecs/kojan-map-business", "fields @message",
                                                         start=end - timedelta(hours=1), end=end, timeout_s=30))
        while "GetQueryResults" not in StubAws.calls:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert StubAws.calls[-1] == "StopQuery"


async def test_throttling_is_retried_then_reported(stub_endpoint):
    async with AwsGateway(fast_settings(stub_endpoint, max_attempts=2)) as gw:
        with pytest.raises(AwsFailure) as caught:
            await gw.describe_service("kojan-map-production", "kojan-map-business")
        assert gw.requests["DescribeServices"] == 2  # adaptive mode retried once: max_attempts counts every try
    assert caught.value.kind is FailureKind.THROTTLED and caught.value.code == "ThrottlingException"
    assert StubAws.calls == ["DescribeServices", "DescribeServices"]
