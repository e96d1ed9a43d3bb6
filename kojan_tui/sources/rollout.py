"""The rollout watch: after UpdateService, a poller source that follows the deployments to COMPLETED,
FAILED or the timeout, then runs the S29 checks over the settling time and writes the final audit record.

It lives on the app's poller, not on a screen: the engineer can leave the rollback screen and the watch
goes on; ``RolloutWatch.status`` (and ``line``) is what the dashboard and the screens show. It ends on its
own when DescribeServices keeps failing longer than ``[actions] silent_seconds`` ("unknown — AWS stopped
answering"), and ``cancel()`` ends it on request; both are audited and free the next rollback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from kojan_tui.actions.audited import DeployOutcome, DeployRequest
from kojan_tui.aws.protocol import Gateway
from kojan_tui.core.clock import Clock, epoch_ms
from kojan_tui.core.config import Config
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.i18n import N_, Phrase
from kojan_tui.core.models import ServiceEvent, ServiceSnapshot
from kojan_tui.core.post_deploy import (
    CheckVerdict,
    PostDeployCheck,
    all_passed,
    error_lines,
    metric_checks,
    target_health,
)
from kojan_tui.core.rollout import RolloutJudgement, RolloutPhase, RolloutTarget, judge_rollout
from kojan_tui.core.verdict import task_definition_label
from kojan_tui.sources.poller import Poller

SOURCE_NAME = "rollout"
ERROR_PATTERN = "ERROR"
MAX_EVENTS = 50  # new service events kept for the view
DATAPOINT_GRACE = timedelta(minutes=3)  # after settling, how long to wait for a first datapoint of a metric


class WatchPhase(str, Enum):
    ROLLING_OUT = "rolling out"
    CHECKING = "checking"  # COMPLETED; the S29 checks run over the settling time
    VERIFIED = "verified"  # COMPLETED and every check passed
    NOT_VERIFIED = "checks failed"  # COMPLETED but a check failed or could not be measured
    FAILED = "rollout failed"  # FAILED, rolled back by the circuit breaker, or replaced
    TIMED_OUT = "timed out"
    SILENT = "unknown — AWS stopped answering"  # DescribeServices failed for longer than the deadline
    CANCELLED = "watch cancelled"  # the engineer stopped watching (ECS goes on)

    @property
    def finished(self) -> bool:
        return self not in (WatchPhase.ROLLING_OUT, WatchPhase.CHECKING)

    @property
    def good(self) -> bool:
        return self is WatchPhase.VERIFIED


@dataclass(frozen=True)
class RolloutStatus:
    request: DeployRequest
    target: RolloutTarget
    phase: WatchPhase
    judgement: RolloutJudgement
    service: ServiceSnapshot | None = None
    new_events: tuple[ServiceEvent, ...] = ()  # newest first, since UpdateService
    checks: tuple[PostDeployCheck, ...] = ()
    completed_at: datetime | None = None
    settle_until: datetime | None = None
    error: str | None = None  # the newest failed poll, if any
    silent_since: datetime | None = None  # the first failed poll of the current run of failures

    @property
    def finished(self) -> bool:
        return self.phase.finished

    @property
    def label(self) -> str:
        what = Phrase(N_("force new deployment")) if self.request.task_definition is None else Phrase(N_("rollback"))
        return Phrase(N_("{what} → {target}"), what=what, target=task_definition_label(self.target.task_definition))

    def line(self, now: datetime) -> str:
        """One line for the dashboard: what, where it is, for how long (a ``Phrase``: shown in the UI language)."""
        elapsed = int((now - self.target.started_at).total_seconds())
        if self.phase is WatchPhase.CHECKING and self.settle_until is not None:
            left = max(0, int((self.settle_until - now).total_seconds()))
            return Phrase(N_("{label}: COMPLETED, S29 checks ({left} s of settling left)"), label=self.label, left=left)
        if self.phase is WatchPhase.ROLLING_OUT:
            return Phrase(N_("{label}: {reason} ({elapsed} s)"), label=self.label, reason=self.judgement.reason, elapsed=elapsed)
        passed = sum(c.verdict is CheckVerdict.PASS for c in self.checks)
        checks = Phrase(N_(", checks {passed}/{total} passed"), passed=passed, total=len(self.checks)) if self.checks else ""
        return Phrase(N_("{label}: {phase}{checks}"), label=self.label, phase=self.phase.value.upper(), checks=checks)

    def record(self) -> dict[str, Any]:
        return {
            "phase": self.phase.value,
            "last_error": self.error,
            "rollout": self.judgement.text,
            "verdicts": [c.record() for c in self.checks],
        }


StateProvider = Callable[[], Any]  # the newest published DashboardState (readings, metrics)
Recorder = Callable[[DeployRequest, str, dict[str, Any]], Awaitable[None]]


class RolloutWatch:
    """One watch at a time: ``start(request, outcome)`` after a successful UpdateService."""

    def __init__(
        self,
        gateway: Gateway,
        config: Config,
        poller: Poller,
        *,
        clock: Clock,
        state: StateProvider,
        record: Recorder,
        on_change: Callable[[RolloutStatus], None] | None = None,
    ) -> None:
        self.gateway = gateway
        self.config = config
        self.poller = poller
        self.clock = clock
        self.state = state
        self.record = record
        self.on_change = on_change
        self.status: RolloutStatus | None = None
        self._listeners: list[Callable[[RolloutStatus], None]] = []

    def subscribe(self, listener: Callable[[RolloutStatus], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    @property
    def active(self) -> bool:
        return self.status is not None and not self.status.finished

    def start(self, request: DeployRequest, outcome: DeployOutcome) -> RolloutStatus:
        """Follow the deployment UpdateService started (``outcome.snapshot``) until it ends, then check."""
        assert outcome.snapshot is not None, "only a request that was done can be watched"
        snapshot = outcome.snapshot
        primary = snapshot.primary
        # UpdateService answers with the deployment it started as PRIMARY: that one is followed (for a forced
        # deployment of the same revision, the old COMPLETED deployment must never count as done)
        target_td = request.task_definition or (primary.task_definition if primary else snapshot.task_definition)
        deployment_id = primary.id if primary is not None else None
        target = RolloutTarget(
            target_td,
            deployment_id,
            self.clock(),
            self.config.actions.rollout_timeout_seconds,
            created_at=primary.created_at if primary is not None else None,
        )
        status = RolloutStatus(
            request, target, WatchPhase.ROLLING_OUT, RolloutJudgement(RolloutPhase.IN_PROGRESS, "started"), snapshot
        )
        self._set(status)
        if SOURCE_NAME in self.poller.sources:
            self._schedule_unregister_then(lambda: self._register())
        else:
            self._register()
        return status

    def _register(self) -> None:
        self.poller.register(SOURCE_NAME, self.config.actions.watch_seconds, self._fetch, self._deliver)

    def _schedule_unregister_then(self, after: Callable[[], None] | None = None) -> None:
        async def go() -> None:
            await self.poller.unregister(SOURCE_NAME)
            if after is not None:
                after()

        asyncio.get_running_loop().create_task(go())

    # ---- one poll: I/O and the judgement; the final audit record is written here, before it shows ----

    def cancel(self) -> RolloutStatus | None:
        """Stop watching (ECS goes on): the final record says so and the next rollback is free."""
        status = self.status
        if status is None or status.finished:
            return None
        cancelled = replace(status, phase=WatchPhase.CANCELLED)
        self._set(cancelled)
        self._schedule_unregister_then(None)
        loop = asyncio.get_running_loop()
        loop.create_task(self._finish(cancelled))
        return cancelled

    async def _fetch(self) -> RolloutStatus | None:
        status = self.status
        if status is None or status.finished:
            return None
        service_cfg = self.config.service
        try:
            service = await self.gateway.describe_service(service_cfg.cluster, service_cfg.name)
        except AwsFailure as failure:
            now = self.clock()
            since = status.silent_since or now
            status = replace(status, error=f"{failure.kind.value}: {failure.message}", silent_since=since)
            if (now - since).total_seconds() >= self.config.actions.silent_seconds:
                return await self._finish(replace(status, phase=WatchPhase.SILENT))
            return status
        now = self.clock()
        if self.status is not None and self.status.finished:  # cancelled while the call was out
            return None
        status = replace(status, service=service, error=None, silent_since=None, new_events=self._new_events(service, status))
        if status.phase is WatchPhase.ROLLING_OUT:
            judgement = judge_rollout(service, status.target, now)
            status = replace(status, judgement=judgement)
            if judgement.phase is RolloutPhase.FAILED:
                return await self._finish(replace(status, phase=WatchPhase.FAILED))
            if judgement.phase is RolloutPhase.TIMED_OUT:
                return await self._finish(replace(status, phase=WatchPhase.TIMED_OUT))
            if judgement.phase is RolloutPhase.COMPLETED:
                settle = timedelta(seconds=self.config.actions.settling_seconds)
                status = replace(status, phase=WatchPhase.CHECKING, completed_at=now, settle_until=now + settle)
        if status.phase is WatchPhase.CHECKING:
            # settling: the PRIMARY deployment must still be ours (a circuit breaker or another deploy may replace it)
            judgement = judge_rollout(service, status.target, now)
            if judgement.phase is RolloutPhase.FAILED:
                return await self._finish(replace(status, judgement=judgement, phase=WatchPhase.FAILED))
            return await self._check(status, service, now)
        return status

    async def _check(self, status: RolloutStatus, service: ServiceSnapshot, now: datetime) -> RolloutStatus:
        assert status.completed_at is not None and status.settle_until is not None
        since = status.completed_at
        state = self.state()
        readings = state.view.readings if state is not None else {}
        healthy = state.data.metrics.get("healthy_hosts") if state is not None else None
        settled = now >= status.settle_until
        final = now >= status.settle_until + DATAPOINT_GRACE
        metrics = metric_checks(readings, since, final=final)
        pending = any(c.verdict is CheckVerdict.PENDING for c in metrics)
        if not settled or (pending and not final):
            checks = (target_health(service, healthy, since), *metrics)
            return replace(status, checks=checks)
        try:
            count = await self.gateway.count_log_events(
                self.config.service.log_group, pattern=ERROR_PATTERN, start_ms=epoch_ms(since), end_ms=epoch_ms(now)
            )
            errors = error_lines(int(count), since)
        except AwsFailure:
            errors = error_lines(None, since)
        checks = (target_health(service, healthy, since), errors, *metrics)
        phase = WatchPhase.VERIFIED if all_passed(checks) else WatchPhase.NOT_VERIFIED
        return await self._finish(replace(status, checks=checks, phase=phase))

    async def _finish(self, status: RolloutStatus) -> RolloutStatus:
        outcome = {
            WatchPhase.VERIFIED: "verified",
            WatchPhase.NOT_VERIFIED: "not verified",
            WatchPhase.FAILED: "rollout failed",
            WatchPhase.TIMED_OUT: "rollout timed out",
            WatchPhase.SILENT: "unknown — AWS stopped answering",
            WatchPhase.CANCELLED: "watch cancelled",
        }[status.phase]
        try:
            await self.record(status.request, outcome, status.record())
        except OSError as error:
            status = replace(status, error=f"the audit record could not be written: {error}")
        return status

    def _new_events(self, service: ServiceSnapshot, status: RolloutStatus) -> tuple[ServiceEvent, ...]:
        since = status.target.started_at - timedelta(seconds=1)
        return tuple(e for e in service.events if e.created_at >= since)[:MAX_EVENTS]

    def _deliver(self, status: RolloutStatus | None) -> None:
        if status is None or (self.status is not None and self.status.finished):
            return
        self._set(status)
        if status.finished:
            self._schedule_unregister_then(None)

    def _set(self, status: RolloutStatus) -> None:
        self.status = status
        if self.on_change is not None:
            self.on_change(status)
        for listener in list(self._listeners):
            listener(status)
