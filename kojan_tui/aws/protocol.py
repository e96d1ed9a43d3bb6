"""The gateway contract: everything the app asks of AWS, as typed async calls, split by AWS service.

``AwsGateway`` (aiobotocore, real HTTP) and ``FakeGateway`` (in memory, for UI tests) both satisfy it.
Every method raises ``kojan_tui.core.errors.AwsFailure`` and nothing else on failure. Code that needs one
service only may depend on its part (``EcsApi``…); ``Gateway`` is all of them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from kojan_tui.core.archive import ExportTask
from kojan_tui.core.ecs_tasks import EcsTask, ServiceTasks, TaskArns
from kojan_tui.core.endpoints import EndpointSetting
from kojan_tui.core.livetail import LiveTailUpdate
from kojan_tui.core.log_terms import TermWindow
from kojan_tui.core.models import (
    CallerIdentity,
    DbInstance,
    InsightsResult,
    LogCount,
    LogCursor,
    LogPage,
    MetricQuery,
    MetricSeries,
    ScalingActivity,
    ServiceSnapshot,
    TaskDefinition,
)
from kojan_tui.core.resources import DbParameter, SecretLength, SecurityGroup, StoredObject
from kojan_tui.core.security_models import (
    EcrImage,
    ImageRef,
    PendingMaintenance,
    PolicyFinding,
    ScalableTarget,
    ScalingPolicy,
    SecretInfo,
)


class IdentityApi(Protocol):
    async def caller_identity(self) -> CallerIdentity: ...


class EcsApi(Protocol):
    read_only: bool

    async def describe_service(self, cluster: str, service: str) -> ServiceSnapshot: ...

    async def describe_task_definition(self, task_definition: str) -> TaskDefinition: ...

    async def list_task_definitions(self, family: str, *, status: str = "ACTIVE") -> list[str]:
        """ARNs of the family's revisions in ``status`` (ACTIVE | INACTIVE), newest first."""
        ...

    async def task_definition_history(self, family: str, *, limit: int = 10) -> list[TaskDefinition]:
        """The family's ``limit`` newest revisions, ACTIVE and INACTIVE (``status`` tells), newest first."""
        ...

    async def list_tasks(self, cluster: str, service: str, *, desired_status: str = "RUNNING", max_pages: int = 10) -> TaskArns:
        """The service's task ARNs with ``desired_status`` (RUNNING | STOPPED); ``complete`` False at the page limit."""
        ...

    async def describe_tasks(self, cluster: str, arns: Sequence[str]) -> list[EcsTask]:
        """The tasks, in DescribeTasks batches of 100 (no request for no ARN); unknown ones left out."""
        ...

    async def service_tasks(self, cluster: str, service: str, *, stopped: bool = True) -> ServiceTasks:
        """Running and (with ``stopped``) recently stopped tasks, each newest first."""
        ...

    async def update_service(
        self,
        cluster: str,
        service: str,
        *,
        task_definition: str | None = None,
        force_new_deployment: bool = False,
    ) -> ServiceSnapshot:
        """MUTATES production. Raises AwsFailure(READ_ONLY) when the gateway is read-only.

        Call it only through ``kojan_tui.actions`` (confirmation, audit trail)."""
        ...


class MetricsApi(Protocol):
    async def get_metric_data(self, queries: Sequence[MetricQuery], start: datetime, end: datetime) -> dict[str, MetricSeries]:
        """All queries in ONE GetMetricData call (paged by NextToken only), keyed by query id."""
        ...


class LiveTail(Protocol):
    """An open Live Tail session (``start_live_tail``): its updates until it ends or fails (AwsFailure)."""

    def __aiter__(self) -> AsyncIterator[LiveTailUpdate]: ...

    def close(self) -> None: ...


class LogsApi(Protocol):
    async def start_live_tail(self, log_group: str, *, pattern: str = "") -> LiveTail:
        """StartLiveTail, open once its sessionStart arrived. ACCESS_DENIED when the account does not allow it;
        INVALID_REQUEST for a pattern refused or an endpoint without Live Tail. Never retried: the caller reconnects."""
        ...

    async def filter_log_events(
        self,
        log_group: str,
        *,
        start_ms: int,
        end_ms: int | None = None,
        pattern: str = "",
        cursor: LogCursor | None = None,
        max_pages: int = 10,
        streams: Sequence[str] = (),
    ) -> LogPage:
        """Events from ``cursor`` (or ``start_ms``) on, oldest first, each exactly once across calls."""
        ...

    async def count_log_events(self, log_group: str, *, pattern: str, start_ms: int, end_ms: int) -> LogCount:
        """An int; ``.complete`` is False when counting stopped at its page limit (a lower bound)."""
        ...

    async def count_log_terms(self, log_group: str, *, windows: Mapping[str, TermWindow], end_ms: int) -> dict[str, LogCount]:
        """Each window's count (a literal term over [start, end_ms]) from one scan for any of the terms."""
        ...

    async def run_insights_query(
        self, log_group: str, query: str, *, start: datetime, end: datetime, timeout_s: float = 60.0
    ) -> InsightsResult: ...

    async def create_export_task(
        self, log_group: str, *, bucket: str, prefix: str, from_ms: int, to_ms: int, task_name: str
    ) -> str:
        """MUTATES (writes to ``bucket``). Raises AwsFailure(READ_ONLY) when read-only. Only through ``kojan_tui.actions``."""
        ...

    async def describe_export_tasks(self, *, status: str | None = None, limit: int = 50) -> list[ExportTask]:
        """The account's export tasks, newest first (S27: was last month archived?)."""
        ...

    async def describe_export_task(self, task_id: str) -> ExportTask: ...

    async def log_group_exists(self, log_group: str) -> bool:
        """Whether ``log_group`` exists (``--check`` asks it of the audit copy's group)."""
        ...

    async def put_log_events(self, log_group: str, stream: str, events: Sequence[tuple[int, str]]) -> None:
        """MUTATES: appends ``(timestamp ms, message)`` events, in order, to ``stream`` (created when missing;
        the group never is: NOT_FOUND when it does not exist). Sent once, never retried. Raises
        AwsFailure(READ_ONLY) when read-only. Only through ``kojan_tui.actions`` (the audit copy)."""
        ...


