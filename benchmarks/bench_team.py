"""Issue 25's measurement: CloudWatch and Logs requests per minute with 1 and with 5 ``--team`` viewers behind one
collector, against 5 consoles polling by themselves, and the team table's read/write units per hour.

Everything runs at once against one embedded AWS (moto over HTTP), at the default refresh, each participant on its
own gateway behind its own counting proxy: the collector (``sources.collector.Collector``), 5 viewers (the
dashboard sources and the frame feed, exactly what a ``--team`` console registers on its poller) and 5 solo
consoles (the dashboard sources alone, what a console without ``--team`` polls). After a warm-up (every first
poll, the Live Tail backfills), the counts are reset and the next ``--seconds`` are counted and scaled to a minute
and an hour. Capacity units are on-demand's: 1 WRU per KB written, 1 RRU per 4 KB read strongly consistent (the
table's reads are; eventually consistent would halve them), item sizes as ``core.frames.item_size`` counts them.

    python -m benchmarks.bench_team [--seconds 300] [--warmup 20]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config
from kojan_tui.core.frames import FRAMES, refresh_of
from kojan_tui.demo.embedded import EmbeddedAws
from kojan_tui.demo.faults import FaultProxy
from kojan_tui.sources.collector import Collector
from kojan_tui.sources.dashboard import DashboardSources
from kojan_tui.sources.poller import Poller
from kojan_tui.sources.team_frames import FrameFeed
from kojan_tui.store.frames import FrameTable, TableUsage

TABLE = "kojan-team-bench"
CLOUDWATCH = frozenset({"GetMetricData"})
LOGS = frozenset({"FilterLogEvents", "StartLiveTail", "DescribeLogGroups", "StartQuery", "GetQueryResults"})
DYNAMODB = frozenset({"PutItem", "GetItem", "Query", "UpdateItem", "DescribeTable"})
VIEWERS = SOLO = 5


def now() -> datetime:
    return datetime.now(UTC)


class Console:
    """A console's polling, without its screens: the same sources on the same poller; with a table, a viewer."""

    def __init__(self, endpoint: str, config: Config, *, table: str | None) -> None:
        self.gateway = AwsGateway(replace(config.aws, endpoint_url=endpoint), static_credentials=("demo", "demo"))
        self.sources = DashboardSources(self.gateway, config, clock=now)
        self.poller = Poller(clock=now)
        self.sources.register(self.poller)
        self.feed: FrameFeed | None = None
        if table is not None:
            frames = FrameTable(self.gateway, table, config.service.cluster, config.service.name)
            refresh = refresh_of(config.refresh.service_seconds, config.refresh.metrics_seconds)
            self.feed = FrameFeed(frames, self.sources, self.poller, clock=now, refresh_s=refresh)
            self.feed.register()

    async def close(self) -> None:
        await self.poller.stop()
        await self.sources.close()
        await self.gateway.close()


def per_minute(counts: Counter[str], operations: frozenset[str], seconds: float) -> float:
    return sum(n for op, n in counts.items() if op in operations) * 60.0 / seconds


def other_aws(counts: Counter[str]) -> Counter[str]:
    return Counter({op: n for op, n in counts.items() if op not in CLOUDWATCH | LOGS | DYNAMODB})


