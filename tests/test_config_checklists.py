"""Config keys of the checklists: ``[service] health_url`` (optional, http(s)), ``[checklists]``; --demo's health URL."""

from __future__ import annotations

import pytest

from kojan_tui.cli import demo_config
from kojan_tui.core.config import Config, ConfigError, load_config
from tests.test_config import SERVICE_TABLE, error_for, write


def test_a_service_table_without_health_url_stays_valid(tmp_path):
    config = load_config(write(tmp_path, SERVICE_TABLE))
    assert config.service.health_url is None and config.service.cluster != Config().service.cluster


def test_health_url_is_read_and_must_be_http(tmp_path):
    config = load_config(write(tmp_path, SERVICE_TABLE + 'health_url = "https://api.example/health"\n'))
    assert config.service.health_url == "https://api.example/health"
    error = error_for(tmp_path, SERVICE_TABLE + 'health_url = "ftp://api.example/health"\n')
    assert error.key == "service.health_url" and "http:// or https://" in str(error)


def test_checklists_table(tmp_path):
    config = load_config(write(tmp_path, '[checklists]\nstability_minutes = 45\narchive_bucket = "archive"\n'))
    assert (config.checklists.stability_minutes, config.checklists.archive_bucket) == (45.0, "archive")
    for bad in ("stability_minutes = 0", "stability_minutes = 2000", 'stability_minutes = "30"', 'archive_bucket = ""'):
        error = error_for(tmp_path, f"[checklists]\n{bad}\n")
        assert error.key.startswith("checklists."), bad
    with pytest.raises(ConfigError) as unknown:
        load_config(write(tmp_path, "[checklists]\nstabilty_minutes = 30\n"))
    assert "did you mean 'checklists.stability_minutes'" in str(unknown.value)


def test_demo_points_the_health_url_at_the_embedded_api():
    config = demo_config(Config(), "http://127.0.0.1:4566")
    assert config.service.health_url == "http://127.0.0.1:4566/_kojan/app/health"
    assert config.aws.endpoint_url == "http://127.0.0.1:4566" and config.aws.profile is None
