"""Seed the embedded AWS with the kojan-map production environment named by the Config.

Runs once in the server process, through boto3 against the server's own port, before READY is printed.
Secret values are generated here at random: nothing real is ever stored.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config as BotoConfig

from kojan_tui.core.config import Config
from kojan_tui.demo import audit_log_group

ACCOUNT_ID = "123456789012"  # moto's default account
CONTAINER = "business"


@dataclass(frozen=True)
class Revision:
    """One task definition revision as seeded: what a rollback diff can show between two of them."""

    tag: str  # the image tag in ECR
    env: dict[str, str]  # on top of BASE_ENV
    secrets: tuple[str, ...]  # SECRET_NAMES referenced as environment variables
    memory: int  # MiB, task and container
    pushed_days_ago: float  # the image's imagePushedAt
    registered_days_ago: float  # the revision's registeredAt
    active: bool = True  # False: deregistered (INACTIVE), shown by a rollback screen, never offered


REVISIONS = (  # rev 1 is oldest, the last one is deployed (and is the bad one in bad-deploy)
    Revision(
        "v1.4.2",
        {
            "APP_VERSION": "1.4.2",
            "DB_MAX_OPEN_CONNS": "20",
            "FEATURE_MFA": "false",
            "OAUTH_TOKEN_TTL": "168h",
            "MFA_CODE_TTL": "10m",
        },
        ("jwt-secret", "db-password"),
        1024,
        pushed_days_ago=230,
        registered_days_ago=229,
        active=False,
    ),
    Revision(
        "v1.5.0",
        {"APP_VERSION": "1.5.0", "DB_MAX_OPEN_CONNS": "25", "FEATURE_MFA": "true"},
        ("jwt-secret", "db-password"),
        1024,
        pushed_days_ago=200,
        registered_days_ago=199,
    ),
    Revision(
        "v1.5.1",
        {"APP_VERSION": "1.5.1", "DB_MAX_OPEN_CONNS": "30", "FEATURE_MFA": "true", "CACHE_TTL_SECONDS": "60"},
        ("jwt-secret", "db-password", "google-oauth-client-secret"),
        2048,
        pushed_days_ago=9,
        registered_days_ago=8,
    ),
)
BASE_ENV = {  # every revision's environment; a revision's own env overrides it
    "APP_ENV": "production",
    "PORT": "8080",
    "DB_NAME": "kojan_map",
    "DB_PORT": "3306",
    "DB_USER": "kojan",
    "OAUTH_TOKEN_TTL": "24h",  # S20: the guide's OAuth token lifetime
    "MFA_CODE_TTL": "5m",  # S20: the guide's MFA code lifetime
}
ALLOCATED_STORAGE_GIB = 100
SECRET_NAMES = ("jwt-secret", "db-password", "google-oauth-client-secret")
LOG_ARCHIVE_BUCKET = "kojan-map-log-archive"  # S27: CloudWatch Logs exports go here
DEPLOYMENT_CONFIGURATION = {  # the circuit breaker rolls a failing deployment back (ecs_rollout)
    "deploymentCircuitBreaker": {"enable": True, "rollback": True},
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
}


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
    """One image per revision (distinct digests), ``latest`` on the deployed one; dates and scans: ``ecr_scans``."""
    ecr = c["ecr"]
    repo = ecr.create_repository(repositoryName=config.service.ecr_repository, imageScanningConfiguration={"scanOnPush": True})[
        "repository"
    ]
    for revision in REVISIONS:
        tag = revision.tag
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 31_457_280,  # moto reports this as imageSizeInBytes
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
        tags = [tag, "latest"] if revision is REVISIONS[-1] else [tag]
        for t in tags:
            ecr.put_image(repositoryName=config.service.ecr_repository, imageManifest=json.dumps(manifest), imageTag=t)
    return repo["repositoryUri"]


DB_PARAMETER_GROUP = "kojan-map-mysql80"
DB_PARAMETERS = {"slow_query_log": "1", "long_query_time": "1"}  # S17: on in every scenario; reset restores these


def set_db_parameters(rds: Any, values: dict[str, str]) -> None:
    rds.modify_db_parameter_group(
        DBParameterGroupName=DB_PARAMETER_GROUP,
        Parameters=[{"ParameterName": k, "ParameterValue": v, "ApplyMethod": "immediate"} for k, v in values.items()],
    )


def seed_database(c: dict[str, Any], config: Config, net: dict[str, Any]) -> str:
    """The MySQL instance and its parameter group; returns the endpoint address (the task definitions' DB_HOST)."""
    rds = c["rds"]
    rds.create_db_parameter_group(
        DBParameterGroupName=DB_PARAMETER_GROUP,
        DBParameterGroupFamily="mysql8.0",
        Description="kojan-map MySQL 8.0 (slow query log on)",
    )
    set_db_parameters(rds, DB_PARAMETERS)
    rds.create_db_subnet_group(
        DBSubnetGroupName="kojan-map-db-subnets", DBSubnetGroupDescription="kojan-map private subnets", SubnetIds=net["subnets"]
    )
    db = rds.create_db_instance(
        DBInstanceIdentifier=config.service.db_instance,
        DBInstanceClass="db.t3.medium",
        Engine="mysql",
        EngineVersion="8.0.39",
        AllocatedStorage=ALLOCATED_STORAGE_GIB,
        StorageType="gp3",
        MasterUsername="kojan",
        MasterUserPassword=secrets.token_hex(16),
        DBName="kojan_map",
        DBParameterGroupName=DB_PARAMETER_GROUP,
        VpcSecurityGroupIds=[net["db_sg"]],
        DBSubnetGroupName="kojan-map-db-subnets",
        MultiAZ=True,
        BackupRetentionPeriod=7,
        PreferredBackupWindow="18:00-18:30",  # 03:00 JST
        PreferredMaintenanceWindow="sun:19:00-sun:19:30",  # Monday 04:00 JST
        EnableCloudwatchLogsExports=["error", "slowquery"],
    )["DBInstance"]
    return db.get("Endpoint", {}).get("Address") or f"{config.service.db_instance}.ap-northeast-1.rds.amazonaws.com"


def container_definition(config: Config, revision: Revision, image_uri: str, db_host: str, secret_arns: dict[str, str]) -> dict:
    env = {**BASE_ENV, "DB_HOST": db_host, **revision.env}
    return {
        "name": CONTAINER,
        "image": f"{image_uri}:{revision.tag}",
        "essential": True,
        "cpu": 512,
        "memory": revision.memory,
        "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
        "environment": [{"name": k, "value": v} for k, v in sorted(env.items())],
        "secrets": [{"name": n.upper().replace("-", "_"), "valueFrom": secret_arns[n]} for n in revision.secrets],
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


def seed_task_definitions(
    c: dict[str, Any], config: Config, image_uri: str, db_host: str, secret_arns: dict[str, str]
) -> list[str]:
    """Every revision in order (ARNs, oldest first); the inactive ones are deregistered after registering."""
    arns = []
    for revision in REVISIONS:
        td = c["ecs"].register_task_definition(
            family=config.service.task_family,
            containerDefinitions=[container_definition(config, revision, image_uri, db_host, secret_arns)],
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu="512",
            memory=str(revision.memory),
            executionRoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/kojan-map-ecs-execution",
            taskRoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/kojan-map-business-task",
        )["taskDefinition"]
        arns.append(td["taskDefinitionArn"])
        if not revision.active:
            c["ecs"].deregister_task_definition(taskDefinition=td["taskDefinitionArn"])
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
        deploymentConfiguration=DEPLOYMENT_CONFIGURATION,
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


def seed_buckets(c: dict[str, Any], config: Config) -> None:
    """The ALB log bucket (its objects: ``s3_objects.write_alb_logs``) and the S27 log archive bucket."""
    for bucket in (config.service.alb_log_bucket, LOG_ARCHIVE_BUCKET):
        c["s3"].create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": config.aws.region})


def seed_world(endpoint: str, config: Config) -> dict[str, Any]:
    """Create every resource; returns the ids the simulator needs (task definition ARNs, ARNs, resource id).

    What moto cannot be told through its API (dates, scan findings, rotation, objects kept recent) is set
    afterwards in the server process by ``lifecycle.build_world``."""
    c = clients(endpoint, config.aws.region)
    net = seed_network(c)
    lb = seed_load_balancer(c, config, net)
    secret_arns = seed_secrets(c, config)
    image_uri = seed_image_repository(c, config)
    db_host = seed_database(c, config, net)
    task_defs = seed_task_definitions(c, config, image_uri, db_host, secret_arns)
    seed_service(c, config, net, lb, task_defs[-1])
    c["logs"].create_log_group(logGroupName=config.service.log_group)
    c["logs"].put_retention_policy(logGroupName=config.service.log_group, retentionInDays=30)
    slow_group = f"/aws/rds/instance/{config.service.db_instance}/slowquery"  # EnableCloudwatchLogsExports
    c["logs"].create_log_group(logGroupName=slow_group)
    c["logs"].create_log_stream(logGroupName=slow_group, logStreamName=config.service.db_instance)
    c["logs"].create_log_group(logGroupName=audit_log_group(config))  # the team's copy of the audit trail (issue 11)
    resource_id = seed_autoscaling(c, config)
    seed_buckets(c, config)
    return {"task_definitions": task_defs, "scalable_resource_id": resource_id, **lb, **net}