async def measure(endpoint: str, seconds: float, warmup: float) -> None:
    config = Config()
    config = replace(config, aws=replace(config.aws, endpoint_url=endpoint, profile=None))
    setup = AwsGateway(config.aws, static_credentials=("demo", "demo"))
    await setup.dynamodb_create_table(TABLE)
    await setup.close()
    proxies = [FaultProxy(endpoint) for _ in range(1 + VIEWERS + SOLO)]
    for proxy in proxies:
        proxy.start()
    collector_proxy, viewer_proxies, solo_proxies = proxies[0], proxies[1 : 1 + VIEWERS], proxies[1 + VIEWERS :]
    collector_gateway = AwsGateway(
        replace(config.aws, endpoint_url=collector_proxy.endpoint_url), static_credentials=("demo", "demo")
    )
    collector = Collector(collector_gateway, config, clock=now, table=TABLE, collector_id="bench-collector")
    viewers = [Console(p.endpoint_url, config, table=TABLE) for p in viewer_proxies]
    solos = [Console(p.endpoint_url, config, table=None) for p in solo_proxies]
    stop = asyncio.Event()
    running = asyncio.create_task(collector.run(stop))
    for console in (*viewers, *solos):
        console.poller.start()
    print(f"warming up: every viewer on the frames, then {warmup:g} s (first polls, Live Tail backfills) …", flush=True)
    deadline = time.monotonic() + 180
    while not all(v.feed is not None and v.feed.mode.mode == FRAMES for v in viewers) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    await asyncio.sleep(warmup)
    modes = [(v.feed.mode, v.poller.freshness("team-frames")) for v in viewers if v.feed is not None]
    assert all(mode.mode == FRAMES for mode, _ in modes), f"a viewer is not on the frames: {modes}"
    for proxy in proxies:
        proxy.reset_counts()
    collector.table.usage = TableUsage()
    for viewer in viewers:
        assert viewer.feed is not None
        viewer.feed.table.usage = TableUsage()
    started = time.monotonic()
    print(f"counting {seconds:g} s at the default refresh …", flush=True)
    await asyncio.sleep(seconds)
    elapsed = time.monotonic() - started
    stop.set()
    await running
    await collector_gateway.close()
    for console in (*viewers, *solos):
        await console.close()
    for proxy in proxies:
        proxy.stop()
    report(
        collector,
        viewers,
        collector_proxy.requests,
        [p.requests for p in viewer_proxies],
        [p.requests for p in solo_proxies],
        elapsed,
    )


def report(
    collector: Collector,
    viewers: list[Console],
    collected: Counter[str],
    viewed: list[Counter[str]],
    solo: list[Counter[str]],
    seconds: float,
) -> None:
    def line(label: str, counts: list[Counter[str]]) -> str:
        total = sum(counts, Counter())
        cw, logs = per_minute(total, CLOUDWATCH, seconds), per_minute(total, LOGS, seconds)
        rest = sum(other_aws(total).values()) * 60.0 / seconds
        dynamo = per_minute(total, DYNAMODB, seconds)
        return f"  {label:<34} CloudWatch {cw:6.1f}/min   Logs {logs:6.1f}/min   ECS/RDS/other {rest:6.1f}/min   DynamoDB {dynamo:6.1f}/min"

    print(f"\nrequests per minute over {seconds:.0f} s (default refresh; each participant counted at its own proxy):")
    print(line("1 collector alone", [collected]))
    print(line("1 collector + 1 viewer", [collected, viewed[0]]))
    print(line("1 collector + 5 viewers", [collected, *viewed]))
    print(line("5 consoles polling by themselves", solo))
    print(line("  (one of them)", solo[:1]))
    print(f"  a viewer's own requests: {dict(sum(viewed[:1], Counter()))}")
    per_hour = 3600.0 / seconds
    write = collector.table.usage
    reads = [v.feed.table.usage for v in viewers if v.feed is not None]
    print("\nthe team table (on-demand units per hour):")
    print(
        f"  collector writes  {write.write_units * per_hour:8.0f} WRU/h  ({sum(write.requests.values()) * per_hour:.0f} PutItem/h,"
        f" {write.bytes_written * per_hour / 1e6:.1f} MB/h; frames {dict(collector.writer.written)}, heartbeats {collector.writer.heartbeats})"
    )
    if reads:
        one = reads[0]
        print(
            f"  one viewer reads  {one.read_units * per_hour:8.0f} RRU/h  ({dict(Counter({k: round(v * per_hour) for k, v in one.requests.items()}))}/h,"
            f" {one.bytes_read * per_hour / 1e6:.1f} MB/h; strongly consistent, eventually consistent would be half)"
        )
        print(f"  5 viewers read    {sum(r.read_units for r in reads) * per_hour:8.0f} RRU/h")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=300.0, help="how long to count (default 300: one SLO long poll)")
    parser.add_argument("--warmup", type=float, default=20.0)
    args = parser.parse_args(argv)
    with EmbeddedAws() as aws:
        asyncio.run(measure(aws.endpoint_url, args.seconds, args.warmup))


if __name__ == "__main__":
    main()
