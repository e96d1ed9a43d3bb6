"""New keys in the credentials file are picked up without a restart, through the fault proxy refusing the old key.

Its own file (and so its own xdist worker under ``--dist loadfile``), apart from the 10,000-fault run.
"""

from __future__ import annotations

import asyncio
import time

from kojan_tui.core.errors import FailureKind
from kojan_tui.demo import faults
from kojan_tui.demo.faults import FaultPlan
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.proof.helpers import FAST, FAST_FIXED, SOURCES, fast_config, real_app, stale_text
from tests.proof.panels import stale_problems


async def test_rotated_keys_are_picked_up_without_a_restart(fault_proxy, tmp_path, monkeypatch):
    """The proxy stops accepting the old key (an expired session); new keys in the credentials file end it."""
    credentials = tmp_path / "credentials"
    credentials.write_text("[default]\naws_access_key_id = OLDKEY\naws_secret_access_key = old-secret\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    app = real_app(fast_config(fault_proxy.endpoint_url, FAST), static_credentials=None, **FAST_FIXED)
    async with app.run_test(size=(160, 48)) as pilot:
        await asyncio.wait_for(app.poller.refresh_now(wait=True), 30)
        assert not any(app.poller.freshness(n).stale for n in SOURCES)

        fault_proxy.plan = FaultPlan(refused_keys=frozenset({"OLDKEY"}))

        def refused_everywhere() -> bool:
            return all(app.poller.freshness(n).failure_kind is FailureKind.CREDENTIALS for n in SOURCES)

        # One refresh is enough on a quiet machine; on a loaded one a source's answer can come in overdue (STALE
        # "waiting for AWS") before its refused poll does: refresh again until every source has been refused.
        started = time.monotonic()
        while True:
            await asyncio.wait_for(app.poller.refresh_now(wait=True), 30)
            await pilot.pause()
            if refused_everywhere():
                break
            assert time.monotonic() - started < 30, {n: stale_text(app, n) for n in SOURCES}
        assert stale_problems(app) == []
        assert app.screen.query_one(ServicePanel).stale_text.endswith(FailureKind.CREDENTIALS.value)

        credentials.write_text("[default]\naws_access_key_id = NEWKEY\naws_secret_access_key = new-secret\n")
        started = time.monotonic()
        while any(app.poller.freshness(n).stale for n in SOURCES):
            assert time.monotonic() - started < 60, {n: stale_text(app, n) for n in SOURCES}
            await asyncio.sleep(0.1)
        await pilot.pause()
        assert stale_problems(app) == []
        assert app.is_running
    refused = fault_proxy.faults[faults.REFUSED_KEY]
    assert refused > 0
    print(
        f"\nkey rotation: {refused} calls refused with the old key; fresh again {time.monotonic() - started:.1f}s after new keys"
    )
