"""One lifecycle per mutation: plan → confirm → send once → outcome → (read back) → watch → verify → final record.

``Lifecycles`` (one per app) hands out a ``MutationLifecycle`` per request. Screens and runbook steps only
``open`` one, ``cancel`` it or ``send`` it; the lifecycle writes every audit record, holds the "one rollout
at a time" guard, reads the state back when the answer was lost (UNKNOWN is an outcome, never "not done"),
starts the watch and writes the final record. Each step is saved to the ``MutationStore`` first, so the next
start finds what a crash, kill or quit left unfinished and resumes it (``resume``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any, Protocol

from kojan_tui.actions.audited import (
    AuditedActions,
    AuditedRequest,
    DeployOutcome,
    DeployRequest,
    ExportOutcome,
    ExportRequest,
    ParameterChangeRequest,
    ParameterOutcome,
)
from kojan_tui.actions.read_back import ReadBack, read_back
from kojan_tui.core.clock import Clock, utc_now
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.i18n import tr

Outcome = DeployOutcome | ParameterOutcome | ExportOutcome
READ_BACK_INTERVAL_S = 2.0  # between two read backs of an unknown outcome
READ_BACK_DEADLINE_S = 120.0  # then the outcome stays unknown (final record "unknown — AWS stopped answering")
READ_BACK_WAIT_S = 15.0  # how long ``send`` waits for the read back before it answers "unknown, still reading"
EXPORT_WATCH_TIMEOUT_S = 6 * 3600.0  # a month of logs can take a while; the export watch gives up (audited) after this
STOPPED_ANSWERING = "unknown — AWS stopped answering"


class Stage(str, Enum):
    REQUESTED = "requested"  # the confirmation is open; nothing sent
    SENDING = "sending"  # confirmed: the request may be out
    UNKNOWN = "unknown"  # sent, no readable answer: being read back
    WATCHING = "watching"  # done: the rollout or the export is watched to its end
    FINISHED = "finished"  # the final record is written

    @property
    def open(self) -> bool:
        return self is not Stage.FINISHED


@dataclass(frozen=True)
class MutationRecord:
    """What the store keeps of one lifecycle: enough to show it and resume it after a restart."""

    id: str
    kind: str  # "deploy" | "parameter" | "export"
    request: dict[str, Any]
    stage: Stage
    started_at: datetime
    updated_at: datetime
    sent_at: datetime | None = None
    final: str | None = None  # the final audit outcome once FINISHED
    watch: dict[str, Any] = field(default_factory=dict)  # e.g. {"task_id": ...} of a watched export


class MutationStore(Protocol):
    async def save(self, record: MutationRecord) -> None: ...

    async def unfinished(self) -> list[MutationRecord]: ...


class DeployWatch(Protocol):
    """The rollout watch (``kojan_tui.sources.rollout.RolloutWatch``): one at a time."""

    @property
    def active(self) -> bool: ...

    def start(self, request: DeployRequest, outcome: DeployOutcome) -> Any: ...


KINDS: dict[str, type] = {"deploy": DeployRequest, "parameter": ParameterChangeRequest, "export": ExportRequest}


def kind_of(request: AuditedRequest) -> str:
    return next(name for name, cls in KINDS.items() if isinstance(request, cls))


def request_fields(request: AuditedRequest) -> dict[str, Any]:
    return dict(vars(request))


def request_from(kind: str, fields: dict[str, Any]) -> AuditedRequest:
    return KINDS[kind](**fields)


BUSY_STAGES = (Stage.SENDING, Stage.UNKNOWN, Stage.WATCHING)


def words(language: str, ja: str, en: str) -> str:
    """The Japanese or the English of one line (kept only for the screens that still call it; new text goes
    through ``core.i18n.tr``, its Japanese in the catalog)."""
    return ja if language == "ja" else en


class MutationLifecycle:
    """One mutation. ``send`` is what a confirmation dialog runs; it returns the outcome (never raises for AWS)."""

    def __init__(self, owner: Lifecycles, request: AuditedRequest, record: MutationRecord) -> None:
        self.owner = owner
        self.request = request
        self.record = record
        self.outcome: Outcome | None = None
        self.export_watch: asyncio.Task[tuple[str, str]] | None = None  # S27: (status, message) at its end
        self._resolving: asyncio.Task[Outcome] | None = None
        self.ended = asyncio.Event()

    @property
    def stage(self) -> Stage:
        return self.record.stage

    @property
    def final(self) -> str | None:
        return self.record.final

    @property
    def describe(self) -> str:
        return f"{self.request.action} {self.request.target} ({self.stage.value})"

    # ---- the steps a screen takes ---------------------------------------------------------------

    async def cancel(self) -> None:
        """The dialog was cancelled: nothing was sent; the final record says so."""
        if self.stage is Stage.REQUESTED:
            await self._finish("cancelled")

    async def send(self) -> Outcome:
        """Send once (refused while another deployment runs, or read-only), then settle the outcome."""
        owner = self.owner
        if self.stage is not Stage.REQUESTED:
            if self.outcome is not None:
                return self.outcome
            return self._not_sent(self.final or self.stage.value)  # refused read-only, or cancelled
        if isinstance(self.request, DeployRequest) and (reason := owner.deploy_blocked(self)):
            await self._finish(f"refused: {reason}")
            return self._not_sent(reason)
        # from here this lifecycle holds the guard (set before any await: two sends cannot both pass it)
        self.record = replace(self.record, stage=Stage.SENDING, sent_at=owner.clock())
        if isinstance(self.request, DeployRequest) and self.request.before_deployment is None:
            self.request = await self._with_primary_before(self.request)
            self.record = replace(self.record, request=request_fields(self.request))
        await self._save()  # saved before the call: a kill from here on is found at the next start
        try:
            outcome = await self._call()
        except Exception as error:  # a bug after the request may have left: unknown, read back like a lost answer
            failure = AwsFailure(FailureKind.UNAVAILABLE, f"internal error: {type(error).__name__}: {error}")
            await owner.actions.record_quietly(self.request, "unknown: internal error", message=failure.message)
            outcome = replace(_outcome(self.request, failure=failure), unknown=True)
        return await self.settle(outcome)

    async def settle(self, outcome: Outcome) -> Outcome:
        """An answer (or the lack of one) to the request: finish, watch, or read the state back."""
        self.outcome = outcome
        if outcome.unknown:
            await self._save(stage=Stage.UNKNOWN)
            self._resolving = asyncio.get_running_loop().create_task(self._resolve())
            try:
                return await asyncio.wait_for(asyncio.shield(self._resolving), self.owner.read_back_wait_s)
            except TimeoutError:
                return outcome  # still unknown: the guard holds, the read back goes on
        if outcome.failure is not None and not outcome.done:  # refused or failed: the record is written
            await self._save(stage=Stage.FINISHED, final=_failure_outcome(outcome))
            return outcome
        await self._after_done(outcome)
        return outcome

    # ---- inside -------------------------------------------------------------------------------

    async def _call(self) -> Outcome:
        actions = self.owner.actions
        request = self.request
        if isinstance(request, DeployRequest):
            return await actions.update_service(request)
        if isinstance(request, ParameterChangeRequest):
            return await actions.modify_db_parameter(request)
        return await actions.export_logs(request)

    async def _with_primary_before(self, request: DeployRequest) -> DeployRequest:
        try:
            service = await self.owner.actions.gateway.describe_service(request.cluster, request.service)
        except AwsFailure:
            return request  # read back then falls back to the deployment's creation time
        primary = service.primary
        return replace(request, before_deployment=primary.id if primary else None)

    def _not_sent(self, reason: str) -> Outcome:
        failure = AwsFailure(FailureKind.INVALID_REQUEST, f"not sent: {reason}")
        return _outcome(self.request, failure=failure)

    async def _resolve(self) -> Outcome:
        """Read the state back until it says done or not done (or the deadline passes)."""
        owner = self.owner
        sent_at = self.record.sent_at or owner.clock()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + owner.read_back_deadline_s
        last = ReadBack(None, "not read yet")
        while True:
            last = await read_back(owner.actions.gateway, self.request, sent_at)
            if last.done is not None or loop.time() + owner.read_back_interval_s > deadline:
                break
            await asyncio.sleep(owner.read_back_interval_s)
        if last.done is None:
            await self._finish(STOPPED_ANSWERING, read_back=last.text)
            outcome = replace(self.outcome or _outcome(self.request), resolved=None, unknown=True)  # type: ignore[arg-type]
            self.outcome = outcome
            return outcome
        await owner.actions.record_quietly(
            self.request, "resolved: done" if last.done else "resolved: not done", read_back=last.text
        )
        outcome = _outcome(self.request, value=last.value if last.done else None, resolved=last.text)
        self.outcome = outcome
        if last.done:
            await self._after_done(outcome, "resolved: done")
        else:
            await self._save(stage=Stage.FINISHED, final="resolved: not done")
        owner.changed()
        return outcome

    async def _after_done(self, outcome: Outcome, final: str = "succeeded") -> None:
        """Done (answered, or read back): watch it when there is something to watch, else that was the end."""
        owner = self.owner
        if isinstance(outcome, DeployOutcome):
            if owner.deploy_watch is None:
                await self._save(stage=Stage.FINISHED, final=final)
                return
            await self._save(stage=Stage.WATCHING)
            owner.deploy_watch.start(outcome.request, outcome)
            return
        if isinstance(outcome, ExportOutcome) and outcome.task_id is not None:
            await self._save(stage=Stage.WATCHING, watch={"task_id": outcome.task_id})
            self.export_watch = asyncio.get_running_loop().create_task(self._watch_export(outcome.task_id))
            owner.tasks.add(self.export_watch)
            self.export_watch.add_done_callback(owner.tasks.discard)
            return
        await self._save(stage=Stage.FINISHED, final=final)

    async def _watch_export(self, task_id: str) -> tuple[str, str]:
        """Poll DescribeExportTasks until the task is COMPLETED / FAILED / CANCELLED (or the watch gives up),
        then write the final record. Owned by ``Lifecycles``: leaving a screen never cancels it."""
        owner = self.owner
        loop = asyncio.get_running_loop()
        deadline = loop.time() + owner.export_timeout_s
        status, message = "UNKNOWN", ""
        while True:
            try:
                task = await owner.actions.gateway.describe_export_task(task_id)
                status, message = task.status, task.message
                if task.done:
                    break
            except AwsFailure as failure:  # one failed poll is not the export failing: ask again
                message = str(failure)
            if loop.time() + owner.export_interval_s > deadline:
                status = f"{status} (watch timed out)"
                break
            await asyncio.sleep(owner.export_interval_s)
        await self._finish(f"export {status.lower()}", task_id=task_id, message=message)
        return status, message

    async def watch_ended(self, outcome: str, extra: dict[str, Any]) -> None:
        """The rollout watch's final record (verified, not verified, rollout failed, timed out, unknown…)."""
        await self._finish(outcome, **extra)

    async def _finish(self, final: str, **extra: Any) -> None:
        await self.owner.actions.record_quietly(self.request, final, **extra)
        await self._save(stage=Stage.FINISHED, final=final)

    async def _save(self, **changes: Any) -> None:
        self.record = replace(self.record, updated_at=self.owner.clock(), **changes)
        await self.owner.save(self)
        if self.record.stage is Stage.FINISHED:
            self.ended.set()

    async def wait(self) -> str:
        """Until the final record is written; returns it (a screen may stop waiting: the lifecycle goes on)."""
        await self.ended.wait()
        return self.final or ""


