"""The terminal going away ends the app: a hung-up tty (closed window, dropped ssh) is noticed even when
SIGHUP is ignored (``nohup``), instead of the input thread spinning on a dead terminal for ever."""

from __future__ import annotations

import asyncio
import logging
import os
import termios
import threading
from collections.abc import Callable
from typing import Any

HANGUP_EXIT = 129  # 128 + SIGHUP: what a shell reports for a job whose terminal hung up
CHECK_INTERVAL_S = 0.5
# The orderly exit gets this long; Textual's shutdown can block writing to the dead terminal (its output
# queue stops draining), so then the demo server is stopped and the process leaves at once. That is safe:
# SQLite commits are durable (WAL, synchronous FULL) and every audit line is written whole.
FORCE_EXIT_AFTER_S = 3.0

log = logging.getLogger(__name__)


def terminal_alive(fd: int) -> bool:
    """False once ``fd``'s terminal has hung up (the kernel then answers every ioctl with EIO) or is closed."""
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError):
        return False
    return True


async def end_when_terminal_gone(
    app: Any,
    fds: tuple[int, ...],
    *,
    on_forced_exit: Callable[[], None] | None = None,
    interval_s: float = CHECK_INTERVAL_S,
    force_after_s: float = FORCE_EXIT_AFTER_S,
) -> None:
    """Watch the terminals among ``fds``; when one goes, ``app.exit(HANGUP_EXIT)``, with a hard deadline.

    Nothing to watch (headless tests, pipes): returns at once.
    """
    watched = tuple(fd for fd in fds if _is_tty(fd))
    if not watched:
        return
    while all(terminal_alive(fd) for fd in watched):
        await asyncio.sleep(interval_s)
    log.warning("the terminal went away: exiting")
    _detach(watched)
    timer = threading.Timer(force_after_s, _force_exit, args=(on_forced_exit,))
    timer.daemon = True
    timer.start()
    app.exit(return_code=HANGUP_EXIT)


def _detach(fds: tuple[int, ...]) -> None:
    """Put /dev/null where the dead terminal was, so the orderly shutdown's writes (restoring the screen)
    neither fail nor block; reads see end of file."""
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in {*fds, 0, 1, 2}:
            if not terminal_alive(fd) or fd in fds:
                os.dup2(null, fd)
    finally:
        os.close(null)


def _is_tty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _force_exit(on_forced_exit: Callable[[], None] | None) -> None:
    try:
        if on_forced_exit is not None:
            on_forced_exit()
    finally:
        os._exit(HANGUP_EXIT)
