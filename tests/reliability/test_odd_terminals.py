"""With TERM=dumb or a non-UTF-8 locale (LANG=C, LC_ALL=C) the app starts in a real pty, draws, and quits on q."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KOJAN_TUI = REPO / ".venv" / "bin" / "kojan-tui"
BOUND_S = 60.0  # generous, to never hang the suite; not a performance claim


def _read_for(master: int, process: subprocess.Popen, seconds: float, until: bytes | None = None) -> bytes:
    out, started = b"", time.monotonic()
    while time.monotonic() - started < seconds and process.poll() is None:
        if select.select([master], [], [], 0.2)[0]:
            try:
                out += os.read(master, 65536)
            except OSError:
                break
        if until is not None and until in out:
            break
    return out


@pytest.mark.parametrize(
    "env",
    [{"TERM": "dumb"}, {"TERM": "xterm", "LANG": "C", "LC_ALL": "C"}, {"TERM": "dumb", "LANG": "C", "LC_ALL": "C"}],
    ids=["term-dumb", "lang-c", "both"],
)
def test_the_app_starts_and_quits_in_an_odd_terminal(tmp_path, env):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    full_env = {
        **os.environ,
        **env,
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # nothing listens: panels show unavailable, nothing leaves the host
        "AWS_ACCESS_KEY_ID": "kojan-test",
        "AWS_SECRET_ACCESS_KEY": "kojan-test",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    process = subprocess.Popen(
        [str(KOJAN_TUI)], stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=tmp_path, start_new_session=True
    )
    os.close(slave)
    try:
        shown = _read_for(master, process, BOUND_S, until=b"kojan-map-business")
        assert process.poll() is None, shown[-2000:]
        assert b"kojan-map-business" in shown  # it drew the dashboard
        assert b"Traceback" not in shown
        os.write(master, b"q")
        shown += _read_for(master, process, BOUND_S)
        assert process.wait(BOUND_S) == 0
        assert b"Traceback" not in shown
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
