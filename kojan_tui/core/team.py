"""Team mode's table: the AWS CLI commands that create it (``kojan-tui team init --print``) and the IAM
actions it needs, worded once for the command, the README and the tests."""

from __future__ import annotations

import shlex

TTL_ATTRIBUTE = "expires_at"
IAM_ACTIONS = (
    "dynamodb:DescribeTable",
    "dynamodb:CreateTable",
    "dynamodb:UpdateTimeToLive",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:GetItem",
    "dynamodb:Query",
)


def init_commands(table: str, region: str, profile: str | None = None) -> list[str]:
    """The exact commands that make the table ``kojan-tui team init`` makes: on-demand, keys pk/sk, TTL."""
    common = f"--table-name {shlex.quote(table)} --region {shlex.quote(region)}"
    if profile:
        common += f" --profile {shlex.quote(profile)}"
    return [
        f"aws dynamodb create-table {common} --billing-mode PAY_PER_REQUEST"
        " --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=S"
        " --key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE",
        f"aws dynamodb wait table-exists {common}",
        f"aws dynamodb update-time-to-live {common} --time-to-live-specification Enabled=true,AttributeName={TTL_ATTRIBUTE}",
    ]


def team_region(table_region: str, aws_region: str) -> str:
    return table_region or aws_region
