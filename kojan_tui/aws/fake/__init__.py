"""An in-memory gateway for UI tests: set what AWS "has", inject failures, count calls.

It honours the same contract as ``AwsGateway`` where behaviour is shared (see
tests/aws/test_gateway_contract.py): typed results, ``AwsFailure`` on failure, exactly-once log paging,
read-only refusal of mutations. One part per AWS service, like the real gateway.
"""

from __future__ import annotations

from kojan_tui.aws.fake.autoscaling import FakeAutoscaling
from kojan_tui.aws.fake.dynamodb import FakeDynamoDb
from kojan_tui.aws.fake.ecs import FakeEcs
from kojan_tui.aws.fake.fleet import FakeFleet
from kojan_tui.aws.fake.identity import FakeIdentity
from kojan_tui.aws.fake.logs import FakeLogs
from kojan_tui.aws.fake.metrics import FakeMetrics
from kojan_tui.aws.fake.rds import FakeRds
from kojan_tui.aws.fake.resources import FakeEc2, FakeS3, FakeSecrets
from kojan_tui.aws.fake.security import FakeAccessAnalyzer, FakeEcr


class FakeGateway(
    FakeIdentity,
    FakeEcs,
    FakeMetrics,
    FakeLogs,
    FakeRds,
    FakeAutoscaling,
    FakeS3,
    FakeEc2,
    FakeSecrets,
    FakeEcr,
    FakeAccessAnalyzer,
    FakeDynamoDb,
    FakeFleet,
):
    """State is public: tests assign ``service``, ``metrics``, ``log_events``... and ``failures``."""


__all__ = ["FakeGateway"]
