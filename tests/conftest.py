"""Shared fixtures live in tests/fixtures/ as plugins, one file per job."""

pytest_plugins = ["tests.fixtures.moto_server", "tests.fixtures.aws_seed", "tests.fixtures.demo_aws"]
