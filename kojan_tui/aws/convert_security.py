"""Raw ECR, Secrets Manager, Application Auto Scaling, RDS maintenance and Access Analyzer answers →
``kojan_tui.core.security_models`` dataclasses."""

from __future__ import annotations

from kojan_tui.aws.convert import utc
from kojan_tui.core.security_models import (
    EcrImage,
    PendingMaintenance,
    PolicyFinding,
    ScalableTarget,
    ScalingPolicy,
    ScanFinding,
    SecretInfo,
    severity_rank,
)


def scan_finding(raw: dict) -> ScanFinding:
    attributes = {str(a.get("key", "")): str(a.get("value", "")) for a in raw.get("attributes", []) or []}
    package = " ".join(p for p in (attributes.get("package_name", ""), attributes.get("package_version", "")) if p)
    return ScanFinding(
        name=str(raw.get("name", "")),
        severity=str(raw.get("severity", "UNDEFINED")).upper(),
        package=package,
        uri=str(raw.get("uri", "")),
        description=str(raw.get("description", "")),
    )


def severity_counts(raw: dict | None) -> tuple[tuple[str, int], ...]:
    counts = {str(k).upper(): int(v or 0) for k, v in (raw or {}).items()}
    return tuple(sorted(counts.items(), key=lambda item: severity_rank(item[0])))


def ecr_image(detail: dict, findings: dict | None, *, top: int) -> EcrImage:
    """``detail``: one DescribeImages imageDetail; ``findings``: the DescribeImageScanFindings answer (None: no scan)."""
    scan = (findings or {}).get("imageScanFindings") or {}
    summary = detail.get("imageScanFindingsSummary") or {}
    status = ((findings or {}).get("imageScanStatus") or detail.get("imageScanStatus") or {}).get("status")
    found = sorted((scan_finding(f) for f in scan.get("findings", []) or []), key=lambda f: severity_rank(f.severity))
    return EcrImage(
        repository=str(detail.get("repositoryName", "")),
        digest=str(detail.get("imageDigest", "")),
        tags=tuple(str(t) for t in detail.get("imageTags", []) or []),
        pushed_at=utc(detail.get("imagePushedAt")),
        scan_status=str(status or ("NONE" if findings is None else "UNKNOWN")),
        scan_completed_at=utc(scan.get("imageScanCompletedAt") or summary.get("imageScanCompletedAt")),
        severity_counts=severity_counts(scan.get("findingSeverityCounts") or summary.get("findingSeverityCounts")),
        findings=tuple(found[:top]),
        size_bytes=detail.get("imageSizeInBytes"),
    )


def secret_info(raw: dict) -> SecretInfo:
    rules = raw.get("RotationRules") or {}
    days = rules.get("AutomaticallyAfterDays")
    return SecretInfo(
        name=str(raw.get("Name", "")),
        last_changed=utc(raw.get("LastChangedDate")),
        last_accessed=utc(raw.get("LastAccessedDate")),
        rotation_enabled=raw.get("RotationEnabled") is True,
        rotation_days=int(days) if isinstance(days, int) else None,
        last_rotated=utc(raw.get("LastRotatedDate")),
        next_rotation=utc(raw.get("NextRotationDate")),
    )


def current_version(described: dict) -> str | None:
    """DescribeSecret's ``VersionIdsToStages``: the version id whose stages include ``AWSCURRENT``."""
    stages = described.get("VersionIdsToStages") or {}
    found = [str(v) for v, names in stages.items() if isinstance(names, list) and "AWSCURRENT" in names]
    return found[0] if len(found) == 1 else None


def scalable_target(raw: dict) -> ScalableTarget:
    suspended = raw.get("SuspendedState") or {}
    return ScalableTarget(
        resource_id=str(raw.get("ResourceId", "")),
        dimension=str(raw.get("ScalableDimension", "")),
        min_capacity=int(raw.get("MinCapacity", 0) or 0),
        max_capacity=int(raw.get("MaxCapacity", 0) or 0),
        suspended=any(bool(v) for v in suspended.values()),
    )


def scaling_policy(raw: dict) -> ScalingPolicy:
    tracking = raw.get("TargetTrackingScalingPolicyConfiguration") or {}
    predefined = (tracking.get("PredefinedMetricSpecification") or {}).get("PredefinedMetricType")
    custom = (tracking.get("CustomizedMetricSpecification") or {}).get("MetricName")
    target = tracking.get("TargetValue")
    return ScalingPolicy(
        name=str(raw.get("PolicyName", "")),
        policy_type=str(raw.get("PolicyType", "")),
        metric=str(predefined or custom or ""),
        target_value=float(target) if isinstance(target, (int, float)) else None,
        scale_out_cooldown=tracking.get("ScaleOutCooldown"),
        scale_in_cooldown=tracking.get("ScaleInCooldown"),
    )


def pending_maintenance(raw: dict) -> PendingMaintenance:
    return PendingMaintenance(
        action=str(raw.get("Action", "")),
        description=str(raw.get("Description", "")),
        auto_applied_after=utc(raw.get("AutoAppliedAfterDate")),
        current_apply_date=utc(raw.get("CurrentApplyDate")),
        opt_in_status=str(raw.get("OptInStatus", "") or ""),
    )


def policy_finding(raw: dict) -> PolicyFinding:
    return PolicyFinding(
        finding_type=str(raw.get("findingType", "")),
        issue_code=str(raw.get("issueCode", "")),
        detail=str(raw.get("findingDetails", "")),
        learn_more=str(raw.get("learnMoreLink", "")),
    )
