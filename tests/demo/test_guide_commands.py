"""The operations guide's own AWS CLI commands, as boto3 calls, against the embedded AWS."""

from __future__ import annotations

import time
from datetime import timedelta

from tests.demo.helpers import SERVICE, client, utcnow, wait_for

ALB_DIMENSIONS = [
    {"Name": "TargetGroup", "Value": SERVICE.target_group},
    {"Name": "LoadBalancer", "Value": SERVICE.load_balancer},
]


def test_s01_health_check_shows_running_equal_to_desired(demo_world):
    service = client(demo_world, "ecs").describe_services(cluster="kojan-map-production", services=["kojan-map-business"])[
        "services"
    ][0]
    assert (service["runningCount"], service["desiredCount"], service["status"]) == (2, 2, "ACTIVE")
    assert service["taskDefinition"].startswith("arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:")
    assert service["taskDefinition"].endswith(":3")
    assert service["events"][0]["message"] == "(service kojan-map-business) has reached a steady state."
    ecs = client(demo_world, "ecs")
    arns = ecs.list_tasks(cluster="kojan-map-production", serviceName="kojan-map-business")["taskArns"]
    for _ in range(2):  # moto's own tasks walk towards STOPPED each time they are described; these stay up
        tasks = ecs.describe_tasks(cluster="kojan-map-production", tasks=arns)["tasks"]
        assert [(t["lastStatus"], t["group"]) for t in tasks] == [("RUNNING", "service:kojan-map-business")] * 2
    assert all(t["taskDefinitionArn"] == service["taskDefinition"] for t in tasks)


def test_s04_hourly_error_summary_finds_errors_only_when_there_are_some(demo_world):
    logs = client(demo_world, "logs")

    def error_lines():
        start = int((time.time() - 3600) * 1000)
        events = logs.filter_log_events(logGroupName="/ecs/kojan-map-business", startTime=start)["events"]
        return events, [e for e in events if "ERROR" in e["message"]]  # the guide's --query 'events[?contains(message, `ERROR`)]'

    events, errors = error_lines()
    assert len(events) > 100 and errors == []  # healthy: plenty of lines, no ERROR
    assert all(e["logStreamName"].startswith("ecs/business/") for e in events)
    demo_world.set_scenario("db-outage")
    errors = wait_for(lambda: error_lines()[1], what="ERROR lines after the database went down")
    assert any("database connection" in e["message"] for e in errors)


def test_s09_memory_maximum_over_24_hours_at_5_minutes(demo_world):
    now = utcnow()
    points = client(demo_world, "cloudwatch").get_metric_statistics(
        Namespace="AWS/ECS",
        MetricName="MemoryUtilization",
        Dimensions=[
            {"Name": "ServiceName", "Value": "kojan-map-business"},
            {"Name": "ClusterName", "Value": "kojan-map-production"},
        ],
        StartTime=now - timedelta(hours=24),
        EndTime=now,
        Period=300,
        Statistics=["Maximum"],
    )["Datapoints"]
    assert len(points) >= 280  # a full day of 5-minute points from the backfill
    assert all(30 < p["Maximum"] < 60 and p["Unit"] == "Percent" for p in points)


def test_s10_target_response_time_average_and_maximum_per_minute(demo_world):
    now = utcnow()
    points = client(demo_world, "cloudwatch").get_metric_statistics(
        Namespace="AWS/ApplicationELB",
        MetricName="TargetResponseTime",
        Dimensions=ALB_DIMENSIONS,
        StartTime=now - timedelta(hours=1),
        EndTime=now,
        Period=60,
        Statistics=["Average", "Maximum"],
    )["Datapoints"]
    assert len(points) >= 58
    assert all(0 < p["Average"] <= p["Maximum"] and p["Average"] < 0.5 for p in points)  # seconds, as ALB reports


def test_s16_scaling_activities_and_counts(demo_world):
    activities = client(demo_world, "application-autoscaling").describe_scaling_activities(
        ServiceNamespace="ecs", ResourceId="service/kojan-map-production/kojan-map-business"
    )["ScalingActivities"][0:5]
    assert len(activities) == 4
    assert [a["StartTime"] for a in activities] == sorted((a["StartTime"] for a in activities), reverse=True)
    assert activities[0]["Description"] == "Setting desired count to 2." and activities[0]["StatusCode"] == "Successful"
    assert "kojan-map-business-cpu-target-tracking" in activities[0]["Cause"]


def test_s26_rollback_command_starts_a_deployment_of_the_previous_revision(demo_world):
    ecs = client(demo_world, "ecs")
    service = ecs.update_service(
        cluster="kojan-map-production", service="kojan-map-business", taskDefinition="kojan-map-business:2"
    )["service"]
    primary = [d for d in service["deployments"] if d["status"] == "PRIMARY"]
    assert len(primary) == 1 and primary[0]["taskDefinition"].endswith("task-definition/kojan-map-business:2")
    assert primary[0]["rolloutState"] == "IN_PROGRESS"
    assert [d["taskDefinition"][-1] for d in service["deployments"] if d["status"] == "ACTIVE"] == ["3"]


