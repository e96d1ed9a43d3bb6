"""ModifyDBParameterGroup through AuditedActions: sent once (never retried), a lost answer is 'unknown'."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kojan_tui.actions.audited import AuditedActions, ParameterChangeRequest
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from tests.fixtures.aws_seed import fast_settings


async def test_a_parameter_change_is_sent_once_and_a_lost_answer_is_unknown(tmp_path):
    seen: list[str] = []

    class SlowRds(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            seen.append(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
            time.sleep(1.5)  # longer than the read timeout: the answer is lost

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowRds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    settings = fast_settings(f"http://127.0.0.1:{server.server_address[1]}", read_timeout=0.5, max_attempts=4)
    try:
        async with AwsGateway(settings, static_credentials=("k", "s")) as gw:
            actions = AuditedActions(gw, trail)
            actions._identity_arn = "arn:aws:iam::123456789012:user/oncall"  # no STS on this stub
            outcome = await actions.modify_db_parameter(
                ParameterChangeRequest("kojan-map-mysql80", "slow_query_log", "1", before="0")
            )
    finally:
        server.shutdown()
        server.server_close()
    assert len([body for body in seen if "Action=ModifyDBParameterGroup" in body]) == 1
    assert outcome.unknown and not outcome.done and "outcome unknown" in outcome.summary
    assert [e["outcome"] for e in trail.entries()] == ["confirmed", "unknown: timeout"]
