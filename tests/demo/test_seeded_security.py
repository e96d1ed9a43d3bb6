"""What the security, maintenance and rollback features read, seeded and answered over HTTP (S07, S08, S12, S16-S18, S20)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from tests.demo.helpers import SERVICE, client, utcnow

REPO = "kojan-map/business"
CLUSTER, NAME = SERVICE.cluster, SERVICE.name


def running_image(demo_world) -> tuple[str, str]:
    """The image the service runs, resolved the app's way: service -> task definition -> container image."""
    ecs = client(demo_world, "ecs")
    service = ecs.describe_services(cluster=CLUSTER, services=[NAME])["services"][0]
    td = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    uri, tag = td["containerDefinitions"][0]["image"].rsplit(":", 1)
    return uri, tag


def test_every_revision_image_resolves_to_an_ecr_image(demo_world):
    ecs, ecr = client(demo_world, "ecs"), client(demo_world, "ecr")
    repo_uri = ecr.describe_repositories(repositoryNames=[REPO])["repositories"][0]["repositoryUri"]
    images = {tag: i for i in ecr.describe_images(repositoryName=REPO)["imageDetails"] for tag in i.get("imageTags", [])}
    for revision in (1, 2, 3):
        image = ecs.describe_task_definition(taskDefinition=f"{SERVICE.task_family}:{revision}")["taskDefinition"]
        uri, tag = image["containerDefinitions"][0]["image"].rsplit(":", 1)
        assert uri == repo_uri and tag in images
    assert running_image(demo_world) == (repo_uri, "v1.5.1")
    assert images["latest"]["imageDigest"] == images["v1.5.1"]["imageDigest"] != images["v1.5.0"]["imageDigest"]


def test_the_running_image_has_no_high_findings_and_an_older_one_has(demo_world):
    ecr = client(demo_world, "ecr")
    _, tag = running_image(demo_world)
    running = ecr.describe_image_scan_findings(repositoryName=REPO, imageId={"imageTag": tag})
    assert running["imageScanStatus"]["status"] == "COMPLETE"
    assert set(running["imageScanFindings"]["findingSeverityCounts"]) == {"MEDIUM", "LOW", "INFORMATIONAL"}
    assert {f["severity"] for f in running["imageScanFindings"]["findings"]} <= {"MEDIUM", "LOW", "INFORMATIONAL"}

    older = ecr.describe_image_scan_findings(repositoryName=REPO, imageId={"imageTag": "v1.5.0"})
    high = [f for f in older["imageScanFindings"]["findings"] if f["severity"] == "HIGH"]
    assert len(high) == 1 and high[0]["name"].startswith("CVE-2024-")
    attributes = {a["key"]: a["value"] for a in high[0]["attributes"]}
    assert attributes == {"package_name": "stdlib", "package_version": "1.22.3"}
    assert high[0]["uri"] == f"https://nvd.nist.gov/vuln/detail/{high[0]['name']}"

    by_digest = ecr.describe_image_scan_findings(repositoryName=REPO, imageId={"imageDigest": older["imageId"]["imageDigest"]})
    assert by_digest["imageScanFindings"]["findings"] == older["imageScanFindings"]["findings"]
    assert by_digest["imageId"]["imageDigest"] == older["imageId"]["imageDigest"]
    with pytest.raises(ClientError) as no_scan:  # pushed before scan on push was on
        ecr.describe_image_scan_findings(repositoryName=REPO, imageId={"imageTag": "v1.4.2"})
    assert no_scan.value.response["Error"]["Code"] == "ScanNotFoundException"