def test_seeded_resources_the_guide_checks(demo_world):
    secret = client(demo_world, "secretsmanager").get_secret_value(SecretId="/kojan-map/business/jwt-secret")["SecretString"]
    assert len(secret) >= 32
    listed = client(demo_world, "secretsmanager").list_secrets(Filters=[{"Key": "name", "Values": ["/kojan-map/business/"]}])[
        "SecretList"
    ]
    assert {s["Name"] for s in listed} >= {"/kojan-map/business/jwt-secret", "/kojan-map/business/db-password"}
    findings = client(demo_world, "ecr").describe_image_scan_findings(
        repositoryName="kojan-map/business", imageId={"imageTag": "latest"}
    )
    assert findings["imageScanFindings"]["findingSeverityCounts"] == {"MEDIUM": 1, "LOW": 1, "INFORMATIONAL": 1}
    db = client(demo_world, "rds").describe_db_instances(DBInstanceIdentifier="kojan-map-db")["DBInstances"][0]
    assert (db["Engine"], db["EngineVersion"][:3], db["AllocatedStorage"]) == ("mysql", "8.0", 100)
    params = client(demo_world, "rds").describe_db_parameters(
        DBParameterGroupName=db["DBParameterGroups"][0]["DBParameterGroupName"]
    )["Parameters"]
    assert {"ParameterName": "slow_query_log", "ParameterValue": "1"}.items() <= next(
        p for p in params if p["ParameterName"] == "slow_query_log"
    ).items()
    revisions = client(demo_world, "ecs").list_task_definitions(familyPrefix="kojan-map-business")["taskDefinitionArns"]
    assert [r[-1] for r in revisions] == ["2", "3"]  # revision 1 is deregistered (INACTIVE)
    td = client(demo_world, "ecs").describe_task_definition(taskDefinition="kojan-map-business")["taskDefinition"]
    container = td["containerDefinitions"][0]
    assert container["image"].endswith("kojan-map/business:v1.5.1")
    assert all(s["valueFrom"].startswith("arn:aws:secretsmanager:") for s in container["secrets"])
    keys = [o["Key"] for o in client(demo_world, "s3").list_objects_v2(Bucket="kojan-map-alb-logs")["Contents"]]
    assert len(keys) == 6 and all(k.startswith("AWSLogs/123456789012/elasticloadbalancing/") for k in keys)
    slow = client(demo_world, "logs").filter_log_events(logGroupName="/aws/rds/instance/kojan-map-db/slowquery")["events"]
    assert len(slow) >= 6 and all("# Query_time: " in e["message"] for e in slow)  # S17: the slow query log is on
    groups = client(demo_world, "ec2").describe_security_groups(Filters=[{"Name": "group-name", "Values": ["kojan-map-db-sg"]}])[
        "SecurityGroups"
    ]
    assert groups[0]["IpPermissions"][0]["FromPort"] == 3306


def test_s10_target_response_time_per_load_balancer_and_per_target_group_in_either_order(demo_world):
    """ALB publishes TargetResponseTime at both levels; CloudWatch matches dimensions as a set."""
    now, cloudwatch = utcnow(), client(demo_world, "cloudwatch")
    lb_only = [{"Name": "LoadBalancer", "Value": SERVICE.load_balancer}]
    for dimensions in (lb_only, ALB_DIMENSIONS, list(reversed(ALB_DIMENSIONS))):
        points = cloudwatch.get_metric_statistics(
            Namespace="AWS/ApplicationELB",
            MetricName="TargetResponseTime",
            Dimensions=dimensions,
            StartTime=now - timedelta(hours=1),
            EndTime=now,
            Period=60,
            Statistics=["Average"],
            ExtendedStatistics=["p99"],
        )["Datapoints"]
        assert len(points) >= 58, dimensions
        assert all(0 < p["Average"] < 0.5 and p["ExtendedStatistics"]["p99"] > 0 for p in points), dimensions
    target_group_only = [{"Name": "TargetGroup", "Value": SERVICE.target_group}]  # not a series ALB publishes
    assert (
        cloudwatch.get_metric_statistics(
            Namespace="AWS/ApplicationELB",
            MetricName="TargetResponseTime",
            Dimensions=target_group_only,
            StartTime=now - timedelta(hours=1),
            EndTime=now,
            Period=60,
            Statistics=["Average"],
        )["Datapoints"]
        == []
    )


def test_elb_5xx_exists_only_per_load_balancer_and_host_counts_per_target_group(demo_world):
    now, cloudwatch = utcnow(), client(demo_world, "cloudwatch")
    metrics = cloudwatch.list_metrics(Namespace="AWS/ApplicationELB")["Metrics"]
    dims = {(m["MetricName"], frozenset(d["Name"] for d in m["Dimensions"])) for m in metrics}
    assert ("HealthyHostCount", frozenset({"TargetGroup", "LoadBalancer"})) in dims
    assert ("RequestCount", frozenset({"LoadBalancer"})) in dims and (
        "RequestCount",
        frozenset({"TargetGroup", "LoadBalancer"}),
    ) in dims
    points = cloudwatch.get_metric_statistics(
        Namespace="AWS/ApplicationELB",
        MetricName="HealthyHostCount",
        Dimensions=ALB_DIMENSIONS,
        StartTime=now - timedelta(minutes=10),
        EndTime=now,
        Period=60,
        Statistics=["Minimum"],
    )["Datapoints"]
    assert points and all(p["Minimum"] == 2 for p in points)
