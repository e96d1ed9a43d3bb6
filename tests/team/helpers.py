"""A collector process and ``--team`` consoles on the embedded AWS (a moto server over HTTP), each behind its own
counting proxy: what each one asks of AWS and of the team table is counted at the HTTP layer."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import replace
from pathlib import Path

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import RefreshSettings, TeamSettings
from kojan_tui.ui.app import KojanApp
from tests.fixtures.aws_seed import fast_settings
from tests.proof.helpers import fast_config

# What a viewer must never ask while its collector is alive: CloudWatch, Logs (its own Live Tail aside), ECS, RDS.
DASHBOARD_OPERATIONS = frozenset(
    {
        "GetMetricData",
        "FilterLogEvents",
        "DescribeServices",
        "DescribeTaskDefinition",
        "ListTasks",
        "DescribeTasks",
        "DescribeDBInstances",
        "DescribeScalingActivities",
        "DescribeLogGroups",
        "StartQuery",
        "GetQueryResults",
    }
)
TABLE_OPERATIONS = frozenset({"Query", "GetItem", "PutItem", "UpdateItem", "DescribeTable"})


def new_table_name() -> str:
    return f"kojan-team-{uuid.uuid4().hex[:8]}"


async def create_table(endpoint: str, table: str) -> None:
    gateway = AwsGateway(fast_settings(endpoint))
    try:
        await gateway.dynamodb_create_table(table)
    finally:
        await gateway.close()


def collector_config_file(tmp_path: Path, table: str, refresh_s: float) -> Path:
    path = tmp_path / "collector.toml"
    path.write_text(
        "[refresh]\n"
        f"metrics_seconds = {refresh_s}\nservice_seconds = {refresh_s}\nlogs_seconds = {refresh_s}\nerrors_seconds = {refresh_s}\n"
        f'[team]\ntable = "{table}"\n',
        encoding="utf-8",
    )
    return path


def start_collector(config: Path, endpoint: str, collector_id: str, tmp_path: Path) -> subprocess.Popen[bytes]:
    """``kojan-tui collect`` as a real process (the environment's dummy credentials, its own home)."""
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_STATE_HOME": str(tmp_path / "state")}
    return subprocess.Popen(
        [sys.executable, "-m", "kojan_tui", "--config", str(config), "--endpoint-url", endpoint, "collect", "--id", collector_id],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def viewer(endpoint: str, table: str, refresh_s: float, tmp_path: Path, name: str) -> KojanApp:
    """A ``--team`` console (the real app, a real gateway) whose requests go to ``endpoint``."""
    from kojan_tui.core.audit import AuditTrail
    from kojan_tui.store.database import LazyDatabase

    refresh = RefreshSettings(
        metrics_seconds=refresh_s, service_seconds=refresh_s, logs_seconds=refresh_s, errors_seconds=refresh_s
    )
    config = fast_config(endpoint, refresh)
    config = replace(
        config,
        aws=replace(config.aws, connect_timeout=2.0, read_timeout=10.0, max_attempts=2),
        team=TeamSettings(table=table, frames=True),
        ui=replace(config.ui, language="en"),
    )
    gateway = AwsGateway(config.aws, static_credentials=("demo", "demo"))
    return KojanApp(
        config, gateway, audit=AuditTrail(tmp_path / f"audit-{name}.jsonl"), database=LazyDatabase(tmp_path / f"{name}.sqlite3")
    )
