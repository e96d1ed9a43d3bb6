"""Shared fixtures live in tests/fixtures/ as plugins, one file per job; every test is put in one lane.

Lanes (``./dev.sh test -m unit``, ``-m "not proof"``, …), decided here so nobody has to remember a marker:
``proof`` (tests/proof: faults, soak, quotas, real terminal), ``demo`` (anything on the embedded AWS),
``ui`` (the app driven by Pilot on the fake gateway, snapshots), ``unit`` (the rest: pure logic, moto).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

# The app survives uncaught exceptions (ui/error_policy.py); under test they end it, as in Textual, so a bug
# fails its test. The tests of the policy itself unset this.
os.environ["KOJAN_STRICT_ERRORS"] = "1"
# The machine's zone is [ui] timezone's default: UTC under test, whatever the developer's machine says (the
# clock in the top line is in snapshots). The tests of local time name their zones.
os.environ["TZ"] = "UTC"
time.tzset()

pytest_plugins = ["tests.fixtures.moto_server", "tests.fixtures.aws_seed", "tests.fixtures.demo_aws"]

TESTS = Path(__file__).parent


def lane_of(item: pytest.Item) -> str:
    parts = Path(str(item.fspath)).relative_to(TESTS).parts
    if parts[0] == "proof":
        return "proof"
    if "demo_aws" in getattr(item, "fixturenames", ()):
        return "demo"
    if parts[0] in ("ui", "snapshots"):
        return "ui"
    return "unit"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(getattr(pytest.mark, lane_of(item)))
