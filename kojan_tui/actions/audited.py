"""``AuditedActions``: every mutation the app can make, recorded before it is sent and after it answered.
Only ``kojan_tui.actions.lifecycle`` calls it (plan, guard, read back, watch and final record live there).

Order of records for one request: ``requested`` (the user opened the confirmation), ``confirmed`` (the
attempt, written BEFORE the call: if that write fails, nothing is sent), then ``succeeded`` / ``failed`` /
``refused`` / ``unknown`` (the request may have reached AWS; ``outcome_unknown`` says when). If the audit write fails after a successful call, the outcome says "done, audit failed", so
nobody deploys twice. The gateway's own read-only refusal stays as the backstop. Each record written locally
is then offered to the optional CloudWatch Logs copy (``audit_copy.AuditCopy``), which never delays or fails
the action.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from kojan_tui.actions.audit_copy import AuditCopy
from kojan_tui.aws.protocol import EcsApi, IdentityApi, LogsApi, RdsApi
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import ServiceSnapshot

T = TypeVar("T")
IDENTITY_TTL_S = 300.0  # the caller identity in records is asked again after this (a re-login, another role)


class DeployGateway(EcsApi, IdentityApi, RdsApi, LogsApi, Protocol):
    pass


@dataclass(frozen=True)
class DeployRequest:
    """One UpdateService: a rollback (``task_definition`` set) or a forced new deployment."""

    cluster: str
    service: str
    action: str  # "rollback" | "force-new-deployment" | a runbook/checklist action name
    task_definition: str | None = None
    force_new_deployment: bool = False
    before_task_definition: str | None = None  # what runs now, for the record
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    before_deployment: str | None = None  # the PRIMARY deployment before the call (a forced one reads back by it)

    @property
    def target(self) -> str:
        return f"{self.cluster}/{self.service}"

    def api_request(self) -> dict[str, Any]:
        """The exact UpdateService parameters (the dry run shows these)."""
        params: dict[str, Any] = {
            "cluster": self.cluster,
            "service": self.service,
            "forceNewDeployment": self.force_new_deployment,
        }
        if self.task_definition:
            params["taskDefinition"] = self.task_definition
        return params

    def details(self) -> dict[str, Any]:
        return {
            "request_id": self.id,
            "task_definition_before": self.before_task_definition,
            "deployment_before": self.before_deployment,
            "task_definition": self.task_definition,
            "force_new_deployment": self.force_new_deployment,
        }


@dataclass(frozen=True)
class ParameterChangeRequest:
    """One ModifyDBParameterGroup of one parameter (S10: turn the slow query log on)."""

    group: str
    name: str
    value: str
    action: str = "modify-db-parameter"
    before: str | None = None  # the value now, for the record
    apply_method: str = "immediate"
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def target(self) -> str:
        return f"db-parameter-group/{self.group}"

    def api_request(self) -> dict[str, Any]:
        return {
            "DBParameterGroupName": self.group,
            "Parameters": [{"ParameterName": self.name, "ParameterValue": self.value, "ApplyMethod": self.apply_method}],
        }

    def details(self) -> dict[str, Any]:
        return {"request_id": self.id, "parameter": self.name, "value_before": self.before, "value": self.value}


@dataclass(frozen=True)
class ExportRequest:
    """One CreateExportTask (S27: archive last month's logs to the archive bucket)."""

    log_group: str
    bucket: str
    prefix: str
    from_ms: int
    to_ms: int
    task_name: str
    action: str = "archive-logs"
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def target(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def api_request(self) -> dict[str, Any]:
        return {
            "taskName": self.task_name,
            "logGroupName": self.log_group,
            "fromTime": self.from_ms,
            "to": self.to_ms,
            "destination": self.bucket,
            "destinationPrefix": self.prefix,
        }

    def details(self) -> dict[str, Any]:
        return {"request_id": self.id, **self.api_request()}


@dataclass(frozen=True)
class ExportOutcome:
    request: ExportRequest
    task_id: str | None = None  # None: not started
    failure: AwsFailure | None = None
    audit_error: str | None = None
    unknown: bool = False  # sent, but no readable answer came back: AWS may have started it
    resolved: str | None = None  # the answer was lost; what reading the state back found

    @property
    def done(self) -> bool:
        return self.task_id is not None

    @property
    def summary(self) -> str:
        if self.resolved is not None:
            return ("done" if self.done else "not done") + f" — {self.resolved}"
        if self.unknown:
            return f"outcome unknown ({self.failure}): AWS may have started it — the state is being read back"
        if self.done:
            base = f"export task {self.task_id} started"
            return base + (f" (audit failed: {self.audit_error})" if self.audit_error else "")
        return f"not done: {self.failure}" if self.failure else "not done"


@dataclass(frozen=True)
class ParameterOutcome:
    request: ParameterChangeRequest
    value_after: str | None = None
    done: bool = False
    failure: AwsFailure | None = None
    audit_error: str | None = None
    unknown: bool = False  # sent, but no readable answer: AWS may have applied it
    resolved: str | None = None  # the answer was lost; what reading the state back found

    @property
    def summary(self) -> str:
        if self.resolved is not None:
            return ("done" if self.done else "not done") + f" — {self.resolved}"
        if self.done:
            base = f"done: {self.request.name} = {self.value_after}"
            return base + (f" (audit failed: {self.audit_error})" if self.audit_error else "")
        if self.unknown:
            return f"outcome unknown ({self.failure}): AWS may have applied it — the parameter is being read back"
        return f"not done: {self.failure}" if self.failure else "not done"


@dataclass(frozen=True)
class DeployOutcome:
    request: DeployRequest
    snapshot: ServiceSnapshot | None = None  # what UpdateService answered (None: not done)
    failure: AwsFailure | None = None
    audit_error: str | None = None  # set when the call was made but the record of it could not be written
    unknown: bool = False  # sent, but no readable answer came back: AWS may have applied it
    resolved: str | None = None  # the answer was lost; what reading the state back found

    @property
    def done(self) -> bool:
        return self.snapshot is not None

    @property
    def summary(self) -> str:
        if self.resolved is not None:
            return ("done" if self.done else "not done") + f" — {self.resolved}"
        if self.unknown:
            return f"outcome unknown ({self.failure}): AWS may have applied it — the service is being read back"
        if self.done:
            return "done, audit failed: " + self.audit_error if self.audit_error else "done"
        return f"not done: {self.failure}" if self.failure else "not done"


# Failures that prove the request was refused before it took effect: AWS answered with a 4xx error code, or
# it never left (``AwsFailure.not_sent``). Anything else after the request may have left is UNKNOWN.
REFUSED_KINDS = {
    FailureKind.THROTTLED,
    FailureKind.ACCESS_DENIED,
    FailureKind.NOT_FOUND,
    FailureKind.CREDENTIALS,
    FailureKind.INVALID_REQUEST,
    FailureKind.READ_ONLY,
}


AuditedRequest = DeployRequest | ParameterChangeRequest | ExportRequest


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """What one audited call came to (each action turns it into its own outcome)."""

    result: T | None = None  # None: not done
    failure: AwsFailure | None = None
    audit_error: str | None = None
    unknown: bool = False


def outcome_unknown(failure: AwsFailure) -> bool:
    """True when a mutation may have reached AWS although no answer could be read: a reset after the send, a
    5xx, an answer that does not parse, a read timeout. Only a refusal (4xx error code) or a request that never
    left is "not done". An unknown outcome is never retried: ``kojan_tui.actions.lifecycle`` reads it back."""
    if failure.not_sent or failure.code == "ConnectTimeoutError":
        return False
    return failure.kind not in REFUSED_KINDS


class AuditedActions:
    def __init__(
        self,
        gateway: DeployGateway,
        audit: AuditTrail,
        *,
        read_only: bool = False,
        profile: str | None = None,
        region: str | None = None,
        copy: AuditCopy | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.gateway = gateway
        self._monotonic = monotonic
        self.where = {"profile": profile, "region": region}  # written into every record
        self.audit = audit
        self.read_only = read_only or getattr(gateway, "read_only", False)
        self._identity_arn: str | None = None
        self._identity_at = float("-inf")
        self.copy = None if self.read_only else copy  # nothing is written to AWS in read-only mode

    async def identity_arn(self) -> str | None:
        """Who is calling now: asked of STS at most every ``IDENTITY_TTL_S`` (never for the process's life).
        When STS cannot answer, the last known identity is kept (better than none in a record)."""
        now = self._monotonic()
        if self._identity_arn is None or now - self._identity_at >= IDENTITY_TTL_S:
            try:
                self._identity_arn = (await self.gateway.caller_identity()).arn
                self._identity_at = now
            except AwsFailure:
                pass
        return self._identity_arn

    async def record(self, request: AuditedRequest, outcome: str, **extra: Any) -> None:
        """Append one record of ``request`` (raises OSError when the trail cannot be written), then offer it
        to the CloudWatch Logs copy when there is one."""
        entry = self.audit.record(
            request.action, request.target, outcome, await self.identity_arn(), {**self.where, **request.details(), **extra}
        )
        if self.copy is not None:
            self.copy.offer(entry)

    async def request(self, request: AuditedRequest) -> None:
        """The user opened the confirmation for ``request`` (best effort: nothing is sent yet)."""
        try:
            await self.record(request, "requested")
        except OSError:
            pass

    async def record_quietly(self, request: AuditedRequest, outcome: str, **extra: Any) -> None:
        """A record whose loss changes nothing that follows (the outcome is returned either way)."""
        try:
            await self.record(request, outcome, **extra)
        except OSError:
            pass

    async def _attempt(
        self, request: AuditedRequest, operation: str, call: Callable[[], Awaitable[T]], succeeded: Callable[[T], dict[str, Any]]
    ) -> Attempt[T]:
        """The one way a mutation runs: refused when read-only, ``confirmed`` written before the call (never
        sent unrecorded), then ``succeeded`` / ``failed: …`` / ``unknown: …`` after it."""
        if self.read_only:
            await self.record_quietly(request, "refused: read-only")
            return Attempt(
                failure=AwsFailure(FailureKind.READ_ONLY, "refused: the app is in read-only mode", operation=operation)
            )
        try:
            await self.record(request, "confirmed")
        except OSError as error:
            return Attempt(
                failure=AwsFailure(FailureKind.INVALID_REQUEST, f"not sent: the audit trail cannot be written ({error})")
            )
        try:
            result = await call()
        except AwsFailure as failure:
            unknown = outcome_unknown(failure)
            outcome = f"unknown: {failure.kind.value}" if unknown else f"failed: {failure.kind.value}"
            await self.record_quietly(request, outcome, code=failure.code, message=failure.message)
            return Attempt(failure=failure, unknown=unknown)
        try:
            await self.record(request, "succeeded", **succeeded(result))
        except OSError as error:
            return Attempt(result, audit_error=str(error))
        return Attempt(result)

    async def update_service(self, request: DeployRequest) -> DeployOutcome:
        """Execute a confirmed ``request``: refused when read-only, never sent unrecorded."""

        def succeeded(snapshot: ServiceSnapshot) -> dict[str, Any]:
            primary = snapshot.primary
            return {"task_definition_after": snapshot.task_definition, "deployment": primary.id if primary else None}

        attempt = await self._attempt(
            request,
            "UpdateService",
            lambda: self.gateway.update_service(
                request.cluster,
                request.service,
                task_definition=request.task_definition,
                force_new_deployment=request.force_new_deployment,
            ),
            succeeded,
        )
        return DeployOutcome(request, attempt.result, attempt.failure, attempt.audit_error, attempt.unknown)

    async def modify_db_parameter(self, request: ParameterChangeRequest) -> ParameterOutcome:
        """Execute a confirmed parameter change: refused when read-only, never sent unrecorded."""
        attempt = await self._attempt(
            request,
            "ModifyDBParameterGroup",
            lambda: self.gateway.modify_db_parameter(
                request.group, request.name, request.value, apply_method=request.apply_method
            ),
            lambda parameter: {"value_after": parameter.value},
        )
        value = attempt.result.value if attempt.result is not None else None
        return ParameterOutcome(request, value, attempt.result is not None, attempt.failure, attempt.audit_error, attempt.unknown)

    async def export_logs(self, request: ExportRequest) -> ExportOutcome:
        """Start a confirmed log export (S27): refused when read-only, never sent unrecorded."""
        attempt = await self._attempt(
            request,
            "CreateExportTask",
            lambda: self.gateway.create_export_task(
                request.log_group,
                bucket=request.bucket,
                prefix=request.prefix,
                from_ms=request.from_ms,
                to_ms=request.to_ms,
                task_name=request.task_name,
            ),
            lambda task_id: {"task_id": task_id},
        )
        return ExportOutcome(request, attempt.result, attempt.failure, attempt.audit_error, attempt.unknown)
