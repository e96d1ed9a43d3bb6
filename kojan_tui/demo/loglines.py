"""Go-service log lines (log/slog JSON handler style) for the simulated kojan-map business API."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

ENDPOINTS = (
    ("GET", "/api/business/posts", 0.34),
    ("GET", "/api/business/posts/{id}", 0.22),
    ("POST", "/api/business/posts", 0.08),
    ("GET", "/api/business/profile", 0.12),
    ("PUT", "/api/business/profile", 0.03),
    ("GET", "/api/business/stats", 0.07),
    ("POST", "/auth/login", 0.04),
    ("POST", "/auth/mfa/verify", 0.03),
    ("GET", "/healthz", 0.07),
)

ERROR_MESSAGES = {
    "auth": ("invalid token: token has expired", "invalid token: signature is invalid", "invalid token: malformed JWT"),
    "database": (
        "database connection failed: dial tcp 10.0.21.37:3306: connect: connection refused",
        "database connection failed: dial tcp 10.0.21.37:3306: i/o timeout",
        "database connection pool exhausted: context deadline exceeded",
    ),
    "panic": (
        "panic recovered: runtime error: invalid memory address or nil pointer dereference",
        "panic recovered: runtime error: index out of range [3] with length 3",
    ),
    "storage": ("Error 1114 (HY000): The table 'post_views' is full",),
}
WARN_MESSAGES = {
    "slow-query": "slow query",
    "memory": "heap usage high; GC running continuously",
    "cpu": "request queue backlog growing",
    "storage": "database disk usage above 90%",
}


def pick_endpoint(rng: random.Random) -> tuple[str, str]:
    r, acc = rng.random(), 0.0
    for method, path, share in ENDPOINTS:
        acc += share
        if r < acc:
            return method, path.replace("{id}", str(rng.randint(1, 48_000)))
    return "GET", "/healthz"


def request_id(rng: random.Random) -> str:
    return "%08x-%04x-4%03x-%04x-%012x" % (
        rng.getrandbits(32),
        rng.getrandbits(16),
        rng.getrandbits(12),
        0x8000 | rng.getrandbits(14),
        rng.getrandbits(48),
    )


def _stamp(epoch_ms: int) -> str:
    t = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


def line(epoch_ms: int, level: str, msg: str, **fields: object) -> str:
    return json.dumps({"time": _stamp(epoch_ms), "level": level, "msg": msg, **fields}, separators=(",", ":"))


def request_line(rng: random.Random, epoch_ms: int, status: int, latency_ms: float, error_kind: str = "") -> list[str]:
    """The lines one request leaves: an access line, preceded by the error that caused a failure."""
    method, path = pick_endpoint(rng)
    rid = request_id(rng)
    out = []
    if status >= 500 or status in (401, 403):
        kind = error_kind if error_kind in ERROR_MESSAGES else ("auth" if status < 500 else "database")
        err = rng.choice(ERROR_MESSAGES[kind])
        level = "WARN" if (kind == "auth" and status == 401) else "ERROR"
        out.append(line(epoch_ms, level, err, method=method, path=path, request_id=rid))
    elif error_kind == "slow-query" and latency_ms > 1000:
        out.append(line(epoch_ms, "WARN", "slow query", duration_ms=round(latency_ms * 0.8, 1), table="posts", request_id=rid))
    level = "ERROR" if status >= 500 else "WARN" if status >= 400 else "INFO"
    out.append(
        line(
            epoch_ms,
            level,
            "request completed",
            method=method,
            path=path,
            status=status,
            latency_ms=round(latency_ms, 1),
            request_id=rid,
            remote_ip=f"203.0.113.{rng.randint(2, 254)}",
        )
    )
    return out


def background_line(rng: random.Random, epoch_ms: int, error_kind: str) -> str | None:
    """An occasional line not tied to a request (GC pressure, queue backlog, disk usage)."""
    msg = WARN_MESSAGES.get(error_kind)
    if msg is None or error_kind == "slow-query":
        return None
    return line(epoch_ms, "WARN", msg, component="runtime" if error_kind in ("memory", "cpu") else "db")
