"""Fixtures of the proof tests: the fault proxy in front of the session's embedded AWS."""

from __future__ import annotations

import pytest

from kojan_tui.demo.faults import FaultPlan, FaultProxy


@pytest.fixture
def fault_proxy(demo_world):
    """A fault proxy (no faults yet: set ``proxy.plan``) in front of the embedded AWS, reset to healthy."""
    with FaultProxy(demo_world.endpoint_url, FaultPlan(seed=15)) as proxy:
        yield proxy
