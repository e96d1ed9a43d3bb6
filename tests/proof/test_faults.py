"""The app headless on the real gateway through 10,000+ faulty AWS calls from the fault proxy.

It never crashes, no source hangs, every affected panel says STALE with the reason and age while the
healthy source keeps updating, every panel is fresh after the first poll once faults stop, and new keys
are picked up without a restart. The counts of faults by kind are printed (README: "Proof").
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import textual.screen

from kojan_tui.core.config import RefreshSettings
from kojan_tui.core.errors import FailureKind
from kojan_tui.core.readings import RDS_STORAGE, SERIES_OF
from kojan_tui.demo import faults
from kojan_tui.demo.faults import AWS_QUOTAS, FaultPlan
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.dashboard import DashboardScreen
from kojan_tui.ui.widgets.errors_panel import ErrorsPanel
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.proof.helpers import SOURCES, completed, fast_config, real_app

TARGET_FAULTS = 10_000
FAULT_RATE = 0.9
THROTTLING_STRETCH_S = 10.0
VOLUME_KINDS = (
    *[k for k in faults.ALL_RANDOM_KINDS if k not in (faults.THROTTLE_400, faults.THROTTLE_429, faults.SLOW)] * 3,
    faults.SLOW,
)
HEALTHY = frozenset({"DescribeServices", "DescribeTaskDefinition"})  # the service panel's calls never fail
FAULTED = frozenset({"GetCallerIdentity", "GetMetricData", "DescribeDBInstances", "FilterLogEvents"})
FAST = RefreshSettings(metrics_seconds=0.005, service_seconds=0.5, logs_seconds=0.005, errors_seconds=0.005)
FAST_FIXED = {"database": 0.005, "identity": 0.005}
CHECK_EVERY_S = 0.2
# A healthy source whose poll is overdue (often, at these intervals): past two intervals, or past one while it is
# queued behind the client's own request limit (then the operation is named).
WAITING = ("— waiting for AWS", "— waiting for the request limit (")


def overdue_text(text: str) -> bool:
    return any(marker in text for marker in WAITING) and text.startswith("STALE ")


PROGRESS_WINDOW_S = 10.0  # every source must finish at least one poll in every such window
GUARD_S = 900.0  # a hang guard only
LATE_ANSWERS_ALLOWED = 3  # per source, after the faults stop: polls a loaded machine answered past the read timeout


def stale_problems(app: KojanApp, shown: Counter[str] | None = None) -> list[str]:
    """Where a panel disagrees with the state the app published: a failed source's panels must say
    ``STALE <age> — <reason>``; a healthy one's say nothing (or ``waiting for AWS`` while a poll is overdue).

    The RDS storage panel (fed by metrics and database) shows the failing source's reason, the metrics'
    when both fail; the log pane shows a failure exactly while the logs source is stale (a poll cut off at
    its deadline included); a metric whose series AWS answered only in part (``PartialData``) says so.
    ``shown`` counts the checks of the last two kinds that had something to show.
    """
    shown = Counter() if shown is None else shown
    screen = app.screen
    state = app.state
    freshness = state.freshness

    def check(widget_name: str, shown_text: str | None, source: str, fallback: str | None = None) -> list[str]:
        expected = source if freshness[source].stale else fallback if fallback and freshness[fallback].stale else None
        if expected is None:
            fine = shown_text is None or overdue_text(shown_text)
            return [] if fine else [f"{widget_name}: shows {shown_text!r} while {source} is fresh"]
        reason = freshness[expected].failure_reason
        age_ok = shown_text is not None and shown_text.startswith("STALE ") and shown_text.split(" ")[1] not in ("", "—")
        if not (age_ok and shown_text.endswith(f"— {reason}")):
            return [f"{widget_name}: shows {shown_text!r}, {expected} failed: {reason}"]
        if fallback is not None and expected == fallback:
            shown["RDS storage panel: the database's own failure shown"] += 1
        return []

    problems = check("service panel", screen.query_one(ServicePanel).stale_text, "service")
    problems += check("errors panel", screen.query_one(ErrorsPanel).stale_text, "errors")
    for panel in screen.query(MetricPanel):
        problems += check(panel.spec.key, panel.stale_text, "metrics", "database" if panel.spec is RDS_STORAGE else None)
        statuses = {state.data.metrics[q].status for q in SERIES_OF[panel.spec.key] if q in state.data.metrics}
        if statuses - {"Complete"}:
            reading = panel.reading
            if (
                reading is None
                or not reading.partial
                or (reading.latest is not None and reading.partial not in reading.value_text)
            ):
                problems.append(
                    f"{panel.spec.key}: AWS answered {statuses} but the panel shows {reading and reading.value_text!r}"
                )
            else:
                shown["metric panel: partial answer shown"] += 1
    logs_stale = freshness["logs"].stale
    if (app.log_feed.last_failure is not None) != logs_stale:
        problems.append(
            f"log pane: failure line {app.log_feed.last_failure!r} while the logs source is {'stale' if logs_stale else 'fresh'}"
        )
    elif logs_stale and freshness["logs"].failure_kind is FailureKind.TIMEOUT:
        shown["log pane: a poll cut off at its deadline shown"] += 1
    return problems


def stale_text(app: KojanApp, name: str) -> str | None:
    return app.poller.freshness(name).stale_text(app.now())


@dataclass
class FaultRun:
    """What one stretch of faults showed: stale reasons per source, service updates, samples, problems."""

    stale_seen: dict[str, set[str]] = field(default_factory=lambda: {name: set() for name in SOURCES})
    service_updates: int = 0
    samples: int = 0
    checks: int = 0  # dashboard updates checked while faults were on
    shown: Counter[str] = field(default_factory=Counter)  # what stale_problems saw shown (partial answers…)
    problems: list[str] = field(default_factory=list)


async def run_faults(app: KojanApp, proxy, plan: FaultPlan, done: Callable[[], bool], run: FaultRun) -> None:
    """Faults per ``plan`` until ``done()``; every 0.2 s check the panels, every 10 s that every source polled."""
    proxy.plan = plan
    started = window_start = time.monotonic()
    window_counts = completed(app)
    while not done():
        assert time.monotonic() - started < GUARD_S, f"only {proxy.total_faults} faults in {GUARD_S:.0f}s"
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


async def test_ten_thousand_faulty_calls_never_crash_hang_or_lie_and_all_recovers(fault_proxy, monkeypatch):
    # Refreshes 400x (logs) to 12,000x (errors) faster than the defaults, frames 60x slower than Textual's
    # 60/s (one a second): the event loop goes to polls and to the dashboard taking in their outcomes (each
    # checked), as in real use; at 4 frames/s drawing took ~40 % of it and the 10,000 faults came ~20 % slower.
    # Polls wait 5 ms between them, not 20: the faults come as fast as the loop can answer them.
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 1.0)
    config = fast_config(fault_proxy.endpoint_url, FAST)
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
        if fault_proxy.plan.rate:
            run.checks += 1
            run.problems += stale_problems(app, run.shown)

    monkeypatch.setattr(DashboardScreen, "show_all", show_all_and_check)
    async with app.run_test(size=(160, 48)) as pilot:
        await asyncio.wait_for(app.poller.refresh_now(wait=True), 30)
        await pilot.pause()
        assert all(not app.poller.freshness(n).stale for n in SOURCES), {n: stale_text(app, n) for n in SOURCES}
        fault_proxy.reset_counts()
        started = time.monotonic()

        # Every kind, throttling included: botocore's adaptive rate limiter then slows each throttled
        # client to a few calls a second, so this stretch is short ...
        throttling_until = time.monotonic() + THROTTLING_STRETCH_S
        every_kind = FaultPlan(rate=FAULT_RATE, operations=FAULTED, slow_seconds=0.6, seed=15)
        await run_faults(app, fault_proxy, every_kind, lambda: time.monotonic() >= throttling_until, run)
        # ... and the bulk of the 10,000 are the kinds that fail fast (slow answers a few of them).
        fast_kinds = FaultPlan(rate=FAULT_RATE, operations=FAULTED, kinds=VOLUME_KINDS, slow_seconds=0.6, seed=16)
        await run_faults(app, fault_proxy, fast_kinds, lambda: fault_proxy.total_faults >= TARGET_FAULTS, run)
        fault_seconds = time.monotonic() - started

        assert not run.problems, run.problems[:5]
        assert run.checks >= run.samples, (run.checks, run.samples)  # the dashboard kept taking in outcomes
        assert not internal_errors, internal_errors[:5]
        for name in ("identity", "metrics", "database", "errors", "logs"):
            assert run.stale_seen[name], f"{name} was never stale under {FAULT_RATE:.0%} faults"
        # its calls never failed at the proxy (on an overloaded machine the poller's own deadline may cut one) ...
        assert run.stale_seen["service"] <= {FailureKind.TIMEOUT.value}, run.stale_seen["service"]
        expected_updates = run.samples * CHECK_EVERY_S / FAST.service_seconds
        assert run.service_updates >= expected_updates / 2, (run.service_updates, expected_updates)  # ... and kept updating
        every_reason = set().union(*run.stale_seen.values())
        expected = {FailureKind.THROTTLED, FailureKind.UNAVAILABLE, FailureKind.TIMEOUT, FailureKind.CREDENTIALS}
        assert {kind.value for kind in expected} <= every_reason, every_reason
        assert set(faults.ALL_RANDOM_KINDS) <= set(fault_proxy.faults), fault_proxy.faults
        assert run.shown["metric panel: partial answer shown"], run.shown  # PartialData did reach the panels

        # --- faults stop: the first poll each source starts afterwards brings it back ---
        # (A healthy AWS can still answer a poll later than the 0.3 s read timeout on a loaded machine: such a
        # poll is a timeout of this machine, not a fault, and the source's next poll is the one that must bring it
        # back; at most LATE_ANSWERS_ALLOWED of them, each counted and printed. Any other failure fails the test.)
        fault_proxy.plan = FaultPlan()
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

    total_calls = sum(fault_proxy.requests.values())
    slowest = max(recovered_after, key=recovered_after.__getitem__)
    print(
        f"\nfault run: {fault_proxy.total_faults} faults in {total_calls} calls over {fault_seconds:.0f}s"
        f" ({faults.summary(fault_proxy.faults)}); stale reasons seen: {', '.join(sorted(every_reason))};"
        f" every source fresh {recovered_after[slowest]:.2f}s after the faults stopped (last: {slowest};"
        f" polls answered past the read timeout on the way: {dict(late_answers) or 'none'});"
        f" {run.checks} dashboard updates checked; of which {dict(run.shown)}"
    )


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
        await asyncio.wait_for(app.poller.refresh_now(wait=True), 30)
        await pilot.pause()
        for name in SOURCES:
            assert app.poller.freshness(name).failure_kind is FailureKind.CREDENTIALS, (name, stale_text(app, name))
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
