"""Plain dataclasses the gateway returns and the rest of the app consumes.

Nothing here knows about AWS response dicts or Textual: the gateway converts responses into these,
the core reasons about them, the UI renders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CallerIdentity:
    account: str
    arn: str
    user_id: str


@dataclass(frozen=True)
class ServiceEvent:
    id: str
    created_at: datetime
    message: str


@dataclass(frozen=True)
class Deployment:
    id: str
    status: str  # PRIMARY | ACTIVE | INACTIVE
    task_definition: str  # full ARN as AWS reports it
    desired: int
    running: int
    pending: int
    rollout_state: str | None  # IN_PROGRESS | COMPLETED | FAILED (None when AWS gives none)
    rollout_reason: str | None
    created_at: datetime | None
    updated_at: datetime | None


@dataclass(frozen=True)
class ServiceSnapshot:
    cluster: str
    name: str
    status: str  # ACTIVE | DRAINING | INACTIVE
    desired: int
    running: int
    pending: int
    task_definition: str  # full ARN
    deployments: tuple[Deployment, ...] = ()
    events: tuple[ServiceEvent, ...] = ()  # newest first, as AWS returns them
    security_groups: tuple[str, ...] = ()  # networkConfiguration.awsvpcConfiguration.securityGroups

    @property
    def primary(self) -> Deployment | None:
        return next((d for d in self.deployments if d.status == "PRIMARY"), None)


@dataclass(frozen=True)
class ContainerDefinition:
    name: str
    image: str
    environment: tuple[tuple[str, str], ...] = ()
    secrets: tuple[tuple[str, str], ...] = ()  # (name, valueFrom): references, never values
    cpu: int | None = None  # CPU units (None: not set on the container)
    memory: int | None = None  # MiB, the hard limit (None: not set)
    ports: tuple[str, ...] = ()  # "8080/tcp" per port mapping
    health_check: str | None = None  # the command and its timings, as one line (None: no health check)
    log_group: str | None = None  # logConfiguration awslogs-group (None: not the awslogs driver, or no group)
    log_stream_prefix: str | None = None  # awslogs-stream-prefix: streams are <prefix>/<container name>/<task id>


@dataclass(frozen=True)
class TaskDefinition:
    arn: str
    family: str
    revision: int
    containers: tuple[ContainerDefinition, ...] = ()
    registered_at: datetime | None = None
    status: str = "ACTIVE"  # ACTIVE | INACTIVE (deregistered: existing tasks keep it, nothing new can use it)
    cpu: str | None = None  # the task's size, as AWS reports it ("512", "1 vCPU")
    memory: str | None = None


@dataclass(frozen=True)
class MetricQuery:
    """One series of a batched GetMetricData call."""

    id: str  # lowercase letters, digits and _; starts with a letter (GetMetricData's rule)
    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str  # Average | Maximum | Sum | p99 | ...
    period: int  # seconds
    label: str = ""


@dataclass(frozen=True)
class MetricSeries:
    id: str
    label: str
    timestamps: tuple[datetime, ...]  # oldest first
    values: tuple[float, ...]
    status: str = "Complete"  # Complete | PartialData | InternalError

    @property
    def latest(self) -> float | None:
        return self.values[-1] if self.values else None


@dataclass(frozen=True)
class LogEvent:
    event_id: str
    timestamp_ms: int
    stream: str
    message: str
    ingestion_ms: int = 0


@dataclass(frozen=True)
class LogCursor:
    """Where a log follow resumes: the newest timestamp seen and the ids already delivered at it.

    FilterLogEvents' start time is inclusive and many events can share a millisecond, so resuming
    from ``timestamp_ms`` and dropping ``seen_ids`` gives every event exactly once.
    """

    timestamp_ms: int
    seen_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LogPage:
    events: tuple[LogEvent, ...]
    cursor: LogCursor
    truncated: bool = False  # True when more pages were left for the next poll


class LogCount(int):
    """A count of log events that knows whether it is whole: ``complete`` is False when counting stopped at
    its page limit, so the number is only a lower bound (shown as ``≥ N (incomplete)``, never as OK)."""

    complete: bool

    def __new__(cls, value: int, complete: bool = True) -> LogCount:
        count = super().__new__(cls, value)
        count.complete = complete
        return count

    def __repr__(self) -> str:
        return f"LogCount({int(self)}, complete={self.complete})"

    # int has no __str__ of its own (object's calls __repr__): without these, f"{count}" printed the repr
    # ("LogCount(240, complete=True)") in checks, the S25 banner, timelines and exports. A person reads the number.
    def __str__(self) -> str:
        return str(int(self))

    def __format__(self, spec: str) -> str:
        return format(int(self), spec)


@dataclass(frozen=True)
class InsightsResult:
    status: str  # Complete | Failed | Cancelled | Timeout | Unknown
    rows: tuple[dict[str, str], ...] = ()
    records_matched: float = 0.0
    records_scanned: float = 0.0


@dataclass(frozen=True)
class ScalingActivity:
    activity_id: str
    description: str
    cause: str
    status: str
    start_time: datetime | None
    end_time: datetime | None = None


@dataclass(frozen=True)
class DbInstance:
    identifier: str
    status: str  # available | stopped | ...
    engine: str
    engine_version: str
    instance_class: str
    allocated_storage_gib: int
    parameter_groups: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()
    endpoint: str = ""  # address (empty while AWS gives none, e.g. creating)
    port: int | None = None
    multi_az: bool | None = None
    backup_window: str = ""  # PreferredBackupWindow, UTC "hh:mm-hh:mm"
    backup_retention_days: int | None = None  # 0: automated backups off
    latest_restorable_time: datetime | None = None
    maintenance_window: str = ""  # PreferredMaintenanceWindow, UTC "ddd:hh:mm-ddd:hh:mm"
    arn: str = ""
