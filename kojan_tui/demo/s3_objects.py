"""Objects in the demo's S3 buckets: recent ALB access logs (S07) and an emptied log archive (S27).

The ALB log bucket holds the last half hour of access logs in AWS's key layout, one object per 5 minutes,
rewritten relative to now whenever the world is built or reset.
"""

from __future__ import annotations

import gzip
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.s3.models import s3_backends

from kojan_tui.demo.seed import ACCOUNT_ID, LOG_ARCHIVE_BUCKET, split_dimension
from kojan_tui.demo.world import World

ALB_LOG_OBJECTS = 6  # one per 5 minutes: the last 30 minutes
ALB_LOG_INTERVAL = timedelta(minutes=5)


def alb_log_line(at: datetime, lb: str, i: int, status: int) -> str:
    """One ALB access-log entry in AWS's space-separated format (documentation IPs, random trace id)."""
    request = '"GET https://api.kojan-map.example:443/api/business/posts HTTP/2.0"'
    trace = f'"Root=1-{secrets.token_hex(4)}-{secrets.token_hex(12)}"'
    return " ".join(
        [
            "https",
            at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            lb,
            f"203.0.113.{10 + i}:5{i:04d}",
            f"10.0.1.{40 + i % 2}:8080",
            "0.000",
            f"0.0{4 + i % 5}1",
            "0.000",
            str(status),
            str(status),
            "312",
            "1045",
            request,
            '"kojan-map-ios/3.2"',
            "ECDHE-RSA-AES128-GCM-SHA256",
            "TLSv1.2",
            "-",
            trace,
        ]
    )


def alb_log_prefix(world: World) -> str:
    return f"AWSLogs/{ACCOUNT_ID}/elasticloadbalancing/{world.region}/"


def _clear(s3: Any, bucket: str, prefix: str = "") -> None:
    for key in [k for k in s3.get_bucket(bucket).keys.keys() if k.startswith(prefix)]:
        s3.delete_object(bucket, key)


def write_alb_logs(world: World, now: float) -> list[str]:
    """Replace the bucket's access logs with ``ALB_LOG_OBJECTS`` files ending at most 5 minutes ago; their keys."""
    s3 = s3_backends[world.account_id]["aws"]
    bucket, region = world.config.service.alb_log_bucket, world.region
    if bucket not in s3.buckets:
        return []
    _clear(s3, bucket, alb_log_prefix(world))
    lb_name, lb_id = split_dimension(world.config.service.load_balancer, "app", "kojan-map-alb")
    end = datetime.fromtimestamp(now, UTC).replace(second=0, microsecond=0)
    end -= timedelta(minutes=end.minute % 5)
    keys = []
    for n in range(ALB_LOG_OBJECTS, 0, -1):
        t = end - (n - 1) * ALB_LOG_INTERVAL
        name = (
            f"{ACCOUNT_ID}_elasticloadbalancing_{region}_app.{lb_name}.{lb_id}_{t:%Y%m%dT%H%M}Z_10.0.1.23_{secrets.token_hex(4)}"
        )
        statuses = [200] * 8 + [401, 304]
        start = t - ALB_LOG_INTERVAL
        lines = [alb_log_line(start + timedelta(seconds=i * 29), f"app/{lb_name}/{lb_id}", i, s) for i, s in enumerate(statuses)]
        key = f"{alb_log_prefix(world)}{t:%Y/%m/%d}/{name}.log.gz"
        s3.put_object(bucket, key, gzip.compress(("\n".join(lines) + "\n").encode()))
        keys.append(key)
    return keys


def empty_log_archive(world: World) -> None:
    s3 = s3_backends[world.account_id]["aws"]
    if LOG_ARCHIVE_BUCKET in s3.buckets:
        _clear(s3, LOG_ARCHIVE_BUCKET)