def test_images_are_dated_and_scanned_after_their_push(demo_world):
    ecr = client(demo_world, "ecr")
    now = utcnow()
    images = {i["imageTags"][0]: i for i in ecr.describe_images(repositoryName=REPO)["imageDetails"]}
    ages = {tag: (now - i["imagePushedAt"]).days for tag, i in images.items()}
    assert ages == {"v1.4.2": 230, "v1.5.0": 200, "v1.5.1": 9}
    for tag in ("v1.5.0", "v1.5.1"):
        summary = images[tag]["imageScanFindingsSummary"]
        assert timedelta(0) < summary["imageScanCompletedAt"] - images[tag]["imagePushedAt"] < timedelta(minutes=5)
        findings = ecr.describe_image_scan_findings(repositoryName=REPO, imageId={"imageTag": tag})["imageScanFindings"]
        assert findings["imageScanCompletedAt"] == summary["imageScanCompletedAt"]
        assert findings["findingSeverityCounts"] == summary["findingSeverityCounts"]
    assert "imageScanFindingsSummary" not in images["v1.4.2"]


def test_secrets_list_rotation_and_dates_without_values(demo_world):
    sm = client(demo_world, "secretsmanager")
    listed = sm.list_secrets(Filters=[{"Key": "name", "Values": [SERVICE.secret_prefix]}])["SecretList"]
    by_name = {s["Name"].removeprefix(SERVICE.secret_prefix): s for s in listed}
    assert set(by_name) == {"jwt-secret", "db-password", "google-oauth-client-secret"}
    assert all("SecretString" not in s for s in listed)
    assert by_name["db-password"]["RotationEnabled"] is True
    assert by_name["db-password"]["RotationRules"] == {"AutomaticallyAfterDays": 30}
    assert by_name["jwt-secret"]["RotationEnabled"] is False
    assert "RotationEnabled" not in by_name["google-oauth-client-secret"]  # never configured: AWS omits it
    now = utcnow()
    assert {n: (now - s["LastChangedDate"]).days for n, s in by_name.items()} == {
        "jwt-secret": 41,
        "db-password": 12,
        "google-oauth-client-secret": 150,
    }
    for secret in by_name.values():
        accessed = secret["LastAccessedDate"]
        assert (accessed.hour, accessed.minute) == (0, 0) and now - accessed < timedelta(days=1)
    described = sm.describe_secret(SecretId=SERVICE.jwt_secret_id)
    assert described["LastAccessedDate"] == by_name["jwt-secret"]["LastAccessedDate"]
    assert "NextRotationDate" in by_name["db-password"] and "NextRotationDate" not in described


def test_jwt_secret_is_long_in_healthy_and_short_in_auth_errors(demo_world):
    sm = client(demo_world, "secretsmanager")
    assert len(sm.get_secret_value(SecretId=SERVICE.jwt_secret_id)["SecretString"]) == 64
    changed_before = sm.describe_secret(SecretId=SERVICE.jwt_secret_id)["LastChangedDate"]
    demo_world.set_scenario("auth-errors")
    assert len(sm.get_secret_value(SecretId=SERVICE.jwt_secret_id)["SecretString"]) == 16
    assert sm.describe_secret(SecretId=SERVICE.jwt_secret_id)["LastChangedDate"] > changed_before
    demo_world.set_scenario("healthy")
    assert len(sm.get_secret_value(SecretId=SERVICE.jwt_secret_id)["SecretString"]) == 64


