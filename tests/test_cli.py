"""The kojan-tui command: --version, --help, --check against moto, and clean exits on every path."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from kojan_tui import __version__, cli
from kojan_tui.core.clock import ShiftedClock
from tests.fixtures.aws_seed import SERVICE

REPO = Path(__file__).resolve().parent.parent


def fast_config(tmp_path: Path, endpoint: str) -> Path:
    path = tmp_path / "kojan.toml"
    path.write_text(f'[aws]\nendpoint_url = "{endpoint}"\nconnect_timeout = 1.0\nread_timeout = 5.0\nmax_attempts = 1\n')
    return path


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"kojan-tui {__version__}"


def test_help_lists_the_examples(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for example in (
        "kojan-tui --demo",
        "kojan-tui --demo --scenario db-outage",
        "kojan-tui --profile prod --read-only",
        "kojan-tui --check",
        "kojan-tui --config ~/kojan.toml --theme kojan-light",
    ):
        assert example in out
    for flag in (
        "--config",
        "--profile",
        "--region",
        "--endpoint-url",
        "--read-only",
        "--refresh",
        "--theme",
        "--demo",
        "--scenario",
        "--list-scenarios",
        "--check",
        "--version",
    ):
        assert flag in out


def test_check_against_seeded_moto_prints_the_counts(seeded_aws, tmp_path, capsys):
    code = cli.main(["--config", str(fast_config(tmp_path, seeded_aws.endpoint)), "--check"])
    out = capsys.readouterr().out
    assert code == 3, out  # the exit status follows the verdict: ALERT
    assert "account     123456789012" in out
    assert f"service     {SERVICE.cluster}/{SERVICE.name}: ACTIVE" in out
    assert "running 0 / desired 2, pending 2" in out
    # the dashboard's own verdict: no task running while 2 are desired is an alert even mid-rollout (issue 9)
    assert "verdict     ✖ ALERT UNHEALTHY — 0 of 2 tasks running; rollout in progress" in out
    assert "task def    kojan-map-business:3" in out
    assert out.rstrip().endswith("result      ALERT (exit 3)")


def test_check_names_the_audit_copy_group_and_fails_while_it_is_missing(seeded_aws, tmp_path, capsys):
    import boto3

    config = fast_config(tmp_path, seeded_aws.endpoint)
    config.write_text(config.read_text() + '\n[audit]\nlog_group = "/kojan-map/ops-audit-check"\n')
    assert cli.main(["--config", str(config), "--check"]) == 3  # the service's ALERT outranks the bad config (2)
    out = capsys.readouterr().out
    assert "audit copy  /kojan-map/ops-audit-check: FAILED not found" in out
    assert out.rstrip().endswith("result      ALERT (exit 3)")
    logs = boto3.client("logs", region_name="ap-northeast-1", endpoint_url=seeded_aws.endpoint)
    logs.create_log_group(logGroupName="/kojan-map/ops-audit-check")
    try:
        assert cli.main(["--config", str(config), "--check"]) == 3
        assert "audit copy  /kojan-map/ops-audit-check: found" in capsys.readouterr().out
    finally:
        logs.delete_log_group(logGroupName="/kojan-map/ops-audit-check")


def test_check_as_a_real_command_with_the_endpoint_flag(seeded_aws, tmp_path):
    """The console entry point end to end: a fresh process, the endpoint given as a flag, env credentials."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "kojan_tui", "--endpoint-url", seeded_aws.endpoint, "--check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3, result.stdout + result.stderr  # 0 of 2 running: ALERT
    assert "running 0 / desired 2" in result.stdout
    assert "config      none found: built-in defaults" in result.stdout


