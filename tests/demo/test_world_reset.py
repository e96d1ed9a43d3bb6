"""A reset undoes what a test did to the shared embedded AWS, so no test depends on the ones before it.

Each test makes one change the suite's tests (or the app's audited actions) make, resets, and checks the
seeded state is back. Task definitions, a slow_query_log change, a revoked rule and export tasks have their
own reset tests next to the tests that change them.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from kojan_tui.core.config import Config
from kojan_tui.demo import audit_log_group
from tests.demo.helpers import ROLLOUT_TICKS, SERVICE, client, utcnow, within_ticks


def describe(ecs) -> dict:
    return ecs.describe_services(cluster=SERVICE.cluster, services=[SERVICE.name])["services"][0]


def test_a_reset_settles_a_rollout_in_progress_and_the_desired_count(demo_world):
    ecs = client(demo_world, "ecs")
    seeded = describe(ecs)
    ecs.update_service(
        cluster=SERVICE.cluster,
        service=SERVICE.name,
        taskDefinition=f"{SERVICE.task_family}:2",
        desiredCount=3,
        deploymentConfiguration={"maximumPercent": 150, "minimumHealthyPercent": 50},
    )
    assert len(describe(ecs)["deployments"]) == 2
    demo_world.reset("healthy")
    service = describe(ecs)
    assert service["taskDefinition"] == seeded["taskDefinition"] and service["taskDefinition"].endswith(":3")
    assert (service["desiredCount"], service["runningCount"], service["pendingCount"]) == (2, 2, 0)
    assert [d["rolloutState"] for d in service["deployments"]] == ["COMPLETED"]
    assert service["deploymentConfiguration"] == seeded["deploymentConfiguration"]


def test_a_reset_ends_db_outages_reboot_at_once(demo_world):
    rds = client(demo_world, "rds")

    def status() -> str:
        return rds.describe_db_instances(DBInstanceIdentifier=SERVICE.db_instance)["DBInstances"][0]["DBInstanceStatus"]

    demo_world.set_scenario("db-outage")
    within_ticks(demo_world, 4, lambda: status() == "rebooting", "the instance rebooting")
    demo_world.reset("healthy")
    assert status() == "available"  # not only after the next tick: the next test may look first
    demo_world.reset("db-outage")
    assert status() == "rebooting"  # a reset into db-outage starts rebooting


def test_a_reset_deletes_a_log_group_a_test_created_and_keeps_the_seeded_ones(demo_world):
    logs = client(demo_world, "logs")
    group = f"/kojan-test/reset-{uuid.uuid4().hex[:8]}"
    logs.create_log_group(logGroupName=group)
    demo_world.reset("healthy")
    names = {g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]}
    assert names == {SERVICE.log_group, f"/aws/rds/instance/{SERVICE.db_instance}/slowquery", audit_log_group(Config())}
    streams = logs.describe_log_streams(logGroupName=SERVICE.log_group)["logStreams"]
    assert len(streams) == 2  # the settled service's two tasks, nothing older


def test_a_reset_puts_the_db_parameter_group_back_as_seeded(demo_world):
    rds = client(demo_world, "rds")
    rds.modify_db_parameter_group(
        DBParameterGroupName="kojan-map-mysql80",
        Parameters=[
            {"ParameterName": "long_query_time", "ParameterValue": "10", "ApplyMethod": "immediate"},
            {"ParameterName": "max_connections", "ParameterValue": "5", "ApplyMethod": "immediate"},
        ],
    )
    demo_world.reset("healthy")
    params = rds.describe_db_parameters(DBParameterGroupName="kojan-map-mysql80")["Parameters"]
    assert {p["ParameterName"]: p["ParameterValue"] for p in params} == {"slow_query_log": "1", "long_query_time": "1"}


def test_a_reset_restores_alb_logs_a_test_deleted_and_forgets_its_own_metrics(demo_world):
    s3, cloudwatch = client(demo_world, "s3"), client(demo_world, "cloudwatch")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=SERVICE.alb_log_bucket)["Contents"]]
    s3.delete_objects(Bucket=SERVICE.alb_log_bucket, Delete={"Objects": [{"Key": k} for k in keys]})
    cloudwatch.put_metric_data(Namespace="Kojan/ResetTest", MetricData=[{"MetricName": "Left", "Value": 1.0}])
    demo_world.reset("healthy")
    assert len(s3.list_objects_v2(Bucket=SERVICE.alb_log_bucket)["Contents"]) == len(keys)
    assert cloudwatch.list_metrics(Namespace="Kojan/ResetTest")["Metrics"] == []


def test_a_reset_removes_a_rule_a_test_authorized(demo_world):
    ec2 = client(demo_world, "ec2")
    db_group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["kojan-map-db-sg"]}])["SecurityGroups"][0]
    ec2.authorize_security_group_ingress(
        GroupId=db_group["GroupId"],
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    demo_world.reset("healthy")
    after = ec2.describe_security_groups(GroupIds=[db_group["GroupId"]])["SecurityGroups"][0]["IpPermissions"]
    assert after == db_group["IpPermissions"]


def test_a_reset_forgets_scale_outs_and_the_short_jwt_secret(demo_world):
    aas, secrets = client(demo_world, "application-autoscaling"), client(demo_world, "secretsmanager")
    demo_world.set_scenario("cpu-saturation")

    def scaled_out():
        activities = aas.describe_scaling_activities(ServiceNamespace="ecs")["ScalingActivities"]
        return any(
            a["Description"] == "Setting desired count to 4." and a["StartTime"] > utcnow() - timedelta(hours=1)
            for a in activities
        )

    within_ticks(demo_world, ROLLOUT_TICKS, scaled_out, "a scale-out")
    demo_world.reset("auth-errors")
    assert len(secrets.get_secret_value(SecretId=SERVICE.jwt_secret_id)["SecretString"]) == 16
    demo_world.reset("healthy")
    activities = aas.describe_scaling_activities(ServiceNamespace="ecs")["ScalingActivities"]
    assert [a["Description"] for a in activities] == [f"Setting desired count to {n}." for n in (2, 3, 2, 3)]
    assert describe(client(demo_world, "ecs"))["desiredCount"] == 2
    assert len(secrets.get_secret_value(SecretId=SERVICE.jwt_secret_id)["SecretString"]) == 64
