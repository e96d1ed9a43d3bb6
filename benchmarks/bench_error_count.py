"""S02 errors count on a busy log group: requests per hour and lag of "scan every 30 s" vs "scan every 60 s + follow the feed".

Run: ``.venv/bin/python -m benchmarks.bench_error_count`` (``--lines-per-minute N`` to change the load).
A moto server on 127.0.0.1 holds one hour of a busy log group; the real ``AwsGateway`` (aiobotocore over
HTTP) runs the dashboard's own fetchers, and every AWS call is counted. The log feed's 2 s polls exist in
both designs (the log pane needs them), so they are measured but not charged to either.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import boto3
from moto.server import ThreadedMotoServer

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config
from kojan_tui.sources.dashboard import DashboardSources

REGION = "ap-northeast-1"
GROUP = "/ecs/kojan-map-business"
BATCH = 10_000  # PutLogEvents' limit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def line(n: int) -> str:
    if n % 100 == 0:
        return f'{{"level":"ERROR","msg":"database connection refused","request_id":"r-{n:x}"}}'
    if n % 10 == 0:
        return f'{{"level":"ERROR","msg":"request failed","status":500,"request_id":"r-{n:x}"}}'
    return f'{{"level":"INFO","msg":"request","status":200,"path":"/api/spots/{n}","request_id":"r-{n:x}"}}'


def seed(endpoint: str, now_ms: int, per_minute: int) -> int:
    logs = boto3.client("logs", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="b", aws_secret_access_key="b")
    logs.create_log_group(logGroupName=GROUP)
    logs.create_log_stream(logGroupName=GROUP, logStreamName="ecs/business/1")
    total = per_minute * 60
    step = 3_600_000 / total
    events = [{"timestamp": int(now_ms - 3_600_000 + i * step), "message": line(i)} for i in range(total)]
    for i in range(0, total, BATCH):
        logs.put_log_events(logGroupName=GROUP, logStreamName="ecs/business/1", logEvents=events[i : i + BATCH])
    return total


async def measure(endpoint: str, per_minute: int) -> None:
    config = Config()
    config = replace(config, aws=replace(config.aws, endpoint_url=endpoint, region=REGION, profile=None, max_attempts=1))
    gateway = AwsGateway(config.aws, static_credentials=("bench", "bench"))
    calls: Counter[str] = Counter()
    real_call = gateway._call

    async def counting(service: str, operation: str, /, **params):
        calls[operation] += 1
        return await real_call(service, operation, **params)

    gateway._call = counting  # type: ignore[method-assign]
    sources = DashboardSources(gateway, config, clock=lambda: datetime.now(UTC))
    try:
        started = time.perf_counter()
        errors, _db, _end = await sources.fetch_errors()
        scan_s = time.perf_counter() - started
        scan_requests = calls["FilterLogEvents"]
        calls.clear()
        await sources.log_feed.poll()  # the pane's first load of the last 5 minutes
        first_feed = calls["FilterLogEvents"]
        calls.clear()
        await sources.log_feed.poll()  # a follow step (nothing new arrived: the cheapest case)
        follow = calls["FilterLogEvents"]
    finally:
        await gateway.close()
    hourly_a = 3600 / 30 * scan_requests
    hourly_b = 3600 / 60 * scan_requests
    print(f"busy log group: {per_minute:,} lines/min, {errors:,} ERROR lines in the last hour")
    print(f"one S02 scan (ERROR 1 h + 'database connection' 10 min): {scan_requests} FilterLogEvents requests, {scan_s:.2f} s")
    print(f"log feed (both designs): first load {first_feed} requests, each 2 s follow step {follow}")
    print(
        f"A  scan every 30 s (metrics interval):  {hourly_a:,.0f} requests/h, count up to 30 s + {scan_s:.1f} s behind the pane"
    )
    print(f"B  scan every 60 s + follow the feed:   {hourly_b:,.0f} requests/h, count at most one log poll (2 s) behind the pane")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines-per-minute", type=int, default=3_000)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's access log
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        seed(endpoint, int(time.time() * 1000), args.lines_per_minute)
        asyncio.run(measure(endpoint, args.lines_per_minute))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
