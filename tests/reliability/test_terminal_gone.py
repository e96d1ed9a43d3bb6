"""The terminal going away ends the app, even when SIGHUP is ignored (nohup): no spinning, no orphaned demo server."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

import psutil

from kojan_tui.ui.terminal import HANGUP_EXIT, terminal_alive

REPO = Path(__file__).resolve().parents[2]
KOJAN_TUI = REPO / ".venv" / "bin" / "kojan-tui"
EXIT_BOUND_S = 30.0  # generous: the app itself gives up on an orderly exit after 3 s


def test_terminal_alive_until_the_master_side_closes():
    master, slave = pty.openpty()
    try:
        assert terminal_alive(slave)
        os.close(master)  # the window closes: the kernel hangs the slave up, every ioctl now fails
        assert not terminal_alive(slave)
    finally:
        os.close(slave)
    assert not terminal_alive(slave)  # a closed descriptor is gone too
    read_end, write_end = os.pipe()
    try:
        assert not terminal_alive(read_end)  # a pipe is no terminal
    finally:
        os.close(read_end)
        os.close(write_end)


def _session_with_sighup_ignored() -> None:
    """What ``nohup`` and a new terminal session give the child: its own session, the pty as controlling tty."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


def _demo_servers(process: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in process.children(recursive=True):
        try:
            if "kojan_tui.demo.server" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def test_closing_the_terminal_ends_the_app_and_its_demo_server(tmp_path):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 110, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path)}
    app = subprocess.Popen(
        [str(KOJAN_TUI), "--demo"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        preexec_fn=_session_with_sighup_ignored,  # noqa: PLW1509 - the point of the test
        env=env,
        cwd=tmp_path,
    )
    os.close(slave)
    servers: list[psutil.Process] = []
    try:
        shown, started = b"", time.monotonic()
        while time.monotonic() - started < 90 and not (servers and len(shown) > 20_000):
            if select.select([master], [], [], 0.5)[0]:
                shown += os.read(master, 65536)
            servers = servers or _demo_servers(psutil.Process(app.pid))
        assert servers, "the demo server never started"
        assert app.poll() is None, shown[-2000:]
        os.close(master)  # the terminal window closes
        master = -1
        code = app.wait(EXIT_BOUND_S)
        assert code == HANGUP_EXIT
        gone, alive = psutil.wait_procs(servers, timeout=EXIT_BOUND_S)
        assert alive == [], "the demo server outlived the app"
    finally:
        if master >= 0:
            os.close(master)
        if app.poll() is None:
            app.kill()
            app.wait()
        for server in servers:
            if server.is_running():
                server.kill()
