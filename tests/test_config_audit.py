"""``[audit] log_group``: the optional CloudWatch Logs copy of the audit trail (empty or absent: off)."""

from __future__ import annotations

import pytest

from kojan_tui.core.config import Config, load_config
from tests.test_config import SHIPPED, error_for, run_cli, write


def test_absent_or_empty_means_no_copy(tmp_path):
    assert Config().audit.log_group == ""
    assert load_config(SHIPPED).audit.log_group == ""  # shipped commented out
    assert load_config(write(tmp_path, '[audit]\nlog_group = ""\n')).audit.log_group == ""


def test_a_log_group_name_is_read(tmp_path):
    config = load_config(write(tmp_path, '[audit]\nlog_group = "/kojan-map/ops-audit"\n'))
    assert config.audit.log_group == "/kojan-map/ops-audit"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"ops audit"', "' ' is not allowed"),
        ('"/kojan:audit"', "':' is not allowed"),
        ('"/kojan/\\u0007"', "'\\x07' is not allowed"),
        ('"' + "a" * 513 + '"', "at most 512 characters"),
        ("true", "must be a string, got a boolean true"),
        ('["/a"]', "must be a string, got an array"),
    ],
    ids=["space", "colon", "control", "too-long", "bool", "array"],
)
def test_a_bad_log_group_names_the_file_the_line_and_the_key(tmp_path, value, expected):
    error = error_for(tmp_path, f"[audit]\nlog_group = {value}\n")
    assert error.key == "audit.log_group" and error.line == 2
    assert expected in str(error)


def test_a_misspelt_key_is_suggested(tmp_path):
    error = error_for(tmp_path, '[audit]\nloggroup = "/a"\n')
    assert "did you mean 'audit.log_group'?" in str(error)


def test_the_cli_exits_2_with_one_line(tmp_path):
    path = write(tmp_path, '[audit]\nlog_group = "no spaces please"\n')
    result = run_cli("--config", str(path), "--check", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"config error in {path}, line 2: audit.log_group: 'no spaces please' is not a log group name")
