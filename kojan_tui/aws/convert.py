"""AWS response dicts → the core dataclasses. Pure functions: no I/O, no botocore imports.

Every timestamp leaves here timezone-aware in UTC, whatever zone botocore parsed it into.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from kojan_tui.core.archive import ExportTask
from kojan_tui.core.ecs_tasks import EcsTask, TaskContainer
from kojan_tui.core.livetail import LiveTailUpdate, event_key, live_event_id
from kojan_tui.core.models import (
    ContainerDefinition,
    DbInstance,
    Deployment,
    InsightsResult,
    LogEvent,
    MetricQuery,
    ScalingActivity,
    ServiceEvent,
    ServiceSnapshot,
    TaskDefinition,
)
from kojan_tui.core.verdict import task_definition_label

MAX_SERVICE_EVENTS = 20


def utc(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=UTC)
    return None


def arn_name(arn: str) -> str:
    """The last path segment of an ARN (``.../kojan-map-production`` → ``kojan-map-production``)."""
    return arn.rsplit("/", 1)[-1] if arn else arn


def service_snapshot(raw: dict, cluster: str) -> ServiceSnapshot:
    events = sorted(
        (
            ServiceEvent(
                id=str(e.get("id", "")),
                created_at=utc(e.get("createdAt")) or datetime.min.replace(tzinfo=UTC),
                message=str(e.get("message", "")),
            )
            for e in raw.get("events", []) or []
        ),
        key=lambda e: e.created_at,
        reverse=True,
    )[:MAX_SERVICE_EVENTS]
    return ServiceSnapshot(
        cluster=arn_name(raw.get("clusterArn", "")) or cluster,
        name=str(raw.get("serviceName", "")),
        status=str(raw.get("status", "")),
        desired=int(raw.get("desiredCount", 0) or 0),
        running=int(raw.get("runningCount", 0) or 0),
        pending=int(raw.get("pendingCount", 0) or 0),
        task_definition=str(raw.get("taskDefinition", "")),
        deployments=tuple(deployment(d) for d in raw.get("deployments", []) or []),
        events=tuple(events),
        security_groups=tuple(
            str(g)
            for g in ((raw.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}).get("securityGroups", []) or []
        ),
    )


def deployment(raw: dict) -> Deployment:
    return Deployment(
        id=str(raw.get("id", "")),
        status=str(raw.get("status", "")),
        task_definition=str(raw.get("taskDefinition", "")),
        desired=int(raw.get("desiredCount", 0) or 0),
        running=int(raw.get("runningCount", 0) or 0),
        pending=int(raw.get("pendingCount", 0) or 0),
        rollout_state=raw.get("rolloutState"),
        rollout_reason=raw.get("rolloutStateReason"),
        created_at=utc(raw.get("createdAt")),
        updated_at=utc(raw.get("updatedAt")),
    )


def task_definition(raw: dict) -> TaskDefinition:
    containers = tuple(
        ContainerDefinition(
            name=str(c.get("name", "")),
            image=str(c.get("image", "")),
            environment=tuple((str(e.get("name", "")), str(e.get("value", ""))) for e in c.get("environment", []) or []),
            # Only the reference (an ARN or parameter name) is kept: a secret's value never comes this way.
            secrets=tuple((str(s.get("name", "")), str(s.get("valueFrom", ""))) for s in c.get("secrets", []) or []),
            cpu=_int_or_none(c.get("cpu")),
            memory=_int_or_none(c.get("memory")),
            ports=tuple(f"{p.get('containerPort', '?')}/{p.get('protocol', 'tcp')}" for p in c.get("portMappings", []) or []),
            health_check=_health_check(c.get("healthCheck")),
            log_group=_awslogs_option(c, "awslogs-group"),
            log_stream_prefix=_awslogs_option(c, "awslogs-stream-prefix"),
        )
        for c in raw.get("containerDefinitions", []) or []
    )
    return TaskDefinition(
        arn=str(raw.get("taskDefinitionArn", "")),
        family=str(raw.get("family", "")),
        revision=int(raw.get("revision", 0) or 0),
        containers=containers,
        registered_at=utc(raw.get("registeredAt")),
        status=str(raw.get("status") or "ACTIVE"),
        cpu=str(raw["cpu"]) if raw.get("cpu") is not None else None,
        memory=str(raw["memory"]) if raw.get("memory") is not None else None,
    )


def _awslogs_option(container: dict, name: str) -> str | None:
    """One option of the container's awslogs configuration; None for another driver or no such option."""
    config = container.get("logConfiguration") or {}
    if config.get("logDriver") != "awslogs":
        return None
    value = (config.get("options") or {}).get(name)
    return str(value) if value else None


def ecs_task(raw: dict) -> EcsTask:
    """One DescribeTasks entry."""
    return EcsTask(
        arn=str(raw.get("taskArn", "")),
        task_definition=str(raw.get("taskDefinitionArn", "")),
        last_status=str(raw.get("lastStatus", "") or ""),
        desired_status=str(raw.get("desiredStatus", "") or ""),
        health=str(raw.get("healthStatus") or "UNKNOWN"),
        availability_zone=str(raw.get("availabilityZone", "") or ""),
        started_by=str(raw.get("startedBy", "") or ""),
        created_at=utc(raw.get("createdAt")),
        started_at=utc(raw.get("startedAt")),
        stopping_at=utc(raw.get("stoppingAt")),
        stopped_at=utc(raw.get("stoppedAt")),
        stop_code=str(raw.get("stopCode", "") or ""),
        stopped_reason=str(raw.get("stoppedReason", "") or ""),
        containers=tuple(
            TaskContainer(
                name=str(c.get("name", "")),
                last_status=str(c.get("lastStatus", "") or ""),
                exit_code=_int_or_none(c.get("exitCode")),
                reason=str(c.get("reason", "") or ""),
                health=str(c.get("healthStatus") or "UNKNOWN"),
                image=str(c.get("image", "") or ""),
            )
            for c in raw.get("containers", []) or []
        ),
    )


