"""The real gateway: the per-service parts (one module each) over one shared aiobotocore session.

Adaptive retries and connect/read timeouts come from ``AwsSettings``; every failure leaves as an
``AwsFailure`` (mapped in ``kojan_tui.aws.errors``); every result is a core dataclass. A new AWS service
is a new ``*Calls`` module here, a matching ``*Api`` protocol and a fake.
"""

from __future__ import annotations

from kojan_tui.aws.accessanalyzer import AccessAnalyzerCalls
from kojan_tui.aws.autoscaling import AutoscalingCalls
from kojan_tui.aws.dynamodb import DynamoDbCalls
from kojan_tui.aws.ec2 import Ec2Calls
from kojan_tui.aws.ecr import EcrCalls
from kojan_tui.aws.ecs import EcsCalls
from kojan_tui.aws.fleet import FleetCalls
from kojan_tui.aws.identity import IdentityCalls
from kojan_tui.aws.logs import LogsCalls
from kojan_tui.aws.metrics import MetricsCalls
from kojan_tui.aws.rds import RdsCalls
from kojan_tui.aws.s3 import S3Calls
from kojan_tui.aws.secrets import SecretsCalls


class AwsGateway(
    IdentityCalls,
    EcsCalls,
    MetricsCalls,
    LogsCalls,
    RdsCalls,
    AutoscalingCalls,
    S3Calls,
    Ec2Calls,
    SecretsCalls,
    EcrCalls,
    AccessAnalyzerCalls,
    DynamoDbCalls,
    FleetCalls,
):
    """Everything the app asks of AWS (see ``kojan_tui.aws.protocol.Gateway``), over aiobotocore."""
