"""Config loading: the shipped file, every kind of mistake (one line: file, line, key), flags over the file."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kojan_tui.core.config import (
    Config,
    ConfigError,
    ConfigOverrides,
    Threshold,
    load_config,
)
from kojan_tui.core.config_trust import choose_config

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "config.toml"
SERVICE_TABLE = """[service]
cluster = "staging"
name = "business"
task_family = "business"
log_group = "/ecs/business"
load_balancer = "app/alb/1"
target_group = "targetgroup/business/2"
db_instance = "db"
ecr_repository = "business"
secret_prefix = "/business/"
jwt_secret_id = "/business/jwt"
alb_log_bucket = "logs"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"config error in {path}")
    assert "\n" not in message
    return caught.value


def test_shipped_config_is_the_production_setup():
    config = load_config(SHIPPED)
    assert config == replace(Config(), source=str(SHIPPED))
    assert (config.service.cluster, config.service.name, config.aws.region) == (
        "kojan-map-production",
        "kojan-map-business",
        "ap-northeast-1",
    )
    assert config.thresholds.p99_latency_ms == Threshold(700, 1000)
    assert config.thresholds.ecs_memory_percent.alert == 85
    assert config.rollback.memory_percent == 95
    assert config.aws.profile is None and config.aws.endpoint_url is None  # AWS_PROFILE / AWS_ENDPOINT_URL stay in charge


def test_every_key_of_the_shipped_config_is_commented():
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.lstrip().startswith("#"):
            assert lines[number - 1].lstrip().startswith("#") or "#" in line, f"line {number + 1} has no comment: {line}"


def test_bad_toml_names_the_line(tmp_path):
    error = error_for(tmp_path, '[aws]\nregion = "ap-northeast-1"\nread_timeout = \n')
    assert error.line == 3
    assert ", line 3: invalid TOML" in str(error)


def test_unknown_key_suggests_the_closest(tmp_path):
    error = error_for(tmp_path, "[refresh]\nmetric_seconds = 20\n")
    assert error.key == "refresh.metric_seconds" and error.line == 2
    assert str(error).endswith("refresh.metric_seconds: unknown key; did you mean 'refresh.metrics_seconds'?")


def test_unknown_key_in_the_wrong_table_says_where_it_belongs(tmp_path):
    error = error_for(tmp_path, '[ui]\nregion = "ap-northeast-1"\n')
    assert "ui.region: unknown key; it belongs in [aws]" in str(error)


def test_unknown_table(tmp_path):
    error = error_for(tmp_path, "[threshold.ecs_cpu_percent]\nwarn = 1\nalert = 2\n")
    assert error.key == "threshold" and "did you mean 'thresholds'?" in str(error)


def test_missing_required_service_key(tmp_path):
    error = error_for(tmp_path, SERVICE_TABLE.replace('log_group = "/ecs/business"\n', ""))
    assert error.key == "service.log_group"
    assert "service.log_group: missing required key" in str(error)


def test_complete_service_table_loads(tmp_path):
    config = load_config(write(tmp_path, SERVICE_TABLE))
    assert (config.service.cluster, config.service.log_group) == ("staging", "/ecs/business")


def test_threshold_needs_both_levels(tmp_path):
    error = error_for(tmp_path, "[thresholds.rds_cpu_percent]\nalert = 90\n")
    assert error.key == "thresholds.rds_cpu_percent.warn"
    assert "missing required key" in str(error)


def test_wrong_type(tmp_path):
    error = error_for(tmp_path, '[refresh]\nlogs_seconds = "2s"\n')
    assert error.key == "refresh.logs_seconds" and error.line == 2
    assert "refresh.logs_seconds: must be a number, got a string '2s'" in str(error)


def test_bool_is_not_a_number(tmp_path):
    error = error_for(tmp_path, "[aws]\nmax_attempts = true\n")
    assert "aws.max_attempts: must be an integer, got a boolean true" in str(error)
    error = error_for(tmp_path, "[thresholds.ecs_cpu_percent]\nwarn = false\nalert = 80\n")
    assert "thresholds.ecs_cpu_percent.warn: must be a number" in str(error)


def test_int_is_accepted_where_a_float_is_meant(tmp_path):
    config = load_config(write(tmp_path, "[refresh]\nmetrics_seconds = 15\n"))
    assert config.refresh.metrics_seconds == 15.0 and isinstance(config.refresh.metrics_seconds, float)