def test_check_reads_aws_endpoint_url_from_the_environment(seeded_aws, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AWS_ENDPOINT_URL", seeded_aws.endpoint)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert cli.main(["--check"]) == 3  # reached and judged: 0 of 2 running
    out = capsys.readouterr().out
    assert f"endpoint    {seeded_aws.endpoint} (from AWS_ENDPOINT_URL)" in out
    assert "desired 2" in out


def test_check_missing_service_fails_with_the_mapped_reason(moto_endpoint, tmp_path, capsys):
    code = cli.main(["--config", str(fast_config(tmp_path, moto_endpoint)), "--check"])
    out = capsys.readouterr().out
    assert code == 4
    assert f"service     {SERVICE.cluster}/{SERVICE.name}: FAILED DescribeServices: not found" in out
    assert "account     123456789012" in out  # identity still worked
    assert out.rstrip().endswith("result      COULD NOT JUDGE (exit 4)")


def test_check_against_an_unreachable_endpoint_exits_4(moto_endpoint, tmp_path):
    config = fast_config(tmp_path, f"http://127.0.0.1:{closed_port()}")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "kojan_tui", "--config", str(config), "--check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4
    assert "Traceback" not in result.stdout + result.stderr
    failures = [line for line in result.stdout.splitlines() if "FAILED" in line and ":" in line]
    assert any(line.startswith("  identity    FAILED GetCallerIdentity: unavailable — cannot reach AWS") for line in failures), (
        result.stdout
    )
    assert f"  service     {SERVICE.cluster}/{SERVICE.name}: not asked (unavailable)" in result.stdout


def test_unexpected_errors_are_one_line_unless_debugging(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))

    def explode(*_args, **_kwargs):
        raise RuntimeError("disk\non fire")

    monkeypatch.setattr(cli, "load_config", explode)
    monkeypatch.delenv("KOJAN_DEBUG", raising=False)
    assert cli.main(["--check"]) == 4  # --check: could not judge (1 would read as WARN)
    err = capsys.readouterr().err
    assert err.strip() == "kojan-tui: unexpected error: RuntimeError: disk on fire (KOJAN_DEBUG=1 shows the traceback)"
    monkeypatch.setenv("KOJAN_DEBUG", "1")
    assert cli.main(["--check"]) == 4
    assert "Traceback" in capsys.readouterr().err


class RecordingDemo:
    """Stands in for EmbeddedAws in the exit-path tests: records start/stop."""

    instances: list[RecordingDemo] = []

    def __init__(self, scenario: str = "healthy", config=None) -> None:
        self.scenario, self.config, self.stopped = scenario, config, False
        self.endpoint_url = ""
        self.clock = ShiftedClock()  # the world's time, which the app is given
        RecordingDemo.instances.append(self)

    def start(self) -> str:
        self.endpoint_url = "http://127.0.0.1:9"
        return self.endpoint_url

    def stop(self) -> None:
        self.stopped = True


def test_gateway_closed_and_demo_stopped_when_the_app_crashes(monkeypatch, tmp_path, capsys):
    import kojan_tui.demo.embedded as embedded
    import kojan_tui.ui.app as ui_app
    from kojan_tui.aws.gateway import AwsGateway

    closed: list[AwsGateway] = []
    real_close = AwsGateway.close

    async def recording_close(self):
        closed.append(self)
        await real_close(self)

    class CrashingApp:
        def __init__(self, config, gateway, *, demo=None, clock=None, audit=None, database=None):
            self.gateway, self.demo, self.return_code = gateway, demo, None
            given_clocks.append(clock)

        async def run_async(self):
            raise RuntimeError("the UI broke")

    given_clocks: list = []

    RecordingDemo.instances.clear()
    monkeypatch.setattr(AwsGateway, "close", recording_close)
    monkeypatch.setattr(embedded, "EmbeddedAws", RecordingDemo)
    monkeypatch.setattr(ui_app, "KojanApp", CrashingApp)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--demo", "--scenario", "db-outage"]) == 1
    (demo,) = RecordingDemo.instances
    assert demo.scenario == "db-outage" and demo.stopped
    assert given_clocks == [demo.clock]  # the app runs on the embedded AWS's time
    assert len(closed) == 1 and closed[0].settings.endpoint_url == "http://127.0.0.1:9"
    assert "RuntimeError: the UI broke" in capsys.readouterr().err


