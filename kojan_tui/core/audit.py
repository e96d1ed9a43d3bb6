"""The audit trail: one JSON line per action taken (or refused) against AWS, appended, never rewritten.

Secret values never reach it: detail keys that look like secrets are replaced by a marker.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
import threading
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

from kojan_tui.core.private_files import FILE_MODE, private_dir
from kojan_tui.core.secret_rule import is_secret_name, mask_text

AUDIT_FILENAME = "audit.jsonl"
REDACTED = "<redacted>"


def default_audit_path() -> Path:
    import platformdirs

    return platformdirs.user_state_path("kojan-tui") / AUDIT_FILENAME


def redact(details: object) -> object:
    """A copy of ``details`` with the value of every secret-named key replaced by ``REDACTED`` and the
    credential-shaped parts of every string masked (the one rule, ``core.secret_rule``)."""
    if isinstance(details, dict):
        return {str(k): REDACTED if is_secret_name(str(k)) else redact(v) for k, v in details.items()}
    if isinstance(details, (list, tuple)):
        return [redact(v) for v in details]
    if isinstance(details, str):
        return mask_text(details)
    return details


def encode_entry(entry: dict) -> str:
    """One record as the JSON of its line (the local file and the CloudWatch Logs copy say the same)."""
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)


class AuditPathError(OSError):
    """The audit path is not a plain file we may write (a symbolic link, a directory...): refused, never followed."""


class AuditTrail:
    """Append-only JSON lines at ``path`` (created 0600, parent directories 0700 when missing)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_audit_path()
        self._lock = threading.Lock()

    def record(
        self,
        action: str,
        target: str,
        outcome: str,
        identity_arn: str | None,
        details: dict | None = None,
        *,
        now: datetime | None = None,
    ) -> dict:
        """Append one entry and return it. ``outcome`` is e.g. ``ok``, ``failed: throttled``, ``refused``."""
        entry = {
            "ts": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds"),
            "action": action,
            "target": mask_text(target),
            "outcome": mask_text(outcome),
            "identity": identity_arn,
            "details": redact(details or {}),
        }
        line = encode_entry(entry) + "\n"
        with self._lock:
            private_dir(self.path.parent)  # 0700, tightened when it was looser
            fd = self._open(os.O_RDWR | os.O_APPEND | os.O_CREAT)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # another kojan-tui appending at once waits: whole lines only
                data = line.encode("utf-8")
                if _ends_mid_line(fd):  # a writer died mid-line: start ours on a fresh line
                    data = b"\n" + data
                while data:
                    data = data[os.write(fd, data) :]
            finally:
                os.close(fd)  # releases the lock
        return entry

    def entries(self, limit: int = 1000) -> list[dict]:
        """The newest ``limit`` entries, oldest first (for an audit view and for tests).

        A line that is not a whole JSON object (a writer killed mid-line) is skipped, never fatal.
        """
        try:
            fd = self._open(os.O_RDONLY)
        except FileNotFoundError:
            return []
        with os.fdopen(fd, encoding="utf-8", errors="replace") as handle:
            parsed = (_parse(line) for line in handle if line.strip())
            return list(deque((entry for entry in parsed if entry is not None), maxlen=limit))

    def _open(self, flags: int) -> int:
        try:
            fd = os.open(self.path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise AuditPathError(
                    errno.ELOOP, "the audit trail is a symbolic link; refusing to follow it", str(self.path)
                ) from None
            if error.errno == errno.EISDIR:
                raise AuditPathError(errno.EISDIR, "the audit trail is a directory, not a file", str(self.path)) from None
            raise
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise AuditPathError(errno.EINVAL, "the audit trail is not a regular file", str(self.path))
        if stat.S_IMODE(info.st_mode) & 0o077 and flags & (os.O_WRONLY | os.O_RDWR):
            os.fchmod(fd, FILE_MODE)  # an existing trail with loose permissions is tightened to 0600
        return fd


def _ends_mid_line(fd: int) -> bool:
    size = os.fstat(fd).st_size
    return size > 0 and os.pread(fd, 1, size - 1) != b"\n"


def _parse(line: str) -> dict | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None