def test_warn_must_be_below_alert(tmp_path):
    error = error_for(tmp_path, "[thresholds.ecs_cpu_percent]\nwarn = 90\nalert = 80\n")
    assert error.key == "thresholds.ecs_cpu_percent.warn" and error.line == 2
    assert str(error).endswith(": thresholds.ecs_cpu_percent: warn (90) must be below alert (80)")
    equal = error_for(tmp_path, "[thresholds.p99_latency_ms]\nwarn = 1000\nalert = 1000\n")
    assert "warn (1000) must be below alert (1000)" in str(equal)


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("[refresh]\nservice_seconds = -5\n", "refresh.service_seconds", "must be between 1 and 3600 seconds, got -5"),
        ("[refresh]\nmetrics_seconds = 0\n", "refresh.metrics_seconds", "must be between 1 and 3600 seconds"),
        ("[ui]\nlog_buffer_lines = 50\n", "ui.log_buffer_lines", "must be between 100 and 1000000, got 50"),
        ('[ui]\nchart_window = "2h"\n', "ui.chart_window", "'2h' is not a chart window; choose one of 1h, 3h, 24h"),
        ('[ui]\nlanguage = "fr"\n', "ui.language", "'fr' is not a language; choose one of ja, en"),
        ("[ui]\nlanguage = 1\n", "ui.language", "must be a string"),
        ("[ui]\nstale_after_periods = 0\n", "ui.stale_after_periods", "must be between 1 and 60 periods, got 0"),
        ("[ui]\nstale_after_periods = 2.5\n", "ui.stale_after_periods", "must be an integer, got a number 2.5"),
        ("[alerts]\nclear_after_seconds = 7200\n", "alerts.clear_after_seconds", "must be between 0 and 3600 seconds"),
        ("[alerts]\nclear_after = 60\n", "alerts.clear_after", "did you mean 'alerts.clear_after_seconds'?"),
        ("[forecast]\nwarn_within_hours = 0\n", "forecast.warn_within_hours", "must be between 0.1 and 336 hours, got 0"),
        ('[forecast]\nwarn_within_hours = "6h"\n', "forecast.warn_within_hours", "must be a number, got a string '6h'"),
        ("[slo]\navailability = 100\n", "slo.availability", "below 100 (100 leaves no error budget), got 100"),
        ("[slo]\nlatency_p99_ms = 0\n", "slo.latency_p99_ms", "must be above 0 and at most 60000 ms, got 0"),
        ("[slo]\nwindow_days = 400\n", "slo.window_days", "must be between 1 and 90 days"),
        ("[slo]\nwindow_days = 7.5\n", "slo.window_days", "must be an integer, got a number 7.5"),
        ("[forecast]\nwarn_within = 6\n", "forecast.warn_within", "did you mean 'forecast.warn_within_hours'?"),
        ('[aws]\nregion = "tokyo"\n', "aws.region", "not an AWS region name"),
        ('[aws]\nendpoint_url = "localhost:5000"\n', "aws.endpoint_url", "must start with http:// or https://"),
        ("[aws]\nconnect_timeout = 0\n", "aws.connect_timeout", "must be above 0"),
        ('[aws]\nprofile = ""\n', "aws.profile", "must not be empty"),
        ("[thresholds.ecs_cpu_percent]\nwarn = 70\nalert = 180\n", "thresholds.ecs_cpu_percent.alert", "at most 100"),
        ("[thresholds.p99_latency_ms]\nwarn = -1\nalert = 1000\n", "thresholds.p99_latency_ms.warn", "must not be negative"),
        (
            "[rollback]\nmemory_percent = 80\n",
            "rollback.memory_percent",
            "must not be below thresholds.ecs_memory_percent.alert (85)",
        ),
        ('aws = "ap-northeast-1"\n', "aws", "must be a table"),
        ("[actions]\nrollout_timeout_seconds = 5\n", "actions.rollout_timeout_seconds", "between 30 and 7200 seconds, got 5"),
        ("[actions]\nsettling_seconds = -1\n", "actions.settling_seconds", "between 0 and 3600 seconds"),
    ],
)
def test_out_of_range_values(tmp_path, text, key, fragment):
    error = error_for(tmp_path, text)
    assert error.key == key
    assert f"{key}: " in str(error) and fragment in str(error)


def test_unreadable_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"config error in {path}, line 1: is not valid UTF-8")


def test_bad_config_path_is_an_error(tmp_path):
    with pytest.raises(ConfigError) as caught:
        choose_config(str(tmp_path / "missing.toml"), tmp_path)
    assert str(caught.value) == f"config error in {tmp_path / 'missing.toml'}: no such file (given with --config)"


