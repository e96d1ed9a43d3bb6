"""AWS response dicts → core dataclasses (pure): UTC times, newest events first and capped, secrets as references."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from kojan_tui.aws import convert


def test_times_leave_in_utc():
    jst = timezone(timedelta(hours=9))
    assert convert.utc(datetime(2026, 5, 1, 9, 0, tzinfo=jst)) == datetime(2026, 5, 1, 0, 0, tzinfo=UTC)
    assert convert.utc(datetime(2026, 5, 1, 9, 0)).tzinfo is UTC
    assert convert.utc(0) == datetime(1970, 1, 1, tzinfo=UTC)
    assert convert.utc(None) is None


def test_service_events_newest_first_and_capped():
    start = datetime(2026, 5, 1, tzinfo=UTC)
    raw = {
        "clusterArn": "arn:aws:ecs:ap-northeast-1:1:cluster/kojan-map-production",
        "serviceName": "kojan-map-business",
        "status": "ACTIVE",
        "desiredCount": 2,
        "runningCount": 1,
        "pendingCount": 1,
        "taskDefinition": "arn:aws:ecs:ap-northeast-1:1:task-definition/kojan-map-business:7",
        "events": [{"id": str(i), "createdAt": start + timedelta(minutes=i), "message": f"event {i}"} for i in range(30)],
        "deployments": [
            {
                "id": "d1",
                "status": "PRIMARY",
                "taskDefinition": "td:7",
                "desiredCount": 2,
                "runningCount": 1,
                "pendingCount": 1,
                "rolloutState": "IN_PROGRESS",
                "rolloutStateReason": "ECS deployment d1 in progress.",
            }
        ],
    }
    snap = convert.service_snapshot(raw, "ignored")
    assert snap.cluster == "kojan-map-production"
    assert (snap.desired, snap.running, snap.pending) == (2, 1, 1)
    assert len(snap.events) == convert.MAX_SERVICE_EVENTS == 20
    assert [e.id for e in snap.events[:3]] == ["29", "28", "27"]
    assert snap.primary.rollout_state == "IN_PROGRESS" and snap.primary.created_at is None


def test_task_definition_keeps_secret_references_never_values():
    td = convert.task_definition(
        {
            "taskDefinitionArn": "arn:aws:ecs:ap-northeast-1:1:task-definition/kojan-map-business:7",
            "family": "kojan-map-business",
            "revision": 7,
            "containerDefinitions": [
                {
                    "name": "business",
                    "image": "img:7",
                    "environment": [{"name": "APP_ENV", "value": "production"}],
                    "secrets": [{"name": "JWT_SECRET", "valueFrom": "arn:aws:secretsmanager:x:1:secret:jwt"}],
                }
            ],
        }
    )
    assert td.containers[0].secrets == (("JWT_SECRET", "arn:aws:secretsmanager:x:1:secret:jwt"),)
    assert convert.task_definition_revision(td.arn) == ("kojan-map-business", 7)
    assert convert.task_definition_revision(td.arn) == ("kojan-map-business", 7)


def test_insights_rows_drop_the_pointer_field():
    result = convert.insights_result(
        {
            "status": "Complete",
            "statistics": {"recordsMatched": 3.0, "recordsScanned": 90.0},
            "results": [
                [
                    {"field": "@message", "value": "ERROR x"},
                    {"field": "count()", "value": "3"},
                    {"field": "@ptr", "value": "CmAK..."},
                ]
            ],
        }
    )
    assert result.rows == ({"@message": "ERROR x", "count()": "3"},)
    assert (result.records_matched, result.records_scanned) == (3.0, 90.0)


def test_scaling_activity():
    when = datetime(2026, 5, 1, tzinfo=UTC)
    activity = convert.scaling_activity(
        {
            "ActivityId": "a1",
            "Description": "Setting desired count to 4.",
            "Cause": "alarm high-cpu",
            "StatusCode": "Successful",
            "StartTime": when,
        }
    )
    assert (activity.activity_id, activity.status, activity.start_time, activity.end_time) == ("a1", "Successful", when, None)


def test_metric_data_query_shape():
    from kojan_tui.core.models import MetricQuery

    query = MetricQuery(
        "p99_latency", "AWS/ApplicationELB", "TargetResponseTime", (("LoadBalancer", "app/x/1"),), "p99", 60, "p99"
    )
    assert convert.metric_data_query(query) == {
        "Id": "p99_latency",
        "Label": "p99",
        "ReturnData": True,
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/ApplicationELB",
                "MetricName": "TargetResponseTime",
                "Dimensions": [{"Name": "LoadBalancer", "Value": "app/x/1"}],
            },
            "Period": 60,
            "Stat": "p99",
        },
    }


def test_task_definition_sizes_ports_health_check_and_status() -> None:
    from kojan_tui.aws import convert as c

    raw = {
        "taskDefinitionArn": "arn:aws:ecs:r:1:task-definition/f:3",
        "family": "f",
        "revision": 3,
        "status": "INACTIVE",
        "cpu": "512",
        "memory": "1024",
        "containerDefinitions": [
            {
                "name": "business",
                "image": "repo:v1",
                "cpu": 512,
                "memory": 1024,
                "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                "healthCheck": {"command": ["CMD-SHELL", "curl -f localhost || exit 1"], "interval": 15, "retries": 3},
            }
        ],
    }
    td = c.task_definition(raw)
    assert (td.status, td.cpu, td.memory) == ("INACTIVE", "512", "1024")
    container = td.containers[0]
    assert (container.cpu, container.memory, container.ports) == (512, 1024, ("8080/tcp",))
    assert container.health_check == "CMD-SHELL curl -f localhost || exit 1 (every 15 s, 3 retries)"
    assert c.task_definition({"containerDefinitions": [{"name": "x"}]}).containers[0].health_check is None


def test_task_definition_keeps_the_awslogs_group_and_stream_prefix_of_each_container() -> None:
    awslogs = {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": "/ecs/kojan-map-business",
            "awslogs-region": "ap-northeast-1",
            "awslogs-stream-prefix": "ecs",
        },
    }
    raw = {
        "containerDefinitions": [
            {"name": "business", "logConfiguration": awslogs},
            {"name": "sidecar", "logConfiguration": {"logDriver": "fluentd", "options": {"awslogs-group": "/not/awslogs"}}},
            {"name": "bare"},
            {"name": "no-prefix", "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/g"}}},
        ]
    }
    business, sidecar, bare, no_prefix = convert.task_definition(raw).containers
    assert (business.log_group, business.log_stream_prefix) == ("/ecs/kojan-map-business", "ecs")
    assert (sidecar.log_group, sidecar.log_stream_prefix) == (None, None)  # another driver: no awslogs stream
    assert (bare.log_group, bare.log_stream_prefix) == (None, None)
    assert (no_prefix.log_group, no_prefix.log_stream_prefix) == ("/g", None)
