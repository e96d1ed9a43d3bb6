"""Run one of the helper scripts next to these tests in a child process, as the app would run: it prints READY
once its writes are done, and is then killed with SIGKILL (no cleanup of any kind runs)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def start_script(script: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=ENV)


def run_until_ready_then_kill(script: Path, *args: str) -> str:
    """The READY line the script printed before it was killed."""
    child = start_script(script, *args)
    try:
        line = child.stdout.readline()
        assert line.startswith("READY"), line
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
        return line
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
