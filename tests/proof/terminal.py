"""A real terminal for end-to-end tests: the installed ``kojan-tui`` in a tmux pane (screen read back as
text with ``capture-pane``), or in a pexpect pty when tmux is missing (screen as the raw output stream)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil

KOJAN_TUI = Path(sys.executable).with_name("kojan-tui")
WIDTH, HEIGHT = 160, 48
SPECIAL_KEYS = {"Enter": "\r", "Escape": "\x1b"}  # tmux key names → bytes for pexpect; anything else is typed


class Terminal:
    """``Terminal(args)``: the program in a fresh pseudo-terminal; ``text()``, ``keys()``, ``close()``."""

    def __init__(self, args: list[str], *, cwd: Path) -> None:
        # In English unless asked (the UI's default is the guide's Japanese; these tests and benchmarks read English).
        language = [] if any(a.startswith("--lang") for a in args) else ["--lang", "en"]
        self.command = [str(KOJAN_TUI), *language, *args]
        self.tmux = shutil.which("tmux")
        self.socket = f"kojan-proof-{uuid.uuid4().hex[:8]}"
        self._child = None
        self._seen = ""
        # Without COLUMNS/LINES: a size in the environment (pytest-xdist's workers carry 80x24) wins over the
        # pseudo-terminal's own in shutil.get_terminal_size, which Textual asks.
        inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        env = {**inherited, "TERM": "xterm-256color", "COLORTERM": "truecolor", "HOME": str(cwd)}
        if self.tmux:
            shell_command = " ".join(f"'{part}'" for part in self.command)
            self._tmux(
                "new-session", "-d", "-s", "app", "-x", str(WIDTH), "-y", str(HEIGHT), "-c", str(cwd), shell_command, env=env
            )
            self.pid = int(self._tmux("display-message", "-p", "-t", "app", "#{pane_pid}").strip())
        else:
            import pexpect

            self._child = pexpect.spawn(
                self.command[0], self.command[1:], cwd=str(cwd), env=env, dimensions=(HEIGHT, WIDTH), encoding="utf-8"
            )
            self.pid = self._child.pid

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        assert self.tmux is not None
        result = subprocess.run([self.tmux, "-L", self.socket, *args], capture_output=True, text=True, env=env, timeout=10)
        return result.stdout

    def text(self) -> str:
        """What the screen shows now (tmux), or everything the program wrote so far (pexpect)."""
        if self.tmux:
            return self._tmux("capture-pane", "-p", "-t", "app")
        assert self._child is not None
        try:
            while True:
                self._seen += self._child.read_nonblocking(65536, timeout=0.1)
        except Exception:  # noqa: BLE001 - pexpect.TIMEOUT / EOF: nothing more for now
            pass
        return self._seen

    def keys(self, *keys: str) -> None:
        for key in keys:
            if self.tmux:
                self._tmux("send-keys", "-t", "app", *([key] if key in SPECIAL_KEYS else ["-l", key]))
            else:
                assert self._child is not None
                self._child.send(SPECIAL_KEYS.get(key, key))

    def wait_for(self, predicate, what: str, timeout: float = 90.0) -> str:
        """The screen text once ``predicate(text)`` holds; fails with the last screen after ``timeout`` (a guard)."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not seen in {timeout:.0f}s; the screen:\n{screen[-6000:]}")
            time.sleep(0.3)

    def processes(self) -> list[psutil.Process]:
        """The program and every process it started."""
        try:
            root = psutil.Process(self.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def hang_up(self) -> None:
        """The terminal goes away (an SSH connection dropping): tmux kills the session, pexpect closes the pty."""
        if self.tmux:
            self._tmux("kill-server")
        elif self._child is not None:
            self._child.close(force=False)

    def close(self) -> None:
        self.hang_up()
        for process in self.processes():
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass


def gone(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """The processes still alive (and not zombies) after waiting up to ``timeout`` seconds."""
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
