"""Fixtures of the proof tests: the fault proxy in front of the session's embedded AWS, or the same faults
injected inside the client (botocore's ``before-send``) where no socket needs to be involved."""

from __future__ import annotations

import pytest

from kojan_tui.aws.base import AwsBase
from kojan_tui.demo.fault_injector import FaultInjector
from kojan_tui.demo.faults import FaultPlan, FaultProxy


@pytest.fixture
def fault_proxy(demo_world):
    """A fault proxy (no faults yet: set ``proxy.plan``) in front of the embedded AWS, reset to healthy."""
    with FaultProxy(demo_world.endpoint_url, FaultPlan(seed=15)) as proxy:
        yield proxy


@pytest.fixture
async def fault_injector(demo_world, monkeypatch):
    """A fault injector (no faults yet: set ``injector.plan``) inside every gateway made from now on (its
    sessions, credential resets included), which talk to the embedded AWS itself, reset to healthy."""
    injector = FaultInjector(FaultPlan(seed=15))
    new_session = AwsBase._new_session

    def injected(gateway: AwsBase):
        settings = gateway.settings
        return injector.install(
            new_session(gateway), connect_timeout=settings.connect_timeout, read_timeout=settings.read_timeout
        )

    monkeypatch.setattr(AwsBase, "_new_session", injected)
    yield injector
    await injector.aclose()
