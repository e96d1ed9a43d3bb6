"""Fixtures of the procedure tests on the embedded AWS."""

from __future__ import annotations

import pytest

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import AwsSettings
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET


@pytest.fixture
async def gateway(demo_world):
    """The real gateway on the embedded AWS (reset to ``healthy`` for the test), closed afterwards."""
    gw = AwsGateway(
        AwsSettings(endpoint_url=demo_world.endpoint_url, max_attempts=2), static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET)
    )
    yield gw
    await gw.close()