def _failure_outcome(outcome: Outcome) -> str:
    failure = outcome.failure
    assert failure is not None
    return "refused: read-only" if failure.kind.name == "READ_ONLY" else f"failed: {failure.kind.value}"


def _outcome(request: AuditedRequest, *, value: Any = None, failure: AwsFailure | None = None, resolved: str | None = None):
    if isinstance(request, DeployRequest):
        return DeployOutcome(request, value, failure, resolved=resolved)
    if isinstance(request, ParameterChangeRequest):
        return ParameterOutcome(request, getattr(value, "value", None), value is not None, failure, resolved=resolved)
    return ExportOutcome(request, value, failure, resolved=resolved)


class Lifecycles:
    """Every mutation of this app, from the confirmation to the final record; the guard; the resume."""

    def __init__(
        self,
        actions: AuditedActions,
        *,
        clock: Clock = utc_now,
        store: MutationStore | None = None,
        deploy_watch: DeployWatch | None = None,
        language: str = "en",
        export_interval_s: float = 5.0,
        export_timeout_s: float = EXPORT_WATCH_TIMEOUT_S,
        read_back_interval_s: float = READ_BACK_INTERVAL_S,
        read_back_deadline_s: float = READ_BACK_DEADLINE_S,
        read_back_wait_s: float = READ_BACK_WAIT_S,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.actions = actions
        self.clock = clock
        self.store = store
        self.deploy_watch = deploy_watch
        self.language = language
        self.export_interval_s = export_interval_s
        self.export_timeout_s = export_timeout_s
        self.read_back_interval_s = read_back_interval_s
        self.read_back_deadline_s = read_back_deadline_s
        self.read_back_wait_s = read_back_wait_s
        self.on_change = on_change
        self.lifecycles: dict[str, MutationLifecycle] = {}
        self.resumed: list[MutationLifecycle] = []  # what the last start found unfinished
        self.store_error: str | None = None
        self.tasks: set[asyncio.Task[Any]] = set()
        # team mode (presence): why not, while another console watches a rollout of this service; None: go ahead
        self.others_watching: Callable[[], str | None] | None = None

    @property
    def read_only(self) -> bool:
        return self.actions.read_only

    def unfinished(self) -> list[MutationLifecycle]:
        return [lc for lc in self.lifecycles.values() if lc.stage.open and lc.stage is not Stage.REQUESTED]

    def deploy_blocked(self, asking: MutationLifecycle | None = None) -> str | None:
        """Why no deployment may start now (one rollout at a time), or None."""
        watch = self.deploy_watch
        if watch is not None and watch.active:
            return tr("A rollout is still being watched: wait for it to end before starting another.", self.language)
        if self.others_watching is not None and (elsewhere := self.others_watching()):
            return elsewhere
        for lc in self.lifecycles.values():
            if lc is not asking and isinstance(lc.request, DeployRequest) and lc.stage in BUSY_STAGES:
                return tr("Another deployment ({action}) has not ended yet ({stage}): wait for it to end.", self.language).format(
                    action=lc.request.action, stage=lc.stage.value
                )
        return None

    async def open(self, request: AuditedRequest) -> MutationLifecycle:
        """The plan is shown and the confirmation opens: ``requested`` (or, read-only, the final ``refused``)."""
        now = self.clock()
        record = MutationRecord(request.id, kind_of(request), request_fields(request), Stage.REQUESTED, now, now)
        lifecycle = MutationLifecycle(self, request, record)
        self.lifecycles[request.id] = lifecycle
        await self.actions.record_quietly(request, "requested")
        if self.read_only:  # the plan is shown, disabled; the request ends here
            await lifecycle._finish("refused: read-only")
            return lifecycle
        await self.save(lifecycle)
        return lifecycle

    async def watch_ended(self, request: DeployRequest, outcome: str, extra: dict[str, Any]) -> None:
        """The rollout watch's final record: through the lifecycle that started it (or a bare record)."""
        lifecycle = self.lifecycles.get(request.id)
        if lifecycle is None:
            await self.actions.record(request, outcome, **extra)
            return
        await lifecycle.watch_ended(outcome, extra)

    async def save(self, lifecycle: MutationLifecycle) -> None:
        if self.store is not None:
            try:
                await self.store.save(lifecycle.record)
                self.store_error = None
            except Exception as error:  # the lifecycle goes on; the resume after a crash is what is lost
                self.store_error = f"{type(error).__name__}: {error}"
        self.changed()

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    async def resume(self) -> list[MutationLifecycle]:
        """At start: every lifecycle a crash, kill or quit left unfinished is shown, read back and settled:
        an unconfirmed one is closed as cancelled, a sent one is read back, a watched one is watched again."""
        if self.store is None:
            return []
        try:
            records = await self.store.unfinished()
        except Exception as error:
            self.store_error = f"{type(error).__name__}: {error}"
            return []
        resumed: list[MutationLifecycle] = []
        for record in records:
            request = request_from(record.kind, record.request)
            lifecycle = MutationLifecycle(self, request, record)
            self.lifecycles[request.id] = lifecycle
            resumed.append(lifecycle)
        self.resumed = resumed
        for lifecycle in resumed:
            task = asyncio.get_running_loop().create_task(self._settle_resumed(lifecycle))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        self.changed()
        return resumed

    async def _settle_resumed(self, lifecycle: MutationLifecycle) -> None:
        record = lifecycle.record
        if record.stage is Stage.REQUESTED:
            await lifecycle._finish("cancelled: the app ended before it was confirmed")
            return
        if record.stage in (Stage.SENDING, Stage.UNKNOWN):
            await self.actions.record_quietly(lifecycle.request, "unknown: the app ended before the answer")
            lifecycle.outcome = _outcome(lifecycle.request)
            await lifecycle._save(stage=Stage.UNKNOWN)
            lifecycle._resolving = asyncio.get_running_loop().create_task(lifecycle._resolve())
            with contextlib.suppress(Exception):
                await lifecycle._resolving
            return
        if record.stage is Stage.WATCHING:
            await self.actions.record_quietly(lifecycle.request, "watch resumed after a restart")
            if isinstance(lifecycle.request, ExportRequest) and record.watch.get("task_id"):
                outcome = ExportOutcome(lifecycle.request, str(record.watch["task_id"]))
                await lifecycle._after_done(outcome)
                return
            if isinstance(lifecycle.request, DeployRequest):
                back = await read_back(self.actions.gateway, lifecycle.request, record.sent_at or record.started_at)
                if self.deploy_watch is None or self.deploy_watch.active:
                    await lifecycle._finish("watch not resumed: another rollout is watched", read_back=back.text)
                elif back.value is None:
                    await lifecycle._finish(STOPPED_ANSWERING, read_back=back.text)
                else:
                    self.deploy_watch.start(lifecycle.request, DeployOutcome(lifecycle.request, back.value))

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