def test_flags_override_the_file(tmp_path):
    path = write(
        tmp_path,
        '[aws]\nregion = "us-east-1"\nprofile = "file-profile"\n[refresh]\nmetrics_seconds = 60\nlogs_seconds = 5\n[ui]\ntheme = "kojan-dark"\n',
    )
    from_file = load_config(path)
    assert (from_file.aws.region, from_file.aws.profile, from_file.refresh.metrics_seconds) == ("us-east-1", "file-profile", 60.0)
    flags = ConfigOverrides(
        profile="prod",
        region="ap-northeast-1",
        endpoint_url="http://127.0.0.1:5000",
        read_only=True,
        refresh_seconds=10,
        theme="kojan-light",
    )
    config = load_config(path, flags)
    assert (config.aws.profile, config.aws.region, config.aws.endpoint_url) == ("prod", "ap-northeast-1", "http://127.0.0.1:5000")
    assert config.ui.read_only is True and config.ui.theme == "kojan-light"
    assert config.refresh.metrics_seconds == 10.0
    assert config.refresh.logs_seconds == 5.0  # --refresh is the dashboard's interval only
    assert load_config(path, ConfigOverrides()) == from_file


def test_bad_flag_value_names_the_flag():
    with pytest.raises(ConfigError) as caught:
        load_config(None, ConfigOverrides(refresh_seconds=0.2))
    assert str(caught.value) == "config error in command line: --refresh: must be between 1 and 3600 seconds, got 0.2"
    with pytest.raises(ConfigError) as caught:
        load_config(None, ConfigOverrides(region="Tokyo"))
    assert "--region: 'Tokyo' is not an AWS region name" in str(caught.value)


def test_environment_is_left_to_botocore(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "from-env")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
    config = load_config(SHIPPED)
    assert config.aws.profile is None and config.aws.endpoint_url is None  # not copied: botocore reads them itself


# -- the command line: exit status 2, one line on stderr, no traceback ---------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_STATE_HOME": str(cwd / ".state")}  # the trusted-config list
    env.pop("KOJAN_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "kojan_tui", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[aws]\nregion = \n", ", line 2: invalid TOML"),
        ("[refresh]\nmetric_seconds = 20\n", "refresh.metric_seconds: unknown key; did you mean 'refresh.metrics_seconds'?"),
        ('[service]\ncluster = "x"\n', "service.name: missing required key"),
        ('[aws]\nmax_attempts = "five"\n', "aws.max_attempts: must be an integer"),
        ("[aws]\nmax_attempts = true\n", "aws.max_attempts: must be an integer, got a boolean true"),
        (
            "[thresholds.ecs_cpu_percent]\nwarn = 90\nalert = 80\n",
            "thresholds.ecs_cpu_percent: warn (90) must be below alert (80)",
        ),
        ("[ui]\nlog_buffer_lines = 10\n", "ui.log_buffer_lines: must be between 100"),
        (
            '[ui]\ntimezone = "Asia/Tokio"\n',
            "line 2: ui.timezone: 'Asia/Tokio' is not a time zone; use an IANA name such as Asia/Tokyo or UTC",
        ),
        ("[forecast]\nwarn_within_hours = 1000\n", "line 2: forecast.warn_within_hours: must be between 0.1 and 336 hours"),
    ],
    ids=["toml", "unknown", "missing", "type", "bool", "warn-alert", "range", "timezone", "forecast"],
)
def test_cli_config_errors_exit_2_with_one_line(tmp_path, text, expected):
    path = write(tmp_path, text)
    result = run_cli("--config", str(path), "--check", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"config error in {path}")
    assert expected in line
    assert result.stdout == ""


def test_cli_missing_config_file_exits_2(tmp_path):
    result = run_cli("--config", "nope.toml", "--check", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"config error in {tmp_path / 'nope.toml'}: no such file (given with --config)"


def test_cli_picks_up_config_toml_in_the_current_directory_once_trusted(tmp_path):
    write(tmp_path, '[ui]\nchart_window = "5m"\n')
    assert run_cli("--trust-config", "config.toml", cwd=tmp_path).returncode == 0
    result = run_cli("--check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"config error in {tmp_path / 'config.toml'}, line 2: ui.chart_window")


def test_cli_bad_flag_value_exits_2(tmp_path):
    result = run_cli("--refresh", "0", "--check", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "config error in command line: --refresh: must be between 1 and 3600 seconds, got 0"


def test_cli_usage_errors_exit_2(tmp_path):
    result = run_cli("--refresh", "soon", cwd=tmp_path)
    assert result.returncode == 2 and "invalid float value" in result.stderr
    result = run_cli("--scenario", "db-outage", cwd=tmp_path)
    assert result.returncode == 2 and "need --demo" in result.stderr
