"""S27's CreateExportTask is a mutation: sent once (never retried by botocore), a lost answer is an unknown outcome."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kojan_tui.actions.audited import AuditedActions, ExportRequest
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from tests.fixtures.aws_seed import fast_settings


async def test_a_lost_export_answer_is_unknown_and_the_request_went_out_once(tmp_path):
    seen: list[str] = []

    class SlowLogs(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append(self.headers.get("X-Amz-Target", ""))
            time.sleep(1.5)  # longer than the read timeout: the answer is lost

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowLogs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    settings = fast_settings(f"http://127.0.0.1:{server.server_address[1]}", read_timeout=0.5, max_attempts=4)
    request = ExportRequest("/ecs/kojan-map-business", "kojan-map-log-archive", "ecs/kojan-map-business/2026-10", 0, 1, "t")
    try:
        async with AwsGateway(settings, static_credentials=("k", "s")) as gw:
            actions = AuditedActions(gw, trail)
            actions._identity_arn = "arn:aws:iam::123456789012:user/oncall"  # no STS on this stub
            outcome = await actions.export_logs(request)
    finally:
        server.shutdown()
        server.server_close()
    assert [t for t in seen if t.endswith("CreateExportTask")] == ["Logs_20140328.CreateExportTask"]
    assert outcome.unknown and not outcome.done and "outcome unknown" in outcome.summary
    assert [e["outcome"] for e in trail.entries()] == ["confirmed", "unknown: timeout"]