def test_task_definitions_differ_in_what_a_rollback_diff_shows(demo_world):
    ecs = client(demo_world, "ecs")

    def container(revision):
        td = ecs.describe_task_definition(taskDefinition=f"{SERVICE.task_family}:{revision}")["taskDefinition"]
        c = td["containerDefinitions"][0]
        return td, c, {e["name"]: e["value"] for e in c["environment"]}, [s["name"] for s in c["secrets"]]

    td3, c3, env3, secrets3 = container(3)
    td2, c2, env2, secrets2 = container(2)
    td1, _, env1, _ = container(1)
    assert (td3["status"], td2["status"], td1["status"]) == ("ACTIVE", "ACTIVE", "INACTIVE")
    assert (c3["image"].rsplit(":", 1)[1], c2["image"].rsplit(":", 1)[1]) == ("v1.5.1", "v1.5.0")
    assert (td3["memory"], td2["memory"]) == ("2048", "1024")
    assert (env3["DB_MAX_OPEN_CONNS"], env2["DB_MAX_OPEN_CONNS"]) == ("30", "25")
    assert "CACHE_TTL_SECONDS" in env3 and "CACHE_TTL_SECONDS" not in env2
    assert set(secrets3) - set(secrets2) == {"GOOGLE_OAUTH_CLIENT_SECRET"}
    assert (env3["OAUTH_TOKEN_TTL"], env3["MFA_CODE_TTL"]) == ("24h", "5m")  # S20: the guide's lifetimes
    assert (env1["OAUTH_TOKEN_TTL"], env1["MFA_CODE_TTL"]) == ("168h", "10m")
    db = client(demo_world, "rds").describe_db_instances(DBInstanceIdentifier=SERVICE.db_instance)["DBInstances"][0]
    assert env3["DB_HOST"] == db["Endpoint"]["Address"] and env3["DB_PORT"] == str(db["Endpoint"]["Port"])
    now = utcnow()
    assert [(now - td["registeredAt"]).days for td in (td1, td2, td3)] == [229, 199, 8]
    assert td1["deregisteredAt"] > td1["registeredAt"]
    inactive = ecs.list_task_definitions(familyPrefix=SERVICE.task_family, status="INACTIVE")["taskDefinitionArns"]
    revisions = {a.rsplit(":", 1)[1] for a in inactive}  # also any a test registered (a reset deregisters them)
    assert "1" in revisions and not {"2", "3"} & revisions


def test_autoscaling_target_policy_and_activities(demo_world):
    aas = client(demo_world, "application-autoscaling")
    resource = f"service/{CLUSTER}/{NAME}"
    target = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[resource])["ScalableTargets"][0]
    assert (target["MinCapacity"], target["MaxCapacity"], target["ScalableDimension"]) == (2, 4, "ecs:service:DesiredCount")
    policy = aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource)["ScalingPolicies"][0]
    config = policy["TargetTrackingScalingPolicyConfiguration"]
    assert policy["PolicyType"] == "TargetTrackingScaling" and config["TargetValue"] == 70.0
    assert config["PredefinedMetricSpecification"]["PredefinedMetricType"] == "ECSServiceAverageCPUUtilization"
    activities = aas.describe_scaling_activities(ServiceNamespace="ecs", ResourceId=resource)["ScalingActivities"]
    assert len(activities) == 4 and activities[0]["StartTime"] > activities[-1]["StartTime"]
    assert all(a["StatusCode"] == "Successful" and policy["PolicyName"] in a["Cause"] for a in activities)


def test_rds_maintenance_backups_and_slow_query_log(demo_world):
    rds = client(demo_world, "rds")
    db = rds.describe_db_instances(DBInstanceIdentifier=SERVICE.db_instance)["DBInstances"][0]
    assert (db["MultiAZ"], db["BackupRetentionPeriod"], db["PreferredBackupWindow"]) == (True, 7, "18:00-18:30")
    assert db["PreferredMaintenanceWindow"] == "sun:19:00-sun:19:30"
    assert utcnow() - db["LatestRestorableTime"] < timedelta(minutes=10)
    pending = rds.describe_pending_maintenance_actions()["PendingMaintenanceActions"]
    assert [p["ResourceIdentifier"] for p in pending] == [db["DBInstanceArn"]]
    action = pending[0]["PendingMaintenanceActionDetails"][0]
    assert action["Action"] == "system-update" and action["AutoAppliedAfterDate"] > utcnow()
    mine = rds.describe_pending_maintenance_actions(ResourceIdentifier=db["DBInstanceArn"])["PendingMaintenanceActions"]
    assert mine == pending
    other = rds.describe_pending_maintenance_actions(Filters=[{"Name": "db-instance-id", "Values": ["other-db"]}])
    assert other["PendingMaintenanceActions"] == []

    group = db["DBParameterGroups"][0]["DBParameterGroupName"]

    def slow_query_log():
        params = rds.describe_db_parameters(DBParameterGroupName=group)["Parameters"]
        return next(p["ParameterValue"] for p in params if p["ParameterName"] == "slow_query_log")

    assert slow_query_log() == "1"
    for value in ("0", "1", "0"):  # the S10 action turns it on; a test may turn it off first
        rds.modify_db_parameter_group(
            DBParameterGroupName=group,
            Parameters=[{"ParameterName": "slow_query_log", "ParameterValue": value, "ApplyMethod": "immediate"}],
        )
        assert slow_query_log() == value
    demo_world.reset("healthy")
    assert slow_query_log() == "1"


