"""AuditedActions against a stub endpoint that reads each request and answers too late: the answer to a
mutation is lost after it went out, which is when a retry could apply it twice."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kojan_tui.actions.audited import AuditedActions
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from tests.fixtures.aws_seed import fast_settings

ANSWER_AFTER_S = 1.5  # longer than the read timeout below: the answer is lost


@dataclass
class Seen:
    targets: list[str] = field(default_factory=list)  # X-Amz-Target of each request (JSON protocols)
    bodies: list[str] = field(default_factory=list)  # each request's body (query protocols name the action there)


@asynccontextmanager
async def actions_on_a_silent_endpoint(tmp_path: Path) -> AsyncIterator[tuple[AuditedActions, AuditTrail, Seen]]:
    seen = Seen()

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            seen.bodies.append(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
            seen.targets.append(self.headers.get("X-Amz-Target", ""))
            time.sleep(ANSWER_AFTER_S)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    # shutdown() waits for serve_forever to notice: poll every 20 ms, not its default 0.5 s
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    trail = AuditTrail(tmp_path / "audit.jsonl")
    settings = fast_settings(f"http://127.0.0.1:{server.server_address[1]}", read_timeout=0.5, max_attempts=4)
    try:
        async with AwsGateway(settings, static_credentials=("k", "s")) as gw:
            actions = AuditedActions(gw, trail)
            actions._identity_arn = "arn:aws:iam::123456789012:user/oncall"  # no STS on this stub
            actions._identity_at = float("inf")  # never asked again
            yield actions, trail, seen
    finally:
        server.shutdown()
        server.server_close()
