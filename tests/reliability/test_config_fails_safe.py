"""Config fails safe: every hostile or broken config ends the real command with exit 2 and ONE line naming file and key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kojan_tui.core.config import ConfigError, ConfigOverrides, load_config

REPO = Path(__file__).resolve().parents[2]
HUGE_INT = "1" + "0" * 400  # a TOML integer beyond a float's range


def run_cli(tmp_path: Path, *args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "kojan_tui", *args, "--check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_exit_2(result: subprocess.CompletedProcess[str], path: Path, *needles: str) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""  # nothing started: no check output, no AWS call
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"config error in {path}"), lines[0]
    assert "\x1b" not in lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("toml", "key", "shown"),
    [
        ("[rollback]\nmemory_percent = nan\n", "rollback.memory_percent", "nan"),
        ("[rollback]\ncpu_sustained_seconds = inf\n", "rollback.cpu_sustained_seconds", "inf"),
        ("[rollback]\nall_failing_error_rate_percent = -nan\n", "rollback.all_failing_error_rate_percent", "nan"),
        ("[thresholds.ecs_cpu_percent]\nwarn = 70\nalert = nan\n", "thresholds.ecs_cpu_percent.alert", "nan"),
        ("[thresholds.p99_latency_ms]\nwarn = 0\nalert = inf\n", "thresholds.p99_latency_ms.alert", "inf"),
        ("[aws]\nread_timeout = 1e999\n", "aws.read_timeout", "inf"),
        (f"[aws]\nread_timeout = {HUGE_INT}\n", "aws.read_timeout", "characters"),
        (f"[aws]\nmax_attempts = {HUGE_INT}\n", "aws.max_attempts", "characters"),
        (f"[ui]\nlog_buffer_lines = {HUGE_INT}\n", "ui.log_buffer_lines", "characters"),
    ],
)
def test_non_finite_and_huge_numbers_exit_2(tmp_path, toml, key, shown):
    path = tmp_path / "config.toml"
    path.write_text(toml, encoding="utf-8")
    line = assert_one_line_exit_2(run_cli(tmp_path, "--config", str(path)), path, key, "finite", shown)
    assert len(line) < 300


def test_nan_never_turns_the_s25_rules_off(tmp_path):
    """nan compares False with everything: a loaded nan would silently disable the roll-back trigger."""
    for key in ("memory_percent", "cpu_percent", "all_failing_error_rate_percent", "cpu_sustained_seconds"):
        path = tmp_path / f"{key}.toml"
        path.write_text(f"[rollback]\n{key} = nan\n", encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_config(path)
        assert caught.value.key == f"rollback.{key}"


def test_a_byte_order_mark_exits_2(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbf[aws]\nregion = "ap-northeast-1"\n')
    assert_one_line_exit_2(run_cli(tmp_path, "--config", str(path)), path, "line 1", "byte order mark")


def test_invalid_utf8_exits_2(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'[aws]\nregion = "\xff"\n')
    assert_one_line_exit_2(run_cli(tmp_path, "--config", str(path)), path, "line 2", "UTF-8")


def test_a_directory_given_as_the_file_exits_2(tmp_path):
    path = tmp_path / "conf.d"
    path.mkdir()
    assert_one_line_exit_2(run_cli(tmp_path, "--config", str(path)), path, "directory")


def test_a_directory_as_the_found_config_is_named(tmp_path):
    with pytest.raises(ConfigError, match="directory"):
        load_config(tmp_path)


def test_an_unreadable_file_exits_2(tmp_path):
    """chmod 000. The tests run as root, which reads anything, so the command runs under ``setpriv`` with
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped: still root, but file modes apply, as for a normal user."""
    path = tmp_path / "config.toml"
    path.write_text('[aws]\nregion = "ap-northeast-1"\n', encoding="utf-8")
    path.chmod(0)
    drop = ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search")
    assert_one_line_exit_2(run_cli(tmp_path, "--config", str(path), prefix=drop), path, "cannot read", "Permission denied")


@pytest.mark.parametrize(
    "url", ["http://example.com", "http://10.0.0.5:4566", "http://[2001:db8::1]/", "http://localhost.evil.com"]
)
def test_plaintext_endpoint_to_a_remote_host_exits_2(tmp_path, url):
    path = tmp_path / "config.toml"
    path.write_text(f'[aws]\nendpoint_url = "{url}"\n', encoding="utf-8")
    assert_one_line_exit_2(run_cli(tmp_path, "--config", str(path)), path, "aws.endpoint_url", "https://")


def test_plaintext_endpoint_flag_to_a_remote_host_exits_2(tmp_path):
    result = run_cli(tmp_path, "--endpoint-url", "http://example.com:4566")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "--endpoint-url" in result.stderr


@pytest.mark.parametrize(
    "url", ["https://example.com", "http://127.0.0.1:4566", "http://127.8.9.10", "http://[::1]:4566", "http://localhost:4566"]
)
def test_https_anywhere_and_http_to_loopback_are_accepted(tmp_path, url):
    path = tmp_path / "config.toml"
    path.write_text(f'[aws]\nendpoint_url = "{url}"\n', encoding="utf-8")
    assert load_config(path).aws.endpoint_url == url


@pytest.mark.parametrize("profile", ["a\\u001b[31mb", "prod\\u0007", "x\\u202ey", "line\\nbreak", "zero\\u200bwidth"])
def test_a_profile_with_control_characters_exits_2(tmp_path, profile):
    path = tmp_path / "config.toml"
    path.write_text(f'[aws]\nprofile = "{profile}"\n', encoding="utf-8")
    assert_one_line_exit_2(run_cli(tmp_path, "--config", str(path)), path, "aws.profile", "control or invisible")


def test_a_profile_flag_with_control_characters_is_refused():
    with pytest.raises(ConfigError) as caught:
        load_config(None, ConfigOverrides(profile="ops\x1b]0;pwned\x07"))
    assert "\x1b" not in str(caught.value) and "--profile" in str(caught.value)
