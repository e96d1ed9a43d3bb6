"""Fixtures of the procedure tests on the embedded AWS."""

from __future__ import annotations

import pytest

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import AwsSettings
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from tests.fixtures.request_limits import without_request_limits


@pytest.fixture
async def gateway(demo_world):
    """The real gateway on the embedded AWS (reset to ``healthy`` for the test), closed afterwards."""
    gw = AwsGateway(
        AwsSettings(endpoint_url=demo_world.endpoint_url, max_attempts=2), static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)
    )
    yield gw
    await gw.close()


@pytest.fixture
async def unlimited_gateway(demo_world):
    """``gateway`` without its client-side request limits: for a test that runs every check for what they say,
    not for how they share the log quotas (tests/fixtures/request_limits.py)."""
    gw = without_request_limits(
        AwsGateway(
            AwsSettings(endpoint_url=demo_world.endpoint_url, max_attempts=2), static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)
        )
    )
    yield gw
    await gw.close()
