"""The [security] table: keys validated with the file and key named; the policy file must exist."""

from __future__ import annotations

import pytest

from kojan_tui.core.config import ConfigError, load_config


def load(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def error(tmp_path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return caught.value


def test_defaults_and_a_valid_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "iam-policy.json").write_text("{}", encoding="utf-8")
    config = load(tmp_path, '[security]\niam_policy_file = "iam-policy.json"\necr_fail_severities = "critical, high, medium"\n')
    assert config.security.iam_policy_file == "iam-policy.json"
    assert config.security.fail_severities == ("CRITICAL", "HIGH", "MEDIUM")
    assert load(tmp_path, "").security.fail_severities == ("CRITICAL", "HIGH")


def test_a_missing_policy_file_names_the_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    caught = error(tmp_path, '[security]\niam_policy_file = "nope.json"\n')
    assert caught.key == "security.iam_policy_file" and caught.line == 2
    assert "'nope.json' is not a readable file" in str(caught)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('ecr_fail_severities = "HIGH,SEVERE"', "comma-separated list of CRITICAL"),
        ('ecr_fail_severities = ","', "comma-separated list"),
        ("image_max_age_days = 0", "between 1 and 3650"),
        ('oauth_token_ttl_env = "OAUTH TTL"', "not an environment variable name"),
        ("image_max_age_days = 9.5", "must be an integer"),
    ],
)
def test_bad_values_are_one_line_naming_the_key(tmp_path, line, expected):
    caught = error(tmp_path, f"[security]\n{line}\n")
    assert caught.key.startswith("security.") and expected in str(caught) and "\n" not in str(caught)
