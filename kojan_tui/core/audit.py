"""The audit trail: one JSON line per action taken (or refused) against AWS, appended, never rewritten.

Secret values never reach it: detail keys that look like secrets are replaced by a marker.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

AUDIT_FILENAME = "audit.jsonl"
REDACTED = "<redacted>"
_SECRET_KEY = re.compile(r"secret|password|passwd|token|credential|private.?key|api.?key|access.?key", re.IGNORECASE)


def default_audit_path() -> Path:
    import platformdirs

    return platformdirs.user_state_path("kojan-tui") / AUDIT_FILENAME


def redact(details: object) -> object:
    """A copy of ``details`` with the value of every secret-looking key replaced by ``REDACTED``."""
    if isinstance(details, dict):
        return {str(k): REDACTED if _SECRET_KEY.search(str(k)) else redact(v) for k, v in details.items()}
    if isinstance(details, (list, tuple)):
        return [redact(v) for v in details]
    return details


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
            "target": target,
            "outcome": outcome,
            "identity": identity_arn,
            "details": redact(details or {}),
        }
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str) + "\n"
        with self._lock:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        return entry

    def entries(self, limit: int = 1000) -> list[dict]:
        """The newest ``limit`` entries, oldest first (for an audit view and for tests)."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in deque((line for line in handle if line.strip()), maxlen=limit)]
