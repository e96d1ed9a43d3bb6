"""Seed the embedded AWS with the kojan-map production environment named by the Config.

Runs once in the server process, through boto3 against the server's own port, before READY is printed.
Secret values are generated here at random: nothing real is ever stored.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from botocore.config import Config as BotoConfig

from kojan_tui.core.config import Config

ACCOUNT_ID = "123456789012"  # moto's default account
CONTAINER = "business"
REVISIONS = (  # (image tag, extra environment): rev 1 is oldest, the last one is deployed
    ("v1.4.2", {"APP_VERSION": "1.4.2", "DB_MAX_OPEN_CONNS": "20", "FEATURE_MFA": "false"}),
    ("v1.5.0", {"APP_VERSION": "1.5.0", "DB_MAX_OPEN_CONNS": "25", "FEATURE_MFA": "true"}),
    ("v1.5.1", {"APP_VERSION": "1.5.1", "DB_MAX_OPEN_CONNS": "25", "FEATURE_MFA": "true", "CACHE_TTL_SECONDS": "60"}),
)
ALLOCATED_STORAGE_GIB = 100
SECRET_NAMES = ("jwt-secret", "db-password", "google-oauth-client-secret")


def split_dimension(value: str, kind: str, fallback_name: str) -> tuple[str, str]:
    """``"app/kojan-map-alb/50dc6c495c0c9188"`` -> ``("kojan-map-alb", "50dc6c495c0c9188")``."""
    parts = value.split("/")
    if len(parts) == 3 and parts[0] == kind and parts[1] and parts[2]:
        return parts[1], parts[2]
    return fallback_name, hashlib.sha1(value.encode()).hexdigest()[:16]


def clients(endpoint: str, region: str) -> dict[str, Any]:
    session = boto3.session.Session(aws_access_key_id="demo", aws_secret_access_key="demo", region_name=region)
    cfg = BotoConfig(retries={"max_attempts": 1})
    names = ("ec2", "ecs", "elbv2", "rds", "logs", "ecr", "secretsmanager", "application-autoscaling", "s3", "iam")
    return {n: session.client(n, endpoint_url=endpoint, config=cfg) for n in names}


def seed_network(c: dict[str, Any]) -> dict[str, Any]:
    ec2 = c["ec2"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
        for i, az in ((1, "ap-northeast-1a"), (2, "ap-northeast-1c"))
    ]
    alb_sg = ec2.create_security_group(GroupName="kojan-map-alb-sg", Description="ALB: HTTPS from anywhere", VpcId=vpc)["GroupId"]
    ecs_sg = ec2.create_security_group(GroupName="kojan-map-business-sg", Description="ECS tasks: 8080 from the ALB", VpcId=vpc)[
        "GroupId"
    ]
    db_sg = ec2.create_security_group(GroupName="kojan-map-db-sg", Description="RDS: 3306 from the ECS tasks", VpcId=vpc)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=alb_sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    ec2.authorize_security_group_ingress(
        GroupId=ecs_sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": alb_sg}]}],
    )
    ec2.authorize_security_group_ingress(
        GroupId=db_sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "UserIdGroupPairs": [{"GroupId": ecs_sg}]}],
    )
    return {"vpc": vpc, "subnets": subnets, "alb_sg": alb_sg, "ecs_sg": ecs_sg, "db_sg": db_sg}


def seed_load_balancer(c: dict[str, Any], config: Config, net: dict[str, Any]) -> dict[str, str]:
    """ALB and target group, their ids patched to the config's CloudWatch dimension values."""
    from moto.elbv2 import models as elbv2_models

    lb_name, fixed_lb_id = split_dimension(config.service.load_balancer, "app", "kojan-map-alb")
    tg_name, fixed_tg_id = split_dimension(config.service.target_group, "targetgroup", config.service.name)
    make_lb, make_tg = elbv2_models.make_arn_for_load_balancer, elbv2_models.make_arn_for_target_group
    elbv2_models.make_arn_for_load_balancer = lambda account_id, lb_id=None, name="", region_name="": make_lb(
        account_id=account_id, lb_id=fixed_lb_id, name=name, region_name=region_name
    )
    elbv2_models.make_arn_for_target_group = lambda account_id, tg_id=None, name="", region_name="": make_tg(
        account_id=account_id, tg_id=fixed_tg_id, name=name, region_name=region_name
    )
    try:
        elbv2 = c["elbv2"]
        lb = elbv2.create_load_balancer(
            Name=lb_name, Subnets=net["subnets"], SecurityGroups=[net["alb_sg"]], Scheme="internet-facing", Type="application"
        )["LoadBalancers"][0]
        tg = elbv2.create_target_group(
            Name=tg_name,
            Protocol="HTTP",
            Port=8080,
            VpcId=net["vpc"],
            TargetType="ip",
            HealthCheckPath="/healthz",
            HealthCheckIntervalSeconds=15,
            HealthyThresholdCount=2,
        )["TargetGroups"][0]
    finally:
        elbv2_models.make_arn_for_load_balancer, elbv2_models.make_arn_for_target_group = make_lb, make_tg
    elbv2.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}],
    )
    return {"lb_arn": lb["LoadBalancerArn"], "tg_arn": tg["TargetGroupArn"]}