class RdsApi(Protocol):
    async def describe_db_instance(self, identifier: str) -> DbInstance: ...

    async def describe_db_parameter(self, group: str, name: str) -> DbParameter: ...

    async def pending_maintenance(self, identifier: str) -> list[PendingMaintenance]: ...

    async def modify_db_parameter(self, group: str, name: str, value: str, *, apply_method: str = "immediate") -> DbParameter:
        """MUTATES production. Raises AwsFailure(READ_ONLY) when read-only. Only through ``kojan_tui.actions``."""
        ...


class S3Api(Protocol):
    async def newest_objects(self, bucket: str, *, prefix: str = "", count: int = 5) -> list[StoredObject]: ...


class Ec2Api(Protocol):
    async def describe_security_groups(self, group_ids: Sequence[str]) -> list[SecurityGroup]: ...


class SecretsApi(Protocol):
    async def list_secrets(self, prefix: str) -> list[SecretInfo]:
        """Metadata of the secrets under ``prefix``, by name: never values."""
        ...

    async def secret_length(self, secret_id: str) -> SecretLength:
        """The secret's length and last change: never its value. The only call that reads one."""
        ...

    async def secret_version(self, secret_id: str) -> str | None:
        """The id of the secret's ``AWSCURRENT`` version (None: none has that stage): DescribeSecret, never a value."""
        ...


class EcrApi(Protocol):
    async def describe_image(self, image: ImageRef, *, top_findings: int = 10) -> EcrImage:
        """The image by digest or tag with its scan findings (scan_status NONE when never scanned)."""
        ...


class AccessAnalyzerApi(Protocol):
    async def validate_policy(self, document: str, *, policy_type: str = "IDENTITY_POLICY") -> list[PolicyFinding]:
        """UNAVAILABLE (\"this endpoint does not offer Access Analyzer\") where the endpoint lacks the API."""
        ...


class AutoscalingApi(Protocol):
    async def describe_scaling_activities(self, resource_id: str, *, max_results: int = 5) -> list[ScalingActivity]: ...

    async def describe_scalable_target(self, resource_id: str) -> ScalableTarget | None: ...

    async def describe_scaling_policies(self, resource_id: str) -> list[ScalingPolicy]: ...


class DynamoDbApi(Protocol):
    """The team's own table (team mode): plain Python items; a condition that did not hold answers
    False / None ("someone else was first"), never raises."""

    async def dynamodb_table_status(self, table: str) -> str: ...

    async def dynamodb_create_table(self, table: str) -> None:
        """On-demand, keys ``pk``/``sk`` (strings), TTL on ``expires_at``."""
        ...

    async def dynamodb_enable_ttl(self, table: str) -> None: ...

    async def dynamodb_put_item(
        self, table: str, item: dict[str, Any], *, condition: str | None = None, values: dict[str, Any] | None = None
    ) -> bool: ...

    async def dynamodb_update_item(
        self,
        table: str,
        key: dict[str, Any],
        update: str,
        *,
        condition: str | None = None,
        values: dict[str, Any] | None = None,
        names: dict[str, str] | None = None,
    ) -> dict[str, Any] | None: ...

    async def dynamodb_get_item(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None: ...

    async def dynamodb_query(self, table: str, pk: str, *, sk_prefix: str = "") -> list[dict[str, Any]]: ...


class FleetApi(Protocol):
    """Issue 26: batched reads for a fleet (not part of ``Gateway``: the single-service app never needs them)."""

    async def describe_services(self, cluster: str, services: Sequence[str]) -> dict[str, ServiceSnapshot]:
        """Up to 10 services of one cluster in one request: name -> snapshot (a missing one is left out)."""

    async def describe_db_instances(self, identifiers: Sequence[str]) -> dict[str, DbInstance]:
        """Up to 100 instances in one request: identifier -> instance (a missing one is left out)."""


class FleetGateway(MetricsApi, FleetApi, Protocol):
    """What one fleet poll needs."""


@runtime_checkable
class Gateway(
    IdentityApi,
    EcsApi,
    MetricsApi,
    LogsApi,
    RdsApi,
    AutoscalingApi,
    S3Api,
    Ec2Api,
    SecretsApi,
    EcrApi,
    AccessAnalyzerApi,
    DynamoDbApi,
    Protocol,
):
    read_only: bool

    def endpoint_settings(self) -> tuple[EndpointSetting, ...]: ...

    async def close(self) -> None: ...
