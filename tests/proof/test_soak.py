"""Soak: the app headless on the real gateway against the embedded AWS, every refresh 100x faster than
the defaults (a day of polling in ~15 minutes), switching scenarios; RSS, fds, asyncio tasks and threads
are sampled twice a second and must stay flat after warm-up.

CI runs the short form (~50 s). The long form: ``KOJAN_SOAK_SECONDS=900 ./dev.sh test tests/proof/test_soak.py -s``
(900 s ≈ one day of polling at the default refresh).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from dataclasses import dataclass, replace
from statistics import median

import psutil
import textual.screen

from kojan_tui.core.config import RefreshSettings
from kojan_tui.demo.scenarios import SCENARIOS
from kojan_tui.sources.dashboard import DATABASE_INTERVAL_S, IDENTITY_INTERVAL_S
from tests.proof.helpers import SOURCES, completed, fast_config, real_app

SPEED = 100  # refreshes this many times faster than the defaults
SOAK_SECONDS = float(os.environ.get("KOJAN_SOAK_SECONDS", "45"))
WARM_UP_FRACTION = 1 / 3
SWITCH_EVERY_S = 5.0
SAMPLE_EVERY_S = 0.5  # ~20 samples a third even when a loaded machine stretches the sleeps
RSS_GROWTH_LIMIT_MIB = 6.0


@dataclass
class Sample:
    at: float
    rss_mib: float
    fds: int
    tasks: int
    threads: int


def sample(process: psutil.Process, started: float) -> Sample:
    return Sample(
        at=time.monotonic() - started,
        rss_mib=process.memory_info().rss / 2**20,
        fds=process.num_fds(),
        tasks=len(asyncio.all_tasks()),
        threads=threading.active_count(),
    )


async def test_a_day_of_polling_keeps_memory_fds_tasks_and_threads_flat(demo_world, monkeypatch):
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 0.25)  # 100x the polls, 1/15 the frames: see test_faults
    defaults = RefreshSettings()
    refresh = RefreshSettings(
        metrics_seconds=defaults.metrics_seconds / SPEED,
        service_seconds=defaults.service_seconds / SPEED,
        logs_seconds=defaults.logs_seconds / SPEED,
        errors_seconds=defaults.errors_seconds / SPEED,
    )
    config = fast_config(demo_world.endpoint_url, refresh)
    # The log reads may take the account's whole FilterLogEvents quota here (5/s, shared by the tail and the
    # errors scan): the client-side limit, not the refresh, sets their pace.
    aws = replace(config.aws, read_timeout=5.0, max_attempts=3, log_requests_per_second=5.0)
    config = replace(config, aws=aws, ui=replace(config.ui, log_buffer_lines=1000))
    app = real_app(config, demo=demo_world, database=DATABASE_INTERVAL_S / SPEED, identity=IDENTITY_INTERVAL_S / SPEED)
    process = psutil.Process()
    samples: list[Sample] = []
    scenarios = list(SCENARIOS)
    async with app.run_test(size=(160, 48)) as pilot:
        await asyncio.wait_for(app.poller.refresh_now(wait=True), 60)
        polls_before = completed(app)
        started = next_switch = time.monotonic()
        switches = 0
        while time.monotonic() - started < SOAK_SECONDS:
            await asyncio.sleep(SAMPLE_EVERY_S)
            assert app.is_running
            samples.append(sample(process, started))
            if time.monotonic() >= next_switch:
                switches += 1
                app.switch_scenario(scenarios[switches % len(scenarios)])
                next_switch += SWITCH_EVERY_S
        await pilot.pause()
        polls = {n: completed(app)[n] - polls_before[n] for n in SOURCES}
    await asyncio.to_thread(demo_world.set_scenario, "healthy")

    warm = [s for s in samples if s.at >= SOAK_SECONDS * WARM_UP_FRACTION]
    third = max(1, len(warm) // 3)
    first, last = warm[:third], warm[-third:]
    rss_growth = median(s.rss_mib for s in last) - median(s.rss_mib for s in first)
    log_hours = polls["logs"] * defaults.logs_seconds / 3600  # what the polls done would take at the default refresh
    print(
        f"\nsoak: {SOAK_SECONDS:.0f}s = {log_hours:.1f} h of log polling at the default refresh, {switches} scenario switches,"
        f" polls {polls}; RSS {samples[0].rss_mib:.1f} → {first[0].rss_mib:.1f} (warm) → {last[-1].rss_mib:.1f} MiB"
        f" (growth after warm-up {rss_growth:+.1f} MiB); fds {max(s.fds for s in first)} → {max(s.fds for s in last)};"
        f" tasks {max(s.tasks for s in first)} → {max(s.tasks for s in last)};"
        f" threads {max(s.threads for s in first)} → {max(s.threads for s in last)}"
    )
    assert all(count > 0 for count in polls.values()), polls
    # It kept polling (a floor, even on a loaded machine): the tail's pace is its refresh or, at 100x, its half of
    # the log limit (the errors scan takes the rest).
    tail_rate = min(1 / refresh.logs_seconds, aws.log_requests_per_second / 2)
    assert polls["logs"] >= SOAK_SECONDS * tail_rate / 30, polls
    assert rss_growth <= RSS_GROWTH_LIMIT_MIB, [round(s.rss_mib, 1) for s in samples]
    # Growth is what a leak leaves: the last third's typical count (its median) above the first third's peak.
    # A single sample with one more poll or worker in flight is not growth.
    assert median(s.fds for s in last) <= max(s.fds for s in first), [s.fds for s in samples]
    assert median(s.tasks for s in last) <= max(s.tasks for s in first), [s.tasks for s in samples]
    assert median(s.threads for s in last) <= max(s.threads for s in first), [s.threads for s in samples]
