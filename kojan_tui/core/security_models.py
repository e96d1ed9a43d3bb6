"""What the security and maintenance view reads (S12, S14, S16–S18): ECR images and scan findings, secrets'
metadata (never values), scaling targets and policies, RDS pending maintenance, IAM policy findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

SEVERITY_ORDER = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED")


def severity_rank(severity: str) -> int:
    """0 for CRITICAL … len for anything unknown: sort key, most severe first."""
    upper = severity.upper()
    return SEVERITY_ORDER.index(upper) if upper in SEVERITY_ORDER else len(SEVERITY_ORDER)


@dataclass(frozen=True)
class ImageRef:
    """An image string of a task definition, split: ``[registry/]repository[:tag][@digest]``."""

    registry: str
    repository: str
    tag: str | None
    digest: str | None

    @property
    def registry_id(self) -> str | None:
        """The AWS account of an ECR registry host (``123456789012.dkr.ecr.<region>.amazonaws.com``)."""
        match = re.match(r"^(\d{12})\.dkr\.ecr\.", self.registry)
        return match.group(1) if match else None

    @property
    def shown(self) -> str:
        return f"{self.repository}@{self.digest}" if self.digest else f"{self.repository}:{self.tag or 'latest'}"


def parse_image(image: str) -> ImageRef:
    """Split an image string; a missing tag and digest means Docker's implicit ``latest`` (as ECS pulls it)."""
    rest, _, digest = image.partition("@")
    registry, repository = "", rest
    first, sep, remainder = rest.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        registry, repository = first, remainder
    tag = None
    name, colon, maybe_tag = repository.rpartition(":")
    if colon and "/" not in maybe_tag:
        repository, tag = name, maybe_tag
    if not digest and tag is None:
        tag = "latest"
    return ImageRef(registry=registry, repository=repository, tag=tag, digest=digest or None)


@dataclass(frozen=True)
class ScanFinding:
    name: str  # CVE id
    severity: str
    package: str  # "stdlib 1.22.3"
    uri: str
    description: str = ""


@dataclass(frozen=True)
class EcrImage:
    repository: str
    digest: str
    tags: tuple[str, ...]
    pushed_at: datetime | None
    scan_status: str  # COMPLETE | IN_PROGRESS | FAILED | NONE (never scanned) …
    scan_completed_at: datetime | None = None
    severity_counts: tuple[tuple[str, int], ...] = ()  # most severe first
    findings: tuple[ScanFinding, ...] = ()  # the top findings, most severe first
    size_bytes: int | None = None

    def count(self, severity: str) -> int:
        return dict(self.severity_counts).get(severity.upper(), 0)


@dataclass(frozen=True)
class SecretInfo:
    """A secret's metadata: ListSecrets never returns values, and neither does this."""

    name: str
    last_changed: datetime | None
    last_accessed: datetime | None
    rotation_enabled: bool  # a secret never configured for rotation has no key: False
    rotation_days: int | None = None
    last_rotated: datetime | None = None
    next_rotation: datetime | None = None


@dataclass(frozen=True)
class ScalableTarget:
    resource_id: str
    dimension: str
    min_capacity: int
    max_capacity: int
    suspended: bool = False


@dataclass(frozen=True)
class ScalingPolicy:
    name: str
    policy_type: str  # TargetTrackingScaling | StepScaling …
    metric: str = ""  # ECSServiceAverageCPUUtilization, or the custom metric's name
    target_value: float | None = None
    scale_out_cooldown: int | None = None
    scale_in_cooldown: int | None = None


@dataclass(frozen=True)
class PendingMaintenance:
    action: str  # system-update | db-upgrade …
    description: str
    auto_applied_after: datetime | None = None
    current_apply_date: datetime | None = None
    opt_in_status: str = ""


@dataclass(frozen=True)
class PolicyFinding:
    """One Access Analyzer ValidatePolicy finding."""

    finding_type: str  # ERROR | SECURITY_WARNING | WARNING | SUGGESTION
    issue_code: str
    detail: str
    learn_more: str = ""
