"""Issue 26: [[fleet.services]] — each entry read like [service], named by index and key when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from kojan_tui.core.config import Config, ConfigError, Threshold, load_config
from kojan_tui.core.fleet_config import fleet_of, is_fleet, service_config
from tests.test_config import SERVICE_TABLE, run_cli


def entry(environment: str, name: str, cluster: str = "kojan-map-production", extra: str = "") -> str:
    return f"""
[[fleet.services]]
environment = "{environment}"
cluster = "{cluster}"
name = "{name}"
log_group = "/ecs/{name}"
load_balancer = "app/alb/1"
target_group = "targetgroup/{name}/2"
db_instance = "{name}-db"
ecr_repository = "kojan-map/{name}"
secret_prefix = "/kojan-map/{name}/"
{extra}"""


FLEET = entry("production", "business") + entry("staging", "business", cluster="kojan-map-staging") + entry("production", "map")


def load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_a_fleet_names_each_service_with_its_environment_and_the_first_is_the_service(tmp_path):
    config = load(tmp_path, FLEET)
    members = fleet_of(config)
    assert [m.key for m in members] == ["production/business", "staging/business", "production/map"]
    assert members[1].service.cluster == "kojan-map-staging"
    assert members[2].service.task_family == "map"  # defaults to the service's name
    assert members[2].service.jwt_secret_id == "/kojan-map/map/jwt-secret"
    assert config.service == members[0].service
    assert is_fleet(config)


def test_a_single_service_config_is_a_fleet_of_one_and_not_a_fleet(tmp_path):
    config = load(tmp_path, SERVICE_TABLE)
    (only,) = fleet_of(config)
    assert only.service == config.service and only.environment == "" and only.thresholds == config.thresholds
    assert not is_fleet(config) and not is_fleet(Config())


def test_per_service_thresholds_override_only_their_metric(tmp_path):
    text = entry("production", "business") + entry(
        "staging", "map", extra="[fleet.services.thresholds.p99_latency_ms]\nwarn = 1500\nalert = 2000\n"
    )
    text = "[thresholds.ecs_cpu_percent]\nwarn = 60\nalert = 70\n" + text
    config = load(tmp_path, text)
    production, staging = fleet_of(config)
    assert staging.thresholds.p99_latency_ms == Threshold(1500, 2000)
    assert staging.thresholds.ecs_cpu_percent == Threshold(60, 70)  # the [thresholds] one
    assert production.thresholds.p99_latency_ms == Threshold(700, 1000)
    assert service_config(config, staging).thresholds == staging.thresholds
    assert service_config(config, staging).service.name == "map"


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        (
            FLEET.replace('cluster = "kojan-map-production"\nname = "map"', 'cluster = 3\nname = "map"'),
            "fleet.services[2].cluster",
            "must be a string",
        ),
        (FLEET.replace('environment = "staging"', 'environment = "Staging!"'), "fleet.services[1].environment", "lowercase"),
        (FLEET.replace('db_instance = "map-db"\n', ""), "fleet.services[2].db_instance", "missing required key"),
        (FLEET + 'colour = "red"\n', "fleet.services[2].colour", "unknown key"),
        (FLEET.replace('name = "map"', 'name = "business"'), "fleet.services[2].name", "already fleet.services[0]"),
        (SERVICE_TABLE + FLEET, "fleet.services", "either [service] or [[fleet.services]]"),
        (
            FLEET + "[fleet.services.thresholds.ecs_cpu_percent]\nwarn = 90\nalert = 80\n",
            "fleet.services[2].thresholds.ecs_cpu_percent",
            "warn (90) must be below alert (80)",
        ),
        (FLEET + "[fleet.services.thresholds.cpu]\nwarn = 1\nalert = 2\n", "fleet.services[2].thresholds.cpu", "unknown metric"),
        (FLEET + 'health_url = "ftp://x"\n', "fleet.services[2].health_url", "must start with http"),
        ("[fleet]\nservices = 3\n", "fleet.services", "one or more [[fleet.services]]"),
    ],
    ids=["type", "environment", "missing", "unknown", "duplicate", "both", "warn-alert", "metric", "url", "not-a-list"],
)
def test_a_bad_entry_is_named_by_index_and_key(tmp_path, text, key, message):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    assert caught.value.key == key
    assert message in str(caught.value)
    assert f": {key}: " in str(caught.value)


def test_the_error_names_the_line_of_the_bad_key(tmp_path):
    text = FLEET.replace('cluster = "kojan-map-production"\nname = "map"', 'cluster = 3\nname = "map"')
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    assert text.splitlines()[caught.value.line - 1] == "cluster = 3"


def test_cli_exits_2_with_one_line_naming_index_and_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(FLEET.replace('environment = "staging"', "environment = 1"), encoding="utf-8")
    result = run_cli("--config", str(path), "--check", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "fleet.services[1].environment: must be a lowercase name" in line


def test_an_entry_knows_every_key_of_service():
    from dataclasses import fields

    from kojan_tui.core.config import ServiceSettings
    from kojan_tui.core.fleet_config import OPTIONAL, REQUIRED

    assert {*REQUIRED[1:], *OPTIONAL} == {f.name for f in fields(ServiceSettings)}


def test_production_runs_read_only_unless_writes_are_allowed_and_confirmation_names_it(tmp_path):
    from kojan_tui.core.fleet_config import confirm_word, environment_of, production_guarded, run_config

    config = load(tmp_path, FLEET)
    production = run_config(config, "production/map", allow_production_writes=False)
    assert production.service.name == "map" and production.ui.read_only
    assert environment_of(production) == "production"
    assert production_guarded(production, allow_production_writes=False)
    assert confirm_word(production, "map") == "production/map"
    assert not run_config(config, "production/map", allow_production_writes=True).ui.read_only
    staging = run_config(config, "staging/business", allow_production_writes=False)
    assert staging.service.cluster == "kojan-map-staging" and not staging.ui.read_only
    assert confirm_word(staging, "business") == "staging/business"
    single = load(tmp_path, SERVICE_TABLE)
    assert run_config(single, None, allow_production_writes=False) is single  # exactly as today
    assert confirm_word(single, "business") == "business" and environment_of(single) == ""
