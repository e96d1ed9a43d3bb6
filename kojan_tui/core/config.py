"""The configuration: its shape (frozen dataclasses) and loading it from TOML with clear errors.

Every other module receives a ``Config``; none reads files or the environment itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AwsSettings:
    region: str = "ap-northeast-1"
    profile: str | None = None  # None: the AWS default chain (AWS_PROFILE, env keys, SSO, ...)
    endpoint_url: str | None = None  # None: AWS itself (AWS_ENDPOINT_URL still honoured by botocore)
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_attempts: int = 5


@dataclass(frozen=True)
class ServiceSettings:
    cluster: str = "kojan-map-production"
    name: str = "kojan-map-business"
    task_family: str = "kojan-map-business"
    log_group: str = "/ecs/kojan-map-business"
    load_balancer: str = "app/kojan-map-alb/50dc6c495c0c9188"  # the ALB's CloudWatch dimension
    target_group: str = "targetgroup/kojan-map-business/73e2d6bc24d8a067"
    db_instance: str = "kojan-map-db"
    ecr_repository: str = "kojan-map/business"
    secret_prefix: str = "/kojan-map/business/"
    jwt_secret_id: str = "/kojan-map/business/jwt-secret"
    alb_log_bucket: str = "kojan-map-alb-logs"


@dataclass(frozen=True)
class RefreshSettings:
    metrics_seconds: float = 30.0
    service_seconds: float = 10.0
    logs_seconds: float = 2.0
    errors_seconds: float = 60.0


@dataclass(frozen=True)
class Threshold:
    """A warning level below an alert level; a value above ``alert`` is an alert."""

    warn: float
    alert: float


@dataclass(frozen=True)
class Thresholds:
    p99_latency_ms: Threshold = Threshold(700, 1000)
    error_rate_percent: Threshold = Threshold(0.5, 1)
    ecs_cpu_percent: Threshold = Threshold(70, 80)
    ecs_memory_percent: Threshold = Threshold(75, 85)
    rds_cpu_percent: Threshold = Threshold(70, 80)
    rds_storage_used_percent: Threshold = Threshold(80, 90)
    errors_last_hour: Threshold = Threshold(0, 10)


@dataclass(frozen=True)
class RollbackTriggers:
    """S25: the conditions under which the guide says to roll back at once."""

    all_failing_error_rate_percent: float = 99.0  # "every API call returns 500"
    memory_percent: float = 95.0
    cpu_percent: float = 99.0  # "CPU at 100 %"...
    cpu_sustained_seconds: float = 300.0  # ...sustained this long


@dataclass(frozen=True)
class UiSettings:
    theme: str = "kojan-dark"
    read_only: bool = False
    bell: bool = True
    notify: bool = True
    log_buffer_lines: int = 10_000
    chart_window: str = "1h"  # 1h | 3h | 24h


@dataclass(frozen=True)
class Config:
    aws: AwsSettings = field(default_factory=AwsSettings)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    thresholds: Thresholds = field(default_factory=Thresholds)
    rollback: RollbackTriggers = field(default_factory=RollbackTriggers)
    ui: UiSettings = field(default_factory=UiSettings)
    source: str = "<defaults>"  # the file it came from, for messages
