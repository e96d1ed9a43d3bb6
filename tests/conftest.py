"""Shared fixtures live in tests/fixtures/ as plugins, one file per job."""

import os

# The app survives uncaught exceptions (ui/error_policy.py); under test they end it, as in Textual, so a bug
# fails its test. The tests of the policy itself unset this.
os.environ["KOJAN_STRICT_ERRORS"] = "1"

pytest_plugins = ["tests.fixtures.moto_server", "tests.fixtures.aws_seed", "tests.fixtures.demo_aws"]
