"""The app is killed (SIGKILL) after UpdateService left and before its answer: the next start shows the unfinished
deployment, reads the service back, records it resolved (done: the request had reached the embedded AWS) and
resumes the rollout watch."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import ActionSettings, Config
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from kojan_tui.demo.faults import FORWARD_HANG
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.app import KojanApp
from tests.actions.lost_answers import losing_answers_to
from tests.procedures.killed_script import start_script
from tests.ui.harness import until

SCRIPT = __file__.replace("test_resume_after_kill.py", "send_and_wait.py")
FORWARD_WAIT_S = 60.0


def kill_once_forwarded(proxy, *args: str) -> str:
    """Start the child, wait for READY and for UpdateService to reach the embedded AWS, then SIGKILL it."""
    import signal

    child = start_script(__import__("pathlib").Path(SCRIPT), *args)
    try:
        line = child.stdout.readline()
        assert line.startswith("READY"), line
        deadline = time.monotonic() + FORWARD_WAIT_S
        while proxy.forwarded["UpdateService"] < 1:  # a condition, polled: the request reached AWS
            assert time.monotonic() < deadline, "UpdateService never reached the embedded AWS"
            assert child.poll() is None, "the child ended before it was killed"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
        return line.split()[1]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()


async def test_a_deployment_killed_between_send_and_answer_is_shown_and_resolved_at_the_next_start(demo_world, tmp_path):
    database, audit = tmp_path / "kojan.sqlite3", tmp_path / "audit.jsonl"
    with losing_answers_to(demo_world, "UpdateService", FORWARD_HANG) as proxy:
        proxy.plan.slow_seconds = 600.0
        request_id = await asyncio.to_thread(kill_once_forwarded, proxy, proxy.endpoint_url, str(database), str(audit))
        assert proxy.requests["UpdateService"] == 1
    outcomes = [e["outcome"] for e in AuditTrail(audit).entries()]
    assert outcomes == ["requested", "confirmed"]  # what the kill left: no outcome

    config = Config()
    config = replace(
        config,
        aws=replace(config.aws, endpoint_url=demo_world.endpoint_url, profile=None),
        ui=replace(config.ui, bell=False, notify=False, language="en"),
        actions=ActionSettings(settling_seconds=600, watch_seconds=0.5),
    )
    app = KojanApp(
        config,
        AwsGateway(config.aws, static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)),
        database=LazyDatabase(database),
        audit=AuditTrail(audit),
    )
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(str(message))
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: any("Unfinished from the last run" in n for n in notes), "the notice")
        assert any("force-new-deployment kojan-map-production/kojan-map-business" in n for n in notes)
        await until(pilot, lambda: app.services.rollout.status is not None, "the resumed watch", timeout=60)
        assert app.services.rollout.status.request.id == request_id
        assert app.gateway.requests["UpdateService"] == 0  # read back, never sent again
        lifecycle = app.services.lifecycles.lifecycles[request_id]
        assert lifecycle.stage.value == "watching"
    entries = AuditTrail(audit).entries()
    assert [e["outcome"] for e in entries] == [
        "requested",
        "confirmed",
        "unknown: the app ended before the answer",
        "resolved: done",
    ]
    assert "a new PRIMARY deployment" in entries[-1]["details"]["read_back"]
    assert all(e["details"]["request_id"] == request_id for e in entries)