def seed_secrets(c: dict[str, Any], config: Config) -> dict[str, str]:
    """Random values, generated now: the demo never holds a real secret."""
    arns = {}
    prefix = config.service.secret_prefix
    for name in SECRET_NAMES:
        secret_id = config.service.jwt_secret_id if name == "jwt-secret" else f"{prefix}{name}"
        value = secrets.token_urlsafe(48)  # 64 characters
        arns[name] = c["secretsmanager"].create_secret(
            Name=secret_id, SecretString=value, Description=f"kojan-map business {name} (demo, random)"
        )["ARN"]
    return arns


def seed_image_repository(c: dict[str, Any], config: Config) -> str:
    ecr = c["ecr"]
    repo = ecr.create_repository(repositoryName=config.service.ecr_repository, imageScanningConfiguration={"scanOnPush": True})[
        "repository"
    ]
    for tag, _env in REVISIONS:
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 7023,
                "digest": "sha256:" + hashlib.sha256(tag.encode()).hexdigest(),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 9_000_000,
                    "digest": "sha256:" + hashlib.sha256((tag + "layer").encode()).hexdigest(),
                }
            ],
        }
        tags = [tag, "latest"] if tag == REVISIONS[-1][0] else [tag]
        for t in tags:
            ecr.put_image(repositoryName=config.service.ecr_repository, imageManifest=json.dumps(manifest), imageTag=t)
    ecr.start_image_scan(repositoryName=config.service.ecr_repository, imageId={"imageTag": "latest"})
    return repo["repositoryUri"]


def seed_database(c: dict[str, Any], config: Config, net: dict[str, Any]) -> None:
    rds = c["rds"]
    group = "kojan-map-mysql80"
    rds.create_db_parameter_group(
        DBParameterGroupName=group, DBParameterGroupFamily="mysql8.0", Description="kojan-map MySQL 8.0 (slow query log on)"
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName=group,
        Parameters=[
            {"ParameterName": "slow_query_log", "ParameterValue": "1", "ApplyMethod": "immediate"},
            {"ParameterName": "long_query_time", "ParameterValue": "1", "ApplyMethod": "immediate"},
        ],
    )
    rds.create_db_subnet_group(
        DBSubnetGroupName="kojan-map-db-subnets", DBSubnetGroupDescription="kojan-map private subnets", SubnetIds=net["subnets"]
    )
    rds.create_db_instance(
        DBInstanceIdentifier=config.service.db_instance,
        DBInstanceClass="db.t3.medium",
        Engine="mysql",
        EngineVersion="8.0.39",
        AllocatedStorage=ALLOCATED_STORAGE_GIB,
        StorageType="gp3",
        MasterUsername="kojan",
        MasterUserPassword=secrets.token_hex(16),
        DBName="kojan_map",
        DBParameterGroupName=group,
        VpcSecurityGroupIds=[net["db_sg"]],
        DBSubnetGroupName="kojan-map-db-subnets",
        MultiAZ=True,
        BackupRetentionPeriod=7,
        EnableCloudwatchLogsExports=["error", "slowquery"],
    )


def seed_task_definitions(c: dict[str, Any], config: Config, image_uri: str, secret_arns: dict[str, str]) -> list[str]:
    arns = []
    for tag, env in REVISIONS:
        base_env = {
            "APP_ENV": "production",
            "PORT": "8080",
            "DB_HOST": f"{config.service.db_instance}.cluster.ap-northeast-1.rds.amazonaws.com",
            "DB_NAME": "kojan_map",
            "TOKEN_TTL_HOURS": "24",
            "MFA_CODE_TTL_MINUTES": "5",
        }
        container = {
            "name": CONTAINER,
            "image": f"{image_uri}:{tag}",
            "essential": True,
            "cpu": 512,
            "memory": 1024,
            "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
            "environment": [{"name": k, "value": v} for k, v in sorted({**base_env, **env}.items())],
            "secrets": [{"name": n.upper().replace("-", "_"), "valueFrom": arn} for n, arn in secret_arns.items()],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": config.service.log_group,
                    "awslogs-region": config.aws.region,
                    "awslogs-stream-prefix": "ecs",
                },
            },
            "healthCheck": {
                "command": ["CMD-SHELL", "wget -qO- http://localhost:8080/healthz || exit 1"],
                "interval": 15,
                "timeout": 5,
                "retries": 3,
            },
        }
        td = c["ecs"].register_task_definition(
            family=config.service.task_family,
            containerDefinitions=[container],
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu="512",
            memory="1024",
            executionRoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/kojan-map-ecs-execution",
            taskRoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/kojan-map-business-task",
        )["taskDefinition"]
        arns.append(td["taskDefinitionArn"])
    return arns


