"""Only AwsFailure leaves the gateway: a loopback stub answers with malformed JSON and odd values
(``int("x")``, ``None`` where an object belongs); every call fails as an AwsFailure naming the operation."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kojan_tui.aws.base import UNREADABLE_ANSWER_CODE
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.errors import AwsFailure, FailureKind
from tests.fixtures.aws_seed import fast_settings


class OddAws(BaseHTTPRequestHandler):
    """Answers each X-Amz-Target with ``OddAws.answers[target]``: bytes sent as they are, anything else as JSON."""

    answers: dict[str, object] = {}

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        target = self.headers.get("X-Amz-Target", "").split(".")[-1]
        answer = OddAws.answers.get(target, {})
        payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def odd_endpoint(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    OddAws.answers = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), OddAws)
    # shutdown() waits for serve_forever to notice: poll every 20 ms, not its default 0.5 s, per test
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


END = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CALLS = {
    "describe_service": ("DescribeServices", lambda gw: gw.describe_service("c", "s")),
    "describe_task_definition": ("DescribeTaskDefinition", lambda gw: gw.describe_task_definition("f:1")),
    "filter_log_events": ("FilterLogEvents", lambda gw: gw.filter_log_events("/g", start_ms=0, max_pages=1)),
    "run_insights_query": (
        "GetQueryResults",
        lambda gw: gw.run_insights_query("/g", "fields @message", start=END - timedelta(hours=1), end=END, timeout_s=2),
    ),
}
ODD_ANSWERS = {
    "describe_service-int": {"services": [{"serviceName": "s", "desiredCount": "x", "deployments": []}], "failures": []},
    "describe_service-none": {"services": [{"serviceName": "s", "deployments": [None]}], "failures": []},
    "describe_task_definition-int": {"taskDefinition": {"family": "f", "revision": "seven", "containerDefinitions": []}},
    "filter_log_events-int": {"events": [{"eventId": "1", "timestamp": "yesterday", "logStreamName": "s", "message": "m"}]},
    "filter_log_events-none": {"events": [None]},
    "run_insights_query-float": {"status": "Complete", "results": [], "statistics": {"recordsScanned": "lots"}},
    "run_insights_query-none": {"status": "Complete", "results": [None]},
}


@pytest.mark.parametrize("case", sorted(ODD_ANSWERS))
async def test_odd_values_leave_as_aws_failure(odd_endpoint, case):
    method = case.rsplit("-", 1)[0]
    target, call = CALLS[method]
    OddAws.answers = {target: ODD_ANSWERS[case], "StartQuery": {"queryId": "q-1"}, "StopQuery": {"success": True}}
    async with AwsGateway(fast_settings(odd_endpoint)) as gw:
        with pytest.raises(AwsFailure) as caught:
            await call(gw)
    failure = caught.value
    assert type(failure) is AwsFailure
    assert failure.kind is FailureKind.UNAVAILABLE
    assert failure.operation  # names what was asked
    assert "\n" not in str(failure)


@pytest.mark.parametrize("method", sorted(CALLS))
async def test_malformed_json_leaves_as_aws_failure(odd_endpoint, method):
    target, call = CALLS[method]
    OddAws.answers = {target: b'{"services": [ not json', "StartQuery": {"queryId": "q-1"}, "StopQuery": {"success": True}}
    async with AwsGateway(fast_settings(odd_endpoint)) as gw:
        with pytest.raises(AwsFailure) as caught:
            await call(gw)
    assert type(caught.value) is AwsFailure and caught.value.operation


async def test_a_conversion_failure_says_the_answer_was_unreadable(odd_endpoint):
    OddAws.answers = {"DescribeServices": ODD_ANSWERS["describe_service-int"]}
    async with AwsGateway(fast_settings(odd_endpoint)) as gw:
        with pytest.raises(AwsFailure) as caught:
            await gw.describe_service("c", "s")
    assert caught.value.code == UNREADABLE_ANSWER_CODE and caught.value.operation == "describe_service"
    assert "could not be read (ValueError" in caught.value.message
