"""``EmbeddedAws``: the demo server in a child process on a free 127.0.0.1 port, for the app and the tests.

The child's stdin is a pipe we hold: if this process dies, even by SIGKILL, the pipe closes and the
child exits, so no orphan keeps the port. ``clock`` is the world's time on this side: give it to an app under
test, and ``advance(seconds)`` moves both the world and that clock on.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from types import TracebackType
from typing import IO, Any

from kojan_tui.core.clock import ShiftedClock
from kojan_tui.core.config import Config
from kojan_tui.demo.config_codec import config_to_json
from kojan_tui.demo.scenarios import SCENARIOS, Scenario

DUMMY_KEY_ID = "kojan-demo"  # moto accepts any credentials; these never reach AWS
DUMMY_SECRET = "kojan-demo-secret"


def server_env(parent: Mapping[str, str]) -> dict[str, str]:
    """The server child's environment: the parent's minus every ``AWS_*`` variable (keys, tokens, profiles, endpoints).

    The embedded AWS needs no credentials (it seeds itself with dummy ones), and the user's real keys must not
    sit in another process's environment.
    """
    return {k: v for k, v in parent.items() if not k.upper().startswith("AWS_")}


class EmbeddedAwsError(RuntimeError):
    """The embedded AWS could not start, or its control API refused a request."""


class EmbeddedAws:
    def __init__(
        self, scenario: str = "healthy", config: Config | None = None, *, tick_seconds: float = 5.0, startup_timeout: float = 60.0
    ):
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; known: {', '.join(SCENARIOS)}")
        self.config = config or Config()
        self.tick_seconds = tick_seconds
        self.startup_timeout = startup_timeout
        self._scenario = scenario
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._endpoint: str | None = None
        self._lines: queue.Queue[bytes] = queue.Queue()
        self._deadline = 0.0
        self.clock = ShiftedClock()  # the world's time (a core Clock): the wall clock plus what advance() added

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> str:
        """Spawn the server, wait for READY, return the endpoint URL (``http://127.0.0.1:PORT``)."""
        self.spawn()
        return self.wait_ready()

    def spawn(self) -> None:
        """Start the server process without waiting (do other start-up work, then ``wait_ready()``)."""
        if self._process is not None:
            return
        command = [sys.executable, "-m", "kojan_tui.demo.server", "--port", "0", "--scenario", self._scenario]
        command += ["--tick", repr(self.tick_seconds), "--config-json", config_to_json(self.config), "--stdin-watch", "on"]
        env = server_env(os.environ)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - kept for the life of the process, closed in stop()
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env, start_new_session=True
        )
        self._deadline = time.monotonic() + self.startup_timeout
        self._lines: queue.Queue[bytes] = queue.Queue()
        stdout, lines = self._process.stdout, self._lines
        threading.Thread(target=lambda: [lines.put(line) for line in iter(stdout.readline, b"")], daemon=True).start()

    def wait_ready(self) -> str:
        """Block until the spawned server prints READY; the endpoint URL, or EmbeddedAwsError saying why not."""
        if self._endpoint is not None:
            return self._endpoint
        if self._process is None:
            raise EmbeddedAwsError("the embedded AWS was not spawned; call start() or spawn() first")
        while True:
            try:
                line = self._lines.get(timeout=0.1).decode(errors="replace").strip()
            except queue.Empty:
                if self._process.poll() is not None:
                    self._fail(f"the embedded AWS exited with code {self._process.returncode} before it was ready")
                if time.monotonic() > self._deadline:
                    self._fail(f"the embedded AWS was not ready within {self.startup_timeout:.0f}s")
                continue
            if line.startswith("READY "):
                self._endpoint = line.split(" ", 1)[1]
                return self._endpoint

    def _fail(self, message: str) -> None:
        tail = self._stderr_tail()
        self.stop()
        raise EmbeddedAwsError(f"{message}{': ' + tail if tail else ''}")

    def _stderr_tail(self, limit: int = 2000) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-limit:].strip()

    def stop(self, timeout: float = 5.0) -> None:
        """Close the child's stdin, then terminate, then kill; idempotent. The port is free afterwards."""
        process, self._process = self._process, None
        if process is not None:
            for step in (self._close_stdin, process.terminate, process.kill):
                step(process) if step is self._close_stdin else step()
                try:
                    process.wait(timeout=timeout)
                    break
                except subprocess.TimeoutExpired:
                    continue
            if process.stdout is not None:
                process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self._endpoint = None

    @staticmethod
    def _close_stdin(process: subprocess.Popen[bytes]) -> None:
        try:
            if process.stdin is not None:
                process.stdin.close()
        except OSError:
            pass

    def __enter__(self) -> EmbeddedAws:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # -- state -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def endpoint_url(self) -> str:
        if self._endpoint is None:
            raise EmbeddedAwsError("the embedded AWS is not running; call start() first")
        return self._endpoint

    @property
    def scenario(self) -> str:
        """The current scenario (asked of the server when it runs)."""
        if self.running:
            self._scenario = self._control("GET", "scenario")["scenario"]
        return self._scenario

    def set_scenario(self, name: str) -> None:
        """Switch the running world to ``name`` (takes effect from the next tick). Thread-safe, ~ms."""
        if name not in SCENARIOS:
            raise ValueError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
        if self.running:
            self._control("POST", "scenario", {"name": name})
        self._scenario = name

    def reset(self, scenario: str = "healthy") -> None:
        """Back to a known world: ``scenario``, the service steady on the newest revision, fresh history."""
        self._control("POST", "reset", {"scenario": scenario}, timeout=30.0)
        self._scenario = scenario
        self.clock.follow(0.0)  # a reset puts the world back on the wall clock

    def advance(self, seconds: float) -> None:
        """Move the world's time on by ``seconds``: the simulator does every tick of the span (rollouts move,
        minute windows fill) before this returns, and ``clock`` agrees with the world's new time."""
        answer = self._control("POST", "advance", {"seconds": seconds}, timeout=120.0)  # 6 h at a 0.25 s tick: ~30 s
        self.clock.follow(answer["clock_offset_seconds"])

    def status(self) -> dict[str, Any]:
        """Ticks, tasks, datapoint and log event counts, and the server's max RSS in MiB."""
        return self._control("GET", "status")

    @staticmethod
    def scenarios() -> list[Scenario]:
        return list(SCENARIOS.values())

    def client_env(self) -> dict[str, str]:
        """Environment for an AWS client (or the AWS CLI) pointed at this world, with dummy credentials."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": DUMMY_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET,
            "AWS_DEFAULT_REGION": self.config.aws.region,
            "AWS_REGION": self.config.aws.region,
        }

    def _control(self, method: str, path: str, body: dict[str, Any] | None = None, timeout: float = 5.0) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.endpoint_url}/_kojan/{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our own loopback URL
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise EmbeddedAwsError(
                f"control API {method} /_kojan/{path}: {exc.code} {exc.read().decode(errors='replace')}"
            ) from None
        except OSError as exc:
            raise EmbeddedAwsError(f"control API {method} /_kojan/{path}: {exc}") from None
