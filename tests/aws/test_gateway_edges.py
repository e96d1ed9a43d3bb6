"""Behaviour moto cannot provoke, against a small AWS-speaking HTTP stub on 127.0.0.1: a Logs Insights query
that never finishes (StopQuery on timeout and on cancellation), throttling (adaptive retries, then THROTTLED)
and FilterLogEvents' empty scan pages."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.errors import AwsFailure, FailureKind
from tests.fixtures.aws_seed import fast_settings
from tests.fixtures.request_limits import without_request_limits


class StubAws(BaseHTTPRequestHandler):
    """Answers the JSON-protocol calls the tests need; records every X-Amz-Target it is sent."""

    calls: list[str] = []
    filter_pages: list[dict] = []  # FilterLogEvents answers, in order; when empty: an empty page with a token
    expired_keys: set[str] = set()  # access key ids whose requests get ExpiredTokenException

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        target = self.headers.get("X-Amz-Target", "").split(".")[-1]
        StubAws.calls.append(target)
        key_id = self.headers.get("Authorization", "").partition("Credential=")[2].split("/")[0]
        if key_id in StubAws.expired_keys:
            return self._answer(
                400, {"__type": "ExpiredTokenException", "message": "The security token included in the request is expired"}
            )
        status, body = {
            "StartQuery": (200, {"queryId": "q-1"}),
            "GetQueryResults": (
                200,
                {
                    "status": "Running",
                    "results": [[{"field": "@message", "value": "partial"}]],
                    "statistics": {"recordsMatched": 1.0, "recordsScanned": 50.0},
                },
            ),
            "StopQuery": (200, {"success": True}),
            "FilterLogEvents": (
                200,
                StubAws.filter_pages.pop(0) if StubAws.filter_pages else {"events": [], "nextToken": "more"},
            ),
        }.get(target, (400, {"__type": "ThrottlingException", "message": "Rate exceeded"}))
        self._answer(status, body)

    def _answer(self, status: int, body: dict) -> None:
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
    StubAws.filter_pages = []
    StubAws.expired_keys = set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubAws)
    # shutdown() waits for serve_forever to notice: poll every 20 ms, not its default 0.5 s, per test
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_insights_query_that_never_finishes_is_stopped_at_the_timeout(stub_endpoint):
    end = datetime.now(UTC)
    async with AwsGateway(fast_settings(stub_endpoint)) as gw:
        result = await gw.run_insights_query(
            "/ecs/kojan-map-business", "stats count() by @message", start=end - timedelta(hours=1), end=end, timeout_s=0.5
        )
    assert result.status == "Timeout"
    assert result.rows == ({"@message": "partial"},) and result.records_scanned == 50.0
    assert StubAws.calls[0] == "StartQuery" and StubAws.calls[-1] == "StopQuery"
    assert 2 <= StubAws.calls.count("GetQueryResults") <= 4  # backoff: 0.2 s, then 0.3 s...


async def test_cancelled_insights_query_is_stopped(stub_endpoint):
    end = datetime.now(UTC)
    async with AwsGateway(fast_settings(stub_endpoint)) as gw:
        task = asyncio.create_task(
            gw.run_insights_query(
                "/ecs/kojan-map-business", "fields @message", start=end - timedelta(hours=1), end=end, timeout_s=30
            )
        )
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


def stub_events(*ids: int) -> list[dict]:
    return [
        {"eventId": str(i), "timestamp": 1_000 + i, "logStreamName": "s", "message": f"line {i}", "ingestionTime": 2_000}
        for i in ids
    ]


async def test_empty_scan_pages_do_not_use_up_the_page_budget(stub_endpoint):
    StubAws.filter_pages = [
        {"events": [], "nextToken": "t1"},
        {"events": [], "nextToken": "t2"},
        {"events": stub_events(1, 2), "nextToken": "t3"},
        {"events": stub_events(3)},
    ]
    async with without_request_limits(AwsGateway(fast_settings(stub_endpoint))) as gw:
        first = await gw.filter_log_events("/ecs/kojan-map-business", start_ms=0, max_pages=1)
        assert [e.message for e in first.events] == ["line 1", "line 2"] and first.truncated
        assert gw.requests["FilterLogEvents"] == 3
        second = await gw.filter_log_events("/ecs/kojan-map-business", start_ms=0, cursor=first.cursor, max_pages=1)
    assert [e.message for e in second.events] == ["line 3"] and not second.truncated


async def test_a_scan_that_never_ends_is_bounded(stub_endpoint):
    async with without_request_limits(AwsGateway(fast_settings(stub_endpoint))) as gw:
        page = await gw.filter_log_events("/ecs/kojan-map-business", start_ms=0, max_pages=2)
        assert page.events == () and page.truncated
        assert gw.requests["FilterLogEvents"] == 8  # EMPTY_PAGE_FACTOR (4) x max_pages


async def test_expired_credentials_recover_without_a_restart_once_new_keys_exist(stub_endpoint, monkeypatch):
    """Clients cache credentials: after a CREDENTIALS failure the gateway opens new ones from a new session."""
    StubAws.expired_keys = {"testing"}
    async with AwsGateway(fast_settings(stub_endpoint)) as gw:
        with pytest.raises(AwsFailure) as caught:
            await gw.count_log_events("/g", pattern="ERROR", start_ms=0, end_ms=1)
        assert caught.value.kind is FailureKind.CREDENTIALS and "aws sso login" in caught.value.message
        assert gw.credential_resets == 1
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "rotated")  # `aws sso login`, or new keys in the environment
        StubAws.filter_pages = [{"events": stub_events(1, 2)}]
        assert await gw.count_log_events("/g", pattern="ERROR", start_ms=0, end_ms=1) == 2


async def test_a_count_cut_at_its_page_limit_says_it_is_incomplete(stub_endpoint):
    from kojan_tui.aws.logs import MAX_COUNT_PAGES

    StubAws.filter_pages = [{"events": stub_events(i), "nextToken": f"t{i}"} for i in range(MAX_COUNT_PAGES + 5)]
    async with without_request_limits(AwsGateway(fast_settings(stub_endpoint))) as gw:  # 20 pages, not 0.5 s each
        count = await gw.count_log_events("/g", pattern="ERROR", start_ms=0, end_ms=1)
    assert count == MAX_COUNT_PAGES and count.complete is False
    StubAws.filter_pages = [{"events": stub_events(1, 2)}]
    async with AwsGateway(fast_settings(stub_endpoint)) as gw:
        whole = await gw.count_log_events("/g", pattern="ERROR", start_ms=0, end_ms=1)
    assert whole == 2 and whole.complete is True