def test_demo_uses_dummy_credentials_and_the_embedded_endpoint(monkeypatch, tmp_path):
    import kojan_tui.demo.embedded as embedded
    import kojan_tui.ui.app as ui_app

    seen = {}

    class RecordingApp:
        def __init__(self, config, gateway, *, demo=None, clock=None, audit=None, database=None):
            seen.update(config=config, gateway=gateway, demo=demo, audit=audit)
            self.return_code = 0

        async def run_async(self):
            return None

    RecordingDemo.instances.clear()
    monkeypatch.setattr(embedded, "EmbeddedAws", RecordingDemo)
    monkeypatch.setattr(ui_app, "KojanApp", RecordingApp)
    monkeypatch.setenv("AWS_PROFILE", "prod")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--demo", "--profile", "prod", "--read-only"]) == 0
    assert seen["demo"] is RecordingDemo.instances[0] and seen["demo"].stopped
    assert seen["config"].aws.endpoint_url == "http://127.0.0.1:9" and seen["config"].aws.profile is None
    assert seen["gateway"]._static_credentials == cli.DEMO_CREDENTIALS
    assert seen["gateway"].read_only is True
    assert seen["audit"].path.name == "audit-demo.jsonl"


def test_each_demo_launch_has_its_own_state_database_removed_at_exit(monkeypatch, tmp_path):
    """The embedded AWS is a new world every launch: nothing a demo recorded is resumed against the next one."""
    import kojan_tui.demo.embedded as embedded
    import kojan_tui.ui.app as ui_app

    databases: list = []

    class WritingApp:
        def __init__(self, config, gateway, *, demo=None, clock=None, audit=None, database=None):
            self.database, self.return_code = database, 0

        async def run_async(self):
            path = self.database.path
            path.write_bytes(b"a run of this world")
            databases.append((path, path.exists()))

    monkeypatch.setattr(embedded, "EmbeddedAws", RecordingDemo)
    monkeypatch.setattr(ui_app, "KojanApp", WritingApp)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--demo"]) == 0
    assert cli.main(["--demo"]) == 0
    (first, first_existed), (second, second_existed) = databases
    assert first_existed and second_existed and first != second
    assert not first.parent.exists() and not second.parent.exists()  # removed at exit
    assert not (tmp_path / "state").exists() or not list((tmp_path / "state").rglob("*.sqlite3"))
    assert cli.database_path(None) == tmp_path / "state" / "kojan-tui" / "kojan.sqlite3"  # real use: the user's


def test_unknown_scenario_exits_2(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--demo", "--scenario", "meteor-strike"]) == 2
    assert "unknown scenario 'meteor-strike'; choose one of: healthy" in capsys.readouterr().err


def test_list_scenarios(capsys):
    from kojan_tui.demo.scenarios import SCENARIOS

    assert cli.main(["--demo", "--list-scenarios"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(SCENARIOS)
    assert out[0].split()[0] == "healthy" and any(line.startswith("db-outage") for line in out)


def test_check_against_the_embedded_demo(tmp_path):
    """--demo --check end to end: the embedded AWS starts, answers as AWS, and is stopped."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "kojan_tui", "--demo", "--check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(embedded demo AWS, dummy credentials; scenario healthy)" in result.stdout
    assert "running 2 / desired 2" in result.stdout
    assert "audit copy  /kojan-map/ops-audit: found" in result.stdout  # the group the demo seeds


def test_demo_that_cannot_start_is_one_line_and_exit_4_under_check(monkeypatch, tmp_path, capsys):
    import kojan_tui.demo.embedded as embedded

    class BrokenDemo(RecordingDemo):
        def start(self) -> str:
            raise embedded.EmbeddedAwsError(
                "the embedded AWS exited with code 1 before it was ready: Traceback...\nOSError: no ports"
            )

    RecordingDemo.instances.clear()
    monkeypatch.setattr(embedded, "EmbeddedAws", BrokenDemo)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--demo", "--check"]) == 4
    assert capsys.readouterr().err.strip().splitlines()[-1] == "kojan-tui: the embedded demo AWS did not start: OSError: no ports"
    assert RecordingDemo.instances[0].stopped
