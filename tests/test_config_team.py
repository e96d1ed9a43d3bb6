"""``[team]``: the shared DynamoDB table of team mode (empty or absent: off) and its region."""

from __future__ import annotations

import pytest

from kojan_tui.core.config import Config, load_config
from tests.test_config import SHIPPED, error_for, run_cli, write


def test_absent_or_empty_means_team_mode_off(tmp_path):
    assert (Config().team.table, Config().team.region) == ("", "")
    assert load_config(SHIPPED).team.table == ""
    assert load_config(write(tmp_path, '[team]\ntable = ""\nregion = ""\n')).team.table == ""


def test_a_table_and_a_region_are_read(tmp_path):
    config = load_config(write(tmp_path, '[team]\ntable = "kojan-oncall"\nregion = "us-east-1"\n'))
    assert (config.team.table, config.team.region) == ("kojan-oncall", "us-east-1")


@pytest.mark.parametrize(
    ("line", "key", "expected"),
    [
        ('table = "on call"', "team.table", "is not a DynamoDB table name"),
        ('table = "ab"', "team.table", "is not a DynamoDB table name"),
        ('region = "tokyo"', "team.region", "is not an AWS region name"),
        ("table = 3", "team.table", "must be a string"),
    ],
)
def test_a_bad_value_names_the_key_and_the_line(tmp_path, line, key, expected):
    error = error_for(tmp_path, f"[team]\n{line}\n")
    assert error.key == key and error.line == 2
    assert expected in str(error)


def test_the_command_exits_2_on_a_bad_table(tmp_path):
    path = write(tmp_path, '[team]\ntable = "bad name!"\n')
    done = run_cli("--config", str(path), "team", "init", "--print", cwd=tmp_path)
    assert done.returncode == 2
    assert "team.table" in done.stderr and str(path) in done.stderr


def test_init_prints_the_exact_aws_cli_commands(tmp_path):
    path = write(tmp_path, '[team]\ntable = "kojan-oncall"\nregion = "us-east-1"\n')
    done = run_cli("--config", str(path), "team", "init", "--print", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(
        "aws dynamodb create-table --table-name kojan-oncall --region us-east-1 --billing-mode PAY_PER_REQUEST"
    )
    assert "AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE" in lines[0]
    assert lines[2].endswith("--time-to-live-specification Enabled=true,AttributeName=expires_at")


def test_init_without_a_table_says_where_to_name_it(tmp_path):
    path = write(tmp_path, "[team]\n")
    done = run_cli("--config", str(path), "team", "init", cwd=tmp_path)
    assert done.returncode == 2 and "[team] table is empty" in done.stderr and str(path) in done.stderr


def test_init_creates_the_table_once_on_the_moto_server(tmp_path, moto_endpoint):
    import boto3

    path = write(tmp_path, '[team]\ntable = "kojan-oncall"\n')
    first = run_cli("--config", str(path), "--endpoint-url", moto_endpoint, "team", "init", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "created table kojan-oncall in ap-northeast-1" in first.stdout
    client = boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name="ap-northeast-1")
    table = client.describe_table(TableName="kojan-oncall")["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]} == {"pk": "HASH", "sk": "RANGE"}
    ttl = client.describe_time_to_live(TableName="kojan-oncall")["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at")
    again = run_cli("--config", str(path), "--endpoint-url", moto_endpoint, "team", "init", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "already exists" in again.stdout
