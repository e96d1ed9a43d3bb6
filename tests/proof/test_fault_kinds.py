"""Each fault the proxy injects, on each call the dashboard polls, reaches the gateway's caller as the
failure the panels show (never an unmapped exception, never an empty result that looks like data).

Every test runs twice: through the loopback fault proxy (the faults on a real socket: resets, bodies cut
short, answers later than the read timeout) and with the same faults injected inside the client at its HTTP
layer (``FaultInjector``, which the 10,000-fault run uses): both must end in the same failure, call by call.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core import metrics_catalog
from kojan_tui.core.config import AwsSettings, Config
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.demo import faults
from kojan_tui.demo.faults import FaultPlan

SERVICE = Config().service
EXPECTED = {
    faults.THROTTLE_400: FailureKind.THROTTLED,
    faults.THROTTLE_429: FailureKind.THROTTLED,
    faults.HTTP_500: FailureKind.UNAVAILABLE,
    faults.HTTP_503: FailureKind.UNAVAILABLE,
    faults.SLOW: FailureKind.TIMEOUT,
    faults.RESET: FailureKind.UNAVAILABLE,
    faults.TRUNCATED: FailureKind.UNAVAILABLE,
    faults.MALFORMED: FailureKind.UNAVAILABLE,
    faults.EXPIRED: FailureKind.CREDENTIALS,
}


def calls(gateway: AwsGateway):
    end = datetime.now(UTC)
    end_ms = int(end.timestamp() * 1000)
    return {
        "DescribeServices": lambda: gateway.describe_service(SERVICE.cluster, SERVICE.name),
        "GetMetricData": lambda: gateway.get_metric_data(metrics_catalog.s03_queries(SERVICE, 60), end - timedelta(hours=1), end),
        "DescribeDBInstances": lambda: gateway.describe_db_instance(SERVICE.db_instance),
        "FilterLogEvents": lambda: gateway.filter_log_events(SERVICE.log_group, start_ms=end_ms - 60_000),
        "GetCallerIdentity": gateway.caller_identity,
    }


def gateway_via(endpoint_url: str) -> AwsGateway:
    settings = AwsSettings(endpoint_url=endpoint_url, connect_timeout=0.5, read_timeout=0.3, max_attempts=1)
    return AwsGateway(settings, static_credentials=("demo", "demo"))


@pytest.fixture(params=["proxy", "in-process"])
def faulty(request, demo_world):
    """(what injects the faults and counts them, the endpoint a gateway is pointed at): the proxy, or the injector."""
    if request.param == "proxy":
        proxy = request.getfixturevalue("fault_proxy")
        return proxy, proxy.endpoint_url
    return request.getfixturevalue("fault_injector"), demo_world.endpoint_url


@pytest.mark.parametrize("kind", list(EXPECTED))
async def test_every_fault_on_every_polled_call_becomes_the_failure_the_panels_show(faulty, kind):
    faults_of, endpoint_url = faulty
    faults_of.plan = FaultPlan(rate=1.0, kinds=(kind,), slow_seconds=0.6)
    async with gateway_via(endpoint_url) as gateway:
        for operation, call in calls(gateway).items():
            with pytest.raises(AwsFailure) as caught:
                await call()
            assert caught.value.kind is EXPECTED[kind], (operation, caught.value)
            assert caught.value.operation == operation
    assert faults_of.faults[kind] == 5  # one per call: max_attempts=1, no retries
    assert faults_of.requests == {operation: 1 for operation in calls(gateway)}


async def test_partial_metric_data_is_marked_partial_not_complete(faulty):
    faults_of, endpoint_url = faulty
    faults_of.plan = FaultPlan(rate=1.0, kinds=(faults.PARTIAL,), operations=frozenset({"GetMetricData"}))
    async with gateway_via(endpoint_url) as gateway:
        series = await calls(gateway)["GetMetricData"]()
    assert series and {s.status for s in series.values()} == {"PartialData"}
    assert faults_of.faults[faults.PARTIAL] == 1 and faults_of.forwarded["GetMetricData"] == 1


async def test_without_faults_every_polled_call_succeeds(faulty):
    faults_of, endpoint_url = faulty
    async with gateway_via(endpoint_url) as gateway:
        for call in calls(gateway).values():
            await call()
    assert faults_of.total_faults == 0
    assert sum(faults_of.requests.values()) == 5 and sum(faults_of.forwarded.values()) == 5