def _int_or_none(value: object) -> int | None:
    try:
        return int(value) if value is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _health_check(raw: object) -> str | None:
    """``CMD-SHELL wget … || exit 1 (every 15 s, timeout 5 s, 3 retries)`` or None."""
    if not isinstance(raw, dict) or not raw.get("command"):
        return None
    command = " ".join(str(part) for part in raw.get("command") or [])
    timings = ", ".join(
        text
        for key, text in (("interval", "every {} s"), ("timeout", "timeout {} s"), ("retries", "{} retries"))
        if (value := raw.get(key)) is not None
        for text in [text.format(value)]
    )
    return f"{command} ({timings})" if timings else command


def task_definition_revision(arn: str) -> tuple[str, int]:
    family, _, revision = task_definition_label(arn).rpartition(":")
    return family, int(revision) if revision.isdigit() else 0


def db_instance(raw: dict) -> DbInstance:
    return DbInstance(
        identifier=str(raw.get("DBInstanceIdentifier", "")),
        status=str(raw.get("DBInstanceStatus", "")),
        engine=str(raw.get("Engine", "")),
        engine_version=str(raw.get("EngineVersion", "")),
        instance_class=str(raw.get("DBInstanceClass", "")),
        allocated_storage_gib=int(raw.get("AllocatedStorage", 0) or 0),
        parameter_groups=tuple(str(g.get("DBParameterGroupName", "")) for g in raw.get("DBParameterGroups", []) or []),
        security_groups=tuple(str(g.get("VpcSecurityGroupId", "")) for g in raw.get("VpcSecurityGroups", []) or []),
        endpoint=str((raw.get("Endpoint") or {}).get("Address", "")),
        port=(raw.get("Endpoint") or {}).get("Port"),
        multi_az=raw.get("MultiAZ") if isinstance(raw.get("MultiAZ"), bool) else None,
        backup_window=str(raw.get("PreferredBackupWindow") or ""),
        backup_retention_days=_int_or_none(raw.get("BackupRetentionPeriod")),
        latest_restorable_time=utc(raw.get("LatestRestorableTime")),
        maintenance_window=str(raw.get("PreferredMaintenanceWindow") or ""),
        arn=str(raw.get("DBInstanceArn") or ""),
    )


def metric_data_query(query: MetricQuery) -> dict:
    return {
        "Id": query.id,
        "Label": query.label or query.metric,
        "ReturnData": True,
        "MetricStat": {
            "Metric": {
                "Namespace": query.namespace,
                "MetricName": query.metric,
                "Dimensions": [{"Name": name, "Value": value} for name, value in query.dimensions],
            },
            "Period": query.period,
            "Stat": query.stat,
        },
    }


def log_event(raw: dict) -> LogEvent:
    return LogEvent(
        event_id=str(raw.get("eventId", "")),
        timestamp_ms=int(raw.get("timestamp", 0) or 0),
        stream=str(raw.get("logStreamName", "")),
        message=str(raw.get("message", "")),
        ingestion_ms=int(raw.get("ingestionTime", 0) or 0),
    )


def live_tail_update(raw: dict) -> LiveTailUpdate:
    """A Live Tail ``sessionUpdate``; its events get a content-derived id (Live Tail gives none)."""
    events = []
    for item in raw.get("sessionResults") or []:
        event = log_event(item)
        events.append(replace(event, event_id=live_event_id(event_key(event))))
    return LiveTailUpdate(events=tuple(events), sampled=bool((raw.get("sessionMetadata") or {}).get("sampled")))


def insights_result(raw: dict) -> InsightsResult:
    rows = tuple(
        {str(cell.get("field", "")): str(cell.get("value", "")) for cell in row if cell.get("field") != "@ptr"}
        for row in raw.get("results", []) or []
    )
    stats = raw.get("statistics", {}) or {}
    return InsightsResult(
        status=str(raw.get("status", "Unknown")),
        rows=rows,
        records_matched=float(stats.get("recordsMatched", 0) or 0),
        records_scanned=float(stats.get("recordsScanned", 0) or 0),
    )


def scaling_activity(raw: dict) -> ScalingActivity:
    return ScalingActivity(
        activity_id=str(raw.get("ActivityId", "")),
        description=str(raw.get("Description", "")),
        cause=str(raw.get("Cause", "")),
        status=str(raw.get("StatusCode", "")),
        start_time=utc(raw.get("StartTime")),
        end_time=utc(raw.get("EndTime")),
    )


def export_task(raw: dict) -> ExportTask:
    """One DescribeExportTasks entry (times in ms since the epoch)."""
    status = raw.get("status") or {}
    info = raw.get("executionInfo") or {}
    created, completed = info.get("creationTime"), info.get("completionTime")
    return ExportTask(
        id=str(raw.get("taskId", "")),
        name=str(raw.get("taskName", "") or ""),
        log_group=str(raw.get("logGroupName", "") or ""),
        destination=str(raw.get("destination", "") or ""),
        prefix=str(raw.get("destinationPrefix", "") or ""),
        from_ms=int(raw.get("from", 0) or 0),
        to_ms=int(raw.get("to", 0) or 0),
        status=str(status.get("code", "") or "UNKNOWN"),
        message=str(status.get("message", "") or ""),
        created_at=utc(created / 1000) if isinstance(created, (int, float)) else None,
        completed_at=utc(completed / 1000) if isinstance(completed, (int, float)) else None,
    )
