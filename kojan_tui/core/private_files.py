"""Writing the app's own files: 0600 in a 0700 directory, never through a symlink, either created exclusively
(a report never overwrites) or atomically replaced on purpose (a temporary file renamed over the old one)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

FILE_MODE, DIR_MODE = 0o600, 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def private_dir(path: Path, *, tighten_existing: bool = True) -> Path:
    """``path`` created (with parents) as 0700; an existing directory the user owns is tightened to 0700
    (``tighten_existing``: the app's state dir yes, a directory of the user's repository no)."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    info = path.stat()
    if tighten_existing and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        with contextlib.suppress(OSError):
            path.chmod(DIR_MODE)
    return path


def tighten(path: Path) -> None:
    """An existing file of ours with loose permissions (group/other bits) becomes 0600; symlinks are refused."""
    if path.is_symlink():
        raise OSError(f"{path} is a symlink; refusing to use it")
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(FILE_MODE)


def create_exclusive(path: Path, data: str | bytes, *, tighten_dir: bool = True) -> Path:
    """Write a new file; ``FileExistsError`` if anything (a file, a symlink) is already at ``path``."""
    private_dir(path.parent, tighten_existing=tighten_dir)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def write_private_atomically(path: Path, data: str | bytes, *, tighten_dir: bool = True) -> Path:
    """Replace ``path`` on purpose: a 0600 temporary file in the same directory renamed over it (a symlink at
    ``path`` is replaced, never followed)."""
    private_dir(path.parent, tighten_existing=tighten_dir)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def open_append_private(path: Path, *, tighten_dir: bool = True):
    """A file opened for appending (created 0600), never through a symlink; loose permissions tightened."""
    private_dir(path.parent, tighten_existing=tighten_dir)
    tighten(path)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW, FILE_MODE)
    return os.fdopen(fd, "a", encoding="utf-8")
