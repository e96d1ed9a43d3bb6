"""Shared by the security tests: a gateway on the embedded AWS, moto's IAM enforcement, a denied user."""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import replace

import boto3

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config
from tests.fixtures.moto_server import enforce_iam

CONFIG = Config()
SERVICE = CONFIG.service
RESOURCE_ID = f"service/{SERVICE.cluster}/{SERVICE.name}"


def demo_gateway(demo_world, **kwargs) -> AwsGateway:
    settings = replace(CONFIG.aws, endpoint_url=demo_world.endpoint_url, max_attempts=1)
    return AwsGateway(settings, static_credentials=kwargs.pop("credentials", ("demo", "demo")), **kwargs)


def boto(demo_world, service: str):  # noqa: D103
    return boto3.client(
        service,
        endpoint_url=demo_world.endpoint_url,
        region_name=CONFIG.aws.region,
        aws_access_key_id="demo",
        aws_secret_access_key="demo",
    )


@contextmanager
def user_allowed(endpoint: str, name: str, actions: list[str]):
    """Keys of a new IAM user allowed only ``actions``, with moto's IAM enforcement on while inside.

    The plain moto server (``moto_endpoint``): the embedded AWS refuses /moto-api/ calls that would change
    its world for every test at once."""
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=CONFIG.aws.region)
    iam.create_user(UserName=name)
    if actions:
        document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
        iam.put_user_policy(UserName=name, PolicyName="only", PolicyDocument=json.dumps(document))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    enforce_iam(endpoint, "0")
    try:
        yield (key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        enforce_iam(endpoint, "inf")


def moto_gateway(endpoint: str, credentials: tuple[str, str]) -> AwsGateway:
    settings = replace(CONFIG.aws, endpoint_url=endpoint, max_attempts=1)
    return AwsGateway(settings, static_credentials=credentials)
