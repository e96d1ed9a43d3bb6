"""Backoff keeps the requests within AWS's quotas at the fastest allowed refresh, counted at the fault proxy.

Its own file (and so its own xdist worker under ``--dist loadfile``), apart from the 10,000-fault run.
"""

from __future__ import annotations

import asyncio
import time

from kojan_tui.core.config import RefreshSettings
from kojan_tui.demo import faults
from kojan_tui.demo.faults import AWS_QUOTAS, FaultPlan
from tests.proof.helpers import fast_config, real_app


async def test_backoff_keeps_requests_within_the_quotas_at_the_fastest_allowed_refresh(fault_proxy):
    """Every refresh at the config's minimum (1 s), the user pressing ``r`` 5 times a second, AWS throttling
    half the calls and enforcing its quotas: requests per second stay within FilterLogEvents 5/s and
    GetMetricData 50/s, counted at the proxy."""
    fastest = RefreshSettings(metrics_seconds=1.0, service_seconds=1.0, logs_seconds=1.0, errors_seconds=1.0)
    config = fast_config(fault_proxy.endpoint_url, fastest)
    config = fast_config(fault_proxy.endpoint_url, fastest, aws=config.aws.__class__(read_timeout=0.3, connect_timeout=0.5))
    app = real_app(config, database=1.0, identity=1.0)
    async with app.run_test(size=(160, 48)) as pilot:
        await asyncio.wait_for(app.poller.refresh_now(wait=True), 30)
        fault_proxy.reset_counts()
        started = time.time()
        fault_proxy.plan = FaultPlan(rate=0.5, kinds=(faults.THROTTLE_400, faults.THROTTLE_429), quotas=dict(AWS_QUOTAS), seed=15)
        for _ in range(60):  # 12 s
            await pilot.press("r")
            await asyncio.sleep(0.2)
        assert app.is_running
    peaks = {op: fault_proxy.peak_rate(op, since=started) for op in AWS_QUOTAS}
    print(f"\nthrottling storm: peak requests/s {peaks}; faults {faults.summary(fault_proxy.faults)}")
    assert fault_proxy.requests["FilterLogEvents"] > 0 and fault_proxy.requests["GetMetricData"] > 0
    for operation, quota in AWS_QUOTAS.items():
        assert peaks[operation] <= quota, (operation, peaks[operation], quota)
