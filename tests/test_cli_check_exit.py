"""--check's exit status follows its verdict (0 OK, 1 WARN, 2 bad config, 3 ALERT, 4 could not judge), against
the embedded AWS in its healthy and outage scenarios, and a dead endpoint answers in under 5 s."""

from __future__ import annotations

import socket
import time

import boto3

from kojan_tui import cli
from kojan_tui.core.levels import Level
from tests.fixtures.aws_seed import SERVICE

DEAD_ENDPOINT_BUDGET_S = 5.0
OUTAGE_TIMEOUT_S = 60.0


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(monkeypatch, tmp_path, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no user config: the built-in defaults and the flags
    code = cli.main([*args, "--check"])
    return code, capsys.readouterr().out


def wait_for_no_task_running(endpoint: str) -> None:
    ecs = boto3.client("ecs", region_name="ap-northeast-1", endpoint_url=endpoint)
    deadline = time.monotonic() + OUTAGE_TIMEOUT_S
    while True:
        service = ecs.describe_services(cluster=SERVICE.cluster, services=[SERVICE.name])["services"][0]
        if service["runningCount"] == 0:
            return
        assert time.monotonic() < deadline, f"the outage scenario still runs {service['runningCount']} tasks"
        time.sleep(0.1)  # polling AWS for a condition, not waiting a fixed time for it


def test_healthy_exits_0(demo_world, monkeypatch, tmp_path, capsys) -> None:
    code, out = check(monkeypatch, tmp_path, capsys, "--endpoint-url", demo_world.endpoint_url)
    assert code == 0, out
    assert "verdict     ✓ OK HEALTHY" in out and out.rstrip().endswith("result      OK (exit 0)")


def test_outage_exits_3_with_the_alert(demo_world, monkeypatch, tmp_path, capsys) -> None:
    demo_world.reset("outage")
    wait_for_no_task_running(demo_world.endpoint_url)
    code, out = check(monkeypatch, tmp_path, capsys, "--endpoint-url", demo_world.endpoint_url)
    assert code == 3, out
    assert "verdict     ✖ ALERT" in out and "result      OK" not in out
    assert out.rstrip().endswith("result      ALERT (exit 3)")


def test_a_dead_endpoint_exits_4_in_under_5_s_with_the_default_timeouts(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "dummy")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "dummy")
    started = time.monotonic()
    code, out = check(monkeypatch, tmp_path, capsys, "--endpoint-url", f"http://127.0.0.1:{closed_port()}")
    took = time.monotonic() - started
    assert code == 4, out
    assert took < DEAD_ENDPOINT_BUDGET_S, f"--check took {took:.1f} s on a dead endpoint"
    assert "identity    FAILED GetCallerIdentity: unavailable" in out
    assert out.rstrip().endswith("result      COULD NOT JUDGE (exit 4)")


def test_the_most_serious_outcome_wins() -> None:
    code = cli.check_exit_code
    assert code(Level.OK, judged=True, bad_config=False) == 0
    assert code(Level.WARNING, judged=True, bad_config=False) == 1
    assert code(Level.OK, judged=True, bad_config=True) == 2
    assert code(Level.WARNING, judged=True, bad_config=True) == 2
    assert code(Level.ALERT, judged=True, bad_config=True) == 3
    assert code(Level.ALERT, judged=False, bad_config=False) == 3  # an alert read is never hidden by another failure
    assert code(Level.UNKNOWN, judged=True, bad_config=False) == 4
    assert code(None, judged=False, bad_config=True) == 4
    assert code(Level.OK, judged=False, bad_config=False) == 4


def test_help_documents_the_exit_codes(capsys) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for line in ("0  OK", "1  WARN", "2  bad config", "3  ALERT", "4  could not judge"):
        assert line in out
