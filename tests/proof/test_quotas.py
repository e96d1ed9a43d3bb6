"""The account's quotas hold whatever the user does: every refresh at its minimum, ``r`` held down and a
runbook's checks re-run at once never take an operation over its client-side limit in any second, counted at
a loopback proxy in front of the embedded AWS (kojan_tui.aws.limits)."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import replace

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.aws.limits import AWS_QUOTAS, limit_for
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import RefreshSettings
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.runbook import RunbookScreen, runbooks
from tests.proof.helpers import fast_config

FASTEST = RefreshSettings(metrics_seconds=1.0, service_seconds=1.0, logs_seconds=1.0, errors_seconds=1.0)
ARRIVAL_JITTER = 1  # requests spaced 1/rate apart by the client can arrive one wall-clock second's edge apart
STORM_S = 10.0


async def test_every_refresh_at_its_minimum_r_held_down_and_a_runbook_rechecking_keep_every_operation_within_its_limit(
    fault_proxy, tmp_path
):
    config = fast_config(fault_proxy.endpoint_url, FASTEST)
    config = replace(
        config, aws=replace(config.aws, connect_timeout=2.0, read_timeout=10.0), ui=replace(config.ui, language="en")
    )
    gateway = AwsGateway(config.aws, static_credentials=("demo", "demo"))
    app = KojanApp(config, gateway, audit=AuditTrail(tmp_path / "audit.jsonl"), database=LazyDatabase(tmp_path / "kojan.sqlite3"))
    for name in ("database", "identity", "scaling"):
        app.poller.set_interval(name, 1.0)
    async with app.run_test(size=(160, 48)) as pilot:
        await asyncio.wait_for(app.poller.refresh_now(wait=True), 60)
        fault_proxy.reset_counts()
        started = time.time()
        s24 = next(p for p in runbooks(app.services) if p.id == "s24-emergency")
        app.push_screen(RunbookScreen(app.services, s24))  # opening it runs every automatic check
        deadline = time.monotonic() + STORM_S
        while time.monotonic() < deadline:
            await app.poller.refresh_now()  # what `r` does on the dashboard (the runbook screen has the keys now) ...
            await pilot.press("r")  # ... and the runbook re-checks its current step
            await asyncio.sleep(0.05)
        assert app.is_running
        screen = app.screen
        assert isinstance(screen, RunbookScreen) and screen.runner is not None
        checked = [s.id for s in screen.procedure.auto_checked() if screen.runner.run.latest_check(s.id)]
        assert checked, "the runbook's checks never ran during the storm"
    peaks = {op: fault_proxy.peak_rate(op, since=started) for op in fault_proxy.per_second}
    print(
        f"\nstorm: runbook checks {checked}; requests {dict(fault_proxy.requests)}; peak requests/s {peaks}; waits {dict(gateway.limits.stats.waits)}"
    )
    assert fault_proxy.requests["FilterLogEvents"] >= STORM_S  # the storm did ask, and was kept waiting
    assert gateway.limits.stats.waits["FilterLogEvents"] > 0
    for operation, peak in peaks.items():
        limit = limit_for(operation, config.aws.log_requests_per_second)
        assert peak <= math.ceil(limit) + ARRIVAL_JITTER, (operation, peak, limit)
        assert peak <= AWS_QUOTAS.get(operation, math.inf), (operation, peak)
