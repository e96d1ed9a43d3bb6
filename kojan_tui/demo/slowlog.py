"""MySQL slow query log entries, as RDS exports them to CloudWatch Logs (S10, S17: queries over 1 s)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

QUERIES = (
    "SELECT p.*, u.display_name FROM posts p JOIN users u ON u.id = p.user_id WHERE p.business_id = {n} "
    "ORDER BY p.created_at DESC LIMIT 20;",
    "SELECT COUNT(*) FROM post_views WHERE post_id IN (SELECT id FROM posts WHERE business_id = {n});",
    "SELECT * FROM reactions WHERE post_id = {n};",
    "UPDATE businesses SET last_seen_at = NOW() WHERE id = {n};",
)


def log_group(db_instance: str) -> str:
    return f"/aws/rds/instance/{db_instance}/slowquery"


def entry(rng: random.Random, epoch: float, query_seconds: float) -> str:
    """One slow-log entry: the header comments, SET timestamp, and the statement."""
    stamp = datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    examined = int(query_seconds * rng.uniform(150_000, 400_000))
    statement = rng.choice(QUERIES).format(n=rng.randint(1, 9_000))
    return (
        f"# Time: {stamp}\n"
        f"# User@Host: kojan[kojan] @  [10.0.{rng.randint(1, 2)}.{rng.randint(10, 250)}]  Id: {rng.randint(1000, 99999)}\n"
        f"# Query_time: {query_seconds:.6f}  Lock_time: {rng.uniform(0, 0.002):.6f} Rows_sent: {rng.randint(0, 20)}  "
        f"Rows_examined: {examined}\n"
        f"SET timestamp={int(epoch)};\n{statement}"
    )