def seed_service(c: dict[str, Any], config: Config, net: dict[str, Any], lb: dict[str, str], task_def_arn: str) -> None:
    ecs = c["ecs"]
    ecs.create_cluster(clusterName=config.service.cluster)
    ecs.create_service(
        cluster=config.service.cluster,
        serviceName=config.service.name,
        taskDefinition=task_def_arn,
        desiredCount=2,
        launchType="FARGATE",
        loadBalancers=[{"targetGroupArn": lb["tg_arn"], "containerName": CONTAINER, "containerPort": 8080}],
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": net["subnets"], "securityGroups": [net["ecs_sg"]], "assignPublicIp": "DISABLED"}
        },
    )


def seed_autoscaling(c: dict[str, Any], config: Config) -> str:
    aas = c["application-autoscaling"]
    resource_id = f"service/{config.service.cluster}/{config.service.name}"
    aas.register_scalable_target(
        ServiceNamespace="ecs", ResourceId=resource_id, ScalableDimension="ecs:service:DesiredCount", MinCapacity=2, MaxCapacity=4
    )
    aas.put_scaling_policy(
        PolicyName=f"{config.service.name}-cpu-target-tracking",
        ServiceNamespace="ecs",
        ResourceId=resource_id,
        ScalableDimension="ecs:service:DesiredCount",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 70.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            "ScaleOutCooldown": 60,
            "ScaleInCooldown": 300,
        },
    )
    return resource_id


def alb_log_line(at: datetime, lb: str, i: int, status: int) -> str:
    """One ALB access-log entry in AWS's space-separated format (documentation IPs, random trace id)."""
    request = '"GET https://api.kojan-map.example:443/api/business/posts HTTP/2.0"'
    trace = f'"Root=1-{secrets.token_hex(4)}-{secrets.token_hex(12)}"'
    return " ".join(
        [
            "https",
            at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            lb,
            f"203.0.113.{10 + i}:5{i:04d}",
            f"10.0.1.{40 + i % 2}:8080",
            "0.000",
            f"0.0{4 + i % 5}1",
            "0.000",
            str(status),
            str(status),
            "312",
            "1045",
            request,
            '"kojan-map-ios/3.2"',
            "ECDHE-RSA-AES128-GCM-SHA256",
            "TLSv1.2",
            "-",
            trace,
        ]
    )


def seed_alb_logs(c: dict[str, Any], config: Config, now: datetime) -> None:
    s3, bucket, region = c["s3"], config.service.alb_log_bucket, config.aws.region
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    lb_name, lb_id = split_dimension(config.service.load_balancer, "app", "kojan-map-alb")
    prefix = f"AWSLogs/{ACCOUNT_ID}/elasticloadbalancing/{region}"
    for hours_ago in (3, 2, 1):
        t = (now - timedelta(hours=hours_ago)).replace(minute=0, second=0, microsecond=0)
        name = (
            f"{ACCOUNT_ID}_elasticloadbalancing_{region}_app.{lb_name}.{lb_id}_{t:%Y%m%dT%H%M}Z_10.0.1.23_{secrets.token_hex(4)}"
        )
        statuses = [200] * 8 + [401, 304]
        lines = [alb_log_line(t + timedelta(seconds=i * 37), f"app/{lb_name}/{lb_id}", i, s) for i, s in enumerate(statuses)]
        s3.put_object(
            Bucket=bucket, Key=f"{prefix}/{t:%Y/%m/%d}/{name}.log.gz", Body=gzip.compress(("\n".join(lines) + "\n").encode())
        )


def seed_world(endpoint: str, config: Config, now: datetime | None = None) -> dict[str, Any]:
    """Create every resource; returns the ids the simulator needs (task definition ARNs, ARNs, resource id)."""
    now = now or datetime.now(UTC)
    c = clients(endpoint, config.aws.region)
    net = seed_network(c)
    lb = seed_load_balancer(c, config, net)
    secret_arns = seed_secrets(c, config)
    image_uri = seed_image_repository(c, config)
    seed_database(c, config, net)
    task_defs = seed_task_definitions(c, config, image_uri, secret_arns)
    seed_service(c, config, net, lb, task_defs[-1])
    c["logs"].create_log_group(logGroupName=config.service.log_group)
    c["logs"].put_retention_policy(logGroupName=config.service.log_group, retentionInDays=30)
    slow_group = f"/aws/rds/instance/{config.service.db_instance}/slowquery"  # EnableCloudwatchLogsExports
    c["logs"].create_log_group(logGroupName=slow_group)
    c["logs"].create_log_stream(logGroupName=slow_group, logStreamName=config.service.db_instance)
    resource_id = seed_autoscaling(c, config)
    seed_alb_logs(c, config, now)
    return {"task_definitions": task_defs, "scalable_resource_id": resource_id, **lb, **net}
