"""The embedded AWS leaves nothing behind: no process, no bound port, after stop() or when its parent dies."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from kojan_tui.demo.embedded import EmbeddedAws, EmbeddedAwsError
from tests.demo.helpers import wait_for

PARENT = """
import sys, time
from kojan_tui.demo.embedded import EmbeddedAws
aws = EmbeddedAws(tick_seconds=0.5)
aws.start()
print(aws.pid, aws.endpoint_url, flush=True)
time.sleep(600)
"""


def gone(pid: int) -> bool:
    """True when ``pid`` has exited (a zombie awaiting its reaper counts as exited)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_stop_ends_the_process_and_frees_the_port():
    aws = EmbeddedAws(tick_seconds=0.5)
    aws.spawn()  # returns at once: the caller can do its own start-up work meanwhile
    endpoint = aws.wait_ready()
    assert aws.start() == endpoint  # already running: start() just answers
    pid, port = aws.pid, urlparse(endpoint).port
    assert endpoint == f"http://127.0.0.1:{port}" and aws.running
    with urllib.request.urlopen(f"{endpoint}/_kojan/scenario", timeout=5) as response:
        assert b'"healthy"' in response.read()
    aws.stop()
    assert gone(pid) and port_free(port) and not aws.running
    aws.stop()  # idempotent
    with pytest.raises(EmbeddedAwsError):
        _ = aws.endpoint_url


def test_a_parent_killed_with_sigkill_leaves_no_orphan():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        child_pid, endpoint = parent.stdout.readline().split()
        child_pid, port = int(child_pid), urlparse(endpoint).port
        assert not gone(child_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=5)
        wait_for(lambda: gone(child_pid), timeout=10, what="the orphaned server to exit")
        wait_for(lambda: port_free(port), timeout=5, what="the port to be free")
    finally:
        parent.kill()
        parent.wait()


def test_a_server_that_cannot_start_says_why():
    started = time.monotonic()
    with pytest.raises(EmbeddedAwsError, match="--tick must be positive"):
        EmbeddedAws(tick_seconds=-1).start()
    assert time.monotonic() - started < 10


def test_unknown_scenarios_are_refused_before_anything_starts():
    with pytest.raises(ValueError, match="unknown scenario 'nope'"):
        EmbeddedAws("nope")


def test_the_control_api_switches_scenarios_and_guards_the_world(demo_world):
    assert [s.name for s in demo_world.scenarios()][0] == "healthy"
    demo_world.set_scenario("storage-full")
    assert demo_world.scenario == "storage-full"
    with pytest.raises(ValueError):
        demo_world.set_scenario("nope")
    request = urllib.request.Request(f"{demo_world.endpoint_url}/_kojan/scenario", data=b'{"name": "nope"}', method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 400
    wipe = urllib.request.Request(f"{demo_world.endpoint_url}/moto-api/reset", method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(wipe, timeout=5)
    assert caught.value.code == 403
    assert demo_world.status()["tasks"] == 2
    assert os.environ["AWS_ENDPOINT_URL"] == demo_world.endpoint_url  # demo_world points the environment at it
