"""The app headless on the real gateway through 10,000+ faulty AWS calls, injected at the client's HTTP layer.

It never crashes, no source hangs, every affected panel says STALE with the reason and age while the
healthy source keeps updating, and every panel is fresh after the first poll once faults stop. The counts
of faults by kind are printed (README: "Proof").

The faults are the fault proxy's, injected inside the client by ``FaultInjector`` (botocore's
``before-send``: the same plan, answers and counts; botocore parses and classifies them as from the wire),
so the event loop spends the run on the app, not on loopback round trips and a proxy thread holding the GIL;
tests/proof/test_fault_kinds.py proves every kind ends in the same failure through the proxy's socket and
in process. New keys without a restart: test_key_rotation.py; backoff within the quotas: test_backoff.py.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import textual.screen

from kojan_tui.core.errors import FailureKind
from kojan_tui.demo import faults
from kojan_tui.demo.faults import FaultCounts, FaultPlan
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.dashboard import DashboardScreen
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from tests.proof.helpers import FAST, FAST_FIXED, SOURCES, completed, fast_config, real_app, stale_text
from tests.proof.panels import overdue_text, stale_problems

TARGET_FAULTS = 10_000
FAULT_RATE = 0.9
THROTTLING_STRETCH_S = 10.0
VOLUME_KINDS = (
    *[k for k in faults.ALL_RANDOM_KINDS if k not in (faults.THROTTLE_400, faults.THROTTLE_429, faults.SLOW)] * 3,
    faults.SLOW,
)
HEALTHY = frozenset({"DescribeServices", "DescribeTaskDefinition"})  # the service panel's calls never fail
FAULTED = frozenset({"GetCallerIdentity", "GetMetricData", "DescribeDBInstances", "FilterLogEvents"})
CHECK_EVERY_S = 0.2
PROGRESS_WINDOW_S = 10.0  # every source must finish at least one poll in every such window
GUARD_S = 900.0  # a hang guard only
LATE_ANSWERS_ALLOWED = 3  # per source, after the faults stop: polls a loaded machine answered past the read timeout


@dataclass
class FaultRun:
    """What one stretch of faults showed: stale reasons per source, service updates, samples, problems."""

    stale_seen: dict[str, set[str]] = field(default_factory=lambda: {name: set() for name in SOURCES})
    service_updates: int = 0
    samples: int = 0
    checks: int = 0  # dashboard updates checked while faults were on
    shown: Counter[str] = field(default_factory=Counter)  # what stale_problems saw shown (partial answers…)
    problems: list[str] = field(default_factory=list)


async def run_faults(app: KojanApp, injector: FaultCounts, plan: FaultPlan, done: Callable[[], bool], run: FaultRun) -> None:
    """Faults per ``plan`` until ``done()``; every 0.2 s check the panels, every 10 s that every source polled."""
    injector.plan = plan
    started = window_start = time.monotonic()
    window_counts = completed(app)
    while not done():
        assert time.monotonic() - started < GUARD_S, f"only {injector.total_faults} faults in {GUARD_S:.0f}s"
        before_service = app.poller.freshness("service").last_success
        await asyncio.sleep(CHECK_EVERY_S)
        assert app.is_running
        run.samples += 1
        for name in SOURCES:
            if app.poller.freshness(name).stale:
                run.stale_seen[name].add(app.poller.freshness(name).failure_reason)
        run.service_updates += app.poller.freshness("service").last_success != before_service
        if time.monotonic() - window_start >= PROGRESS_WINDOW_S:
            now_counts = completed(app)
            hung = [n for n in SOURCES if now_counts[n] <= window_counts[n]]
            assert not hung, f"no poll finished in {PROGRESS_WINDOW_S:.0f}s: {hung}"
            window_start, window_counts = time.monotonic(), now_counts


async def test_ten_thousand_faulty_calls_never_crash_hang_or_lie_and_all_recovers(fault_injector, demo_world, monkeypatch):
    # Refreshes 400x (logs) to 12,000x (errors) faster than the defaults, frames 60x slower than Textual's
    # 60/s (one a second): the event loop goes to polls and to the dashboard taking in their outcomes (each
    # checked), as in real use; at 4 frames/s drawing took ~40 % of it and the 10,000 faults came ~20 % slower.
    # Polls wait 5 ms between them, not 20: the faults come as fast as the loop can answer them.
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 1.0)
    config = fast_config(demo_world.endpoint_url, FAST)
    # Every fault reaches the app, none is retried away; the log reads may take the account's whole quota here
    # (the client-side limit still spaces them: tests/proof/test_quotas.py proves the default share).
    config = replace(config, aws=replace(config.aws, max_attempts=1, log_requests_per_second=5.0))
    app = real_app(config, **FAST_FIXED)
    internal_errors: list[str] = []
    app.poller.on_internal_error = lambda name, error: internal_errors.append(f"{name}: {error!r}")
    run = FaultRun()
    show_all = DashboardScreen.show_all

    def show_all_and_check(screen: DashboardScreen) -> None:
        """The dashboard re-reads every source when a poll's outcome reaches it (``data_updated``, delivered
        through the screen's message queue): right then, every panel must agree with every source."""
        show_all(screen)
        if fault_injector.plan.rate:
            run.checks += 1
            run.problems += stale_problems(app, run.shown)

    monkeypatch.setattr(DashboardScreen, "show_all", show_all_and_check)
    async with app.run_test(size=(160, 48)) as pilot:
        await asyncio.wait_for(app.poller.refresh_now(wait=True), 30)
        await pilot.pause()
        assert all(not app.poller.freshness(n).stale for n in SOURCES), {n: stale_text(app, n) for n in SOURCES}
        fault_injector.reset_counts()
        started = time.monotonic()

        # Every kind, throttling included: botocore's adaptive rate limiter then slows each throttled
        # client to a few calls a second, so this stretch is short ...
        throttling_until = time.monotonic() + THROTTLING_STRETCH_S
        every_kind = FaultPlan(rate=FAULT_RATE, operations=FAULTED, slow_seconds=0.6, seed=15)
        await run_faults(app, fault_injector, every_kind, lambda: time.monotonic() >= throttling_until, run)
        # ... and the bulk of the 10,000 are the kinds that fail fast (slow answers a few of them).
        fast_kinds = FaultPlan(rate=FAULT_RATE, operations=FAULTED, kinds=VOLUME_KINDS, slow_seconds=0.6, seed=16)
        await run_faults(app, fault_injector, fast_kinds, lambda: fault_injector.total_faults >= TARGET_FAULTS, run)
        fault_seconds = time.monotonic() - started

        assert not run.problems, run.problems[:5]
        assert run.checks >= run.samples, (run.checks, run.samples)  # the dashboard kept taking in outcomes
        assert not internal_errors, internal_errors[:5]
        for name in ("identity", "metrics", "database", "errors", "logs"):
            assert run.stale_seen[name], f"{name} was never stale under {FAULT_RATE:.0%} faults"
        # its calls were never faulted (on an overloaded machine the poller's own deadline may cut one) ...
        assert run.stale_seen["service"] <= {FailureKind.TIMEOUT.value}, run.stale_seen["service"]
        expected_updates = run.samples * CHECK_EVERY_S / FAST.service_seconds
        assert run.service_updates >= expected_updates / 2, (run.service_updates, expected_updates)  # ... and kept updating
        every_reason = set().union(*run.stale_seen.values())
        expected = {FailureKind.THROTTLED, FailureKind.UNAVAILABLE, FailureKind.TIMEOUT, FailureKind.CREDENTIALS}
        assert {kind.value for kind in expected} <= every_reason, every_reason
        assert set(faults.ALL_RANDOM_KINDS) <= set(fault_injector.faults), fault_injector.faults
        assert run.shown["metric panel: partial answer shown"], run.shown  # PartialData did reach the panels

        # --- faults stop: the first poll each source starts afterwards brings it back ---
        # (A healthy AWS can still answer a poll later than the 0.3 s read timeout on a loaded machine: such a
        # poll is a timeout of this machine, not a fault, and the source's next poll is the one that must bring it
        # back; at most LATE_ANSWERS_ALLOWED of them, each counted and printed. Any other failure fails the test.)
        fault_injector.plan = FaultPlan()
        stopped = time.monotonic()
        targets = {n: s.completed + (2 if s.in_flight else 1) for n, s in app.poller.sources.items()}
        recovered_after: dict[str, float] = {}
        late_answers: Counter[str] = Counter()
        while len(recovered_after) < len(SOURCES):
            assert time.monotonic() - stopped < 60, f"no poll after the faults stopped: {set(SOURCES) - set(recovered_after)}"
            await asyncio.sleep(0.02)
            for name in SOURCES:
                if name not in recovered_after and app.poller.sources[name].completed >= targets[name]:
                    freshness = app.poller.freshness(name)
                    if freshness.stale and freshness.failure_kind is FailureKind.TIMEOUT:
                        late_answers[name] += 1
                        assert late_answers[name] <= LATE_ANSWERS_ALLOWED, (name, stale_text(app, name), late_answers)
                        targets[name] += 1
                        continue
                    assert not freshness.stale, (name, stale_text(app, name))
                    recovered_after[name] = time.monotonic() - stopped
        await pilot.pause()
        assert stale_problems(app) == []
        assert all(w.stale_text is None or overdue_text(w.stale_text) for w in app.screen.query(MetricPanel))

    total_calls = sum(fault_injector.requests.values())
    slowest = max(recovered_after, key=recovered_after.__getitem__)
    print(
        f"\nfault run: {fault_injector.total_faults} faults in {total_calls} calls over {fault_seconds:.0f}s"
        f" ({faults.summary(fault_injector.faults)}); stale reasons seen: {', '.join(sorted(every_reason))};"
        f" every source fresh {recovered_after[slowest]:.2f}s after the faults stopped (last: {slowest};"
        f" polls answered past the read timeout on the way: {dict(late_answers) or 'none'});"
        f" {run.checks} dashboard updates checked; of which {dict(run.shown)}"
    )