@pytest.mark.parametrize("scenario", ["healthy", "db-outage"])
def test_db_security_group_allows_the_db_port_from_the_service(demo_world, scenario):
    demo_world.set_scenario(scenario)  # db-outage is the instance rebooting, never a security group change
    ecs, ec2, rds = client(demo_world, "ecs"), client(demo_world, "ec2"), client(demo_world, "rds")
    service = ecs.describe_services(cluster=CLUSTER, services=[NAME])["services"][0]
    service_groups = service["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"]
    db = rds.describe_db_instances(DBInstanceIdentifier=SERVICE.db_instance)["DBInstances"][0]
    db_groups = [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]]
    port = db["Endpoint"]["Port"]
    rules = ec2.describe_security_groups(GroupIds=db_groups)["SecurityGroups"][0]["IpPermissions"]
    allowed = [
        r
        for r in rules
        if r["IpProtocol"] == "tcp"
        and r["FromPort"] <= port <= r["ToPort"]
        and {p["GroupId"] for p in r["UserIdGroupPairs"]} & set(service_groups)
    ]
    assert port == 3306 and len(allowed) == 1


def test_a_reset_restores_a_revoked_db_rule(demo_world):
    ec2 = client(demo_world, "ec2")
    db_group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["kojan-map-db-sg"]}])["SecurityGroups"][0]
    rule = db_group["IpPermissions"][0]
    ec2.revoke_security_group_ingress(GroupId=db_group["GroupId"], IpPermissions=[rule])
    assert ec2.describe_security_groups(GroupIds=[db_group["GroupId"]])["SecurityGroups"][0]["IpPermissions"] == []
    demo_world.reset("healthy")
    restored = ec2.describe_security_groups(GroupIds=[db_group["GroupId"]])["SecurityGroups"][0]["IpPermissions"]
    assert [(r["FromPort"], [p["GroupId"] for p in r["UserIdGroupPairs"]]) for r in restored] == [
        (3306, [p["GroupId"] for p in rule["UserIdGroupPairs"]])
    ]


def test_alb_log_bucket_holds_the_last_half_hour(demo_world):
    s3 = client(demo_world, "s3")
    objects = s3.list_objects_v2(Bucket=SERVICE.alb_log_bucket, Prefix="AWSLogs/123456789012/elasticloadbalancing/")["Contents"]
    assert len(objects) == 6
    ends = []
    for o in objects:  # AWSLogs/<account>/elasticloadbalancing/<region>/YYYY/MM/DD/<account>_..._<end>Z_<ip>_<random>.log.gz
        *folders, name = o["Key"].split("/")
        assert folders[:4] == ["AWSLogs", "123456789012", "elasticloadbalancing", "ap-northeast-1"] and name.endswith(".log.gz")
        assert name.startswith("123456789012_elasticloadbalancing_ap-northeast-1_app.kojan-map-alb.50dc6c495c0c9188_")
        end = datetime.strptime(name.split("_")[4], "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
        assert folders[4:] == [f"{end:%Y}", f"{end:%m}", f"{end:%d}"]
        ends.append(end)
    assert max(ends) - min(ends) == timedelta(minutes=25) and utcnow() - max(ends) <= timedelta(minutes=5)
    newest = max(objects, key=lambda o: o["Key"].split("_")[4])
    lines = gzip.decompress(s3.get_object(Bucket=SERVICE.alb_log_bucket, Key=newest["Key"])["Body"].read()).decode().splitlines()
    assert len(lines) == 10 and all(
        line.startswith("https ") and " app/kojan-map-alb/50dc6c495c0c9188 " in line for line in lines
    )
