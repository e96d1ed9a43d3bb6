"""The whole app against the embedded AWS: launch to first frame and to a populated dashboard, API calls
and bytes per refresh, idle CPU at the default refresh, and one refresh against the guide's own AWS CLI
commands (S01, S02, S03) gathering the same dashboard, side by side in the same run.

    python -m benchmarks.bench_app [--idle-seconds 60] [--launches 3]
    python -m benchmarks.bench_app --idle-only [--idle-seconds 60] [--idle-runs 2]   # the idle CPU alone
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET, EmbeddedAws
from kojan_tui.demo.faults import FaultPlan, FaultProxy
from kojan_tui.ui.app import KojanApp
from tests.proof.terminal import KOJAN_TUI, Terminal

SOURCES = ("identity", "service", "metrics", "database", "errors", "logs")
POPULATED_WORDS = ("ALB 5XX rate", "ECS CPU", "RDS storage used", "running")


def app_on(endpoint: str) -> KojanApp:
    config = Config()
    config = replace(config, aws=replace(config.aws, endpoint_url=endpoint, profile=None), ui=replace(config.ui, bell=False))
    return KojanApp(config, AwsGateway(config.aws, static_credentials=("demo", "demo")))


def populated(app: KojanApp) -> bool:
    return all(app.poller.freshness(n).last_success is not None for n in SOURCES)


async def in_process(endpoint: str) -> dict[str, float]:
    """App constructed → first frame → every source loaded once; then one full refresh, timed and counted."""
    started = time.perf_counter()
    app = app_on(endpoint)
    async with app.run_test(size=(160, 48)) as pilot:
        first_frame = time.perf_counter() - started
        while not populated(app):
            await asyncio.sleep(0.005)
        ready = time.perf_counter() - started
        await pilot.pause()
        refreshes = []
        for _ in range(5):
            # A pause first: the client-side limits (FilterLogEvents 2/s) would otherwise make back-to-back
            # refreshes wait for their slots, which measures the limit, not a refresh.
            await asyncio.sleep(1.0)
            before = sum(app.gateway.requests.values())
            t = time.perf_counter()
            await app.poller.refresh_now(wait=True)
            refreshes.append((time.perf_counter() - t, sum(app.gateway.requests.values()) - before))
    return {
        "first_frame": first_frame,
        "populated": ready,
        "refresh_s": statistics.median(r[0] for r in refreshes),
        "calls": statistics.median(r[1] for r in refreshes),
    }


async def bytes_per_refresh(endpoint: str) -> dict[str, float]:
    """Request and response bodies of one full refresh, counted at a (fault-free) proxy in front of the AWS."""
    with FaultProxy(endpoint, FaultPlan()) as proxy:
        app = app_on(proxy.endpoint_url)
        async with app.run_test(size=(160, 48)):
            await app.poller.refresh_now(wait=True)
            settled = time.perf_counter() + 20.0  # the tail connects (and backfills) once, not every refresh
            while app.log_feed.tail.mode.value == "connecting" and time.perf_counter() < settled:
                await asyncio.sleep(0.05)
            await app.poller.refresh_now(wait=True)
            proxy.reset_counts()
            await app.poller.refresh_now(wait=True)
            return {
                "sent": proxy.bytes_sent,
                "received": proxy.bytes_received,
                "calls": sum(proxy.requests.values()),
                "by_op": dict(proxy.requests),
                "tail": app.log_feed.tail.mode.value,
            }


TAIL_OPERATIONS = ("FilterLogEvents", "StartLiveTail", "DescribeLogGroups")


async def tail_delay(
    demo: EmbeddedAws, samples: int = 8, *, live: bool = True, stream: str = "bench/tail-delay", min_seconds: float = 60.0
) -> dict[str, float]:
    """Seconds from a line's PutLogEvents to the log feed holding it, with Live Tail (``live``) or polling
    FilterLogEvents at the default 2 s follow step, and the log requests the whole app sent per minute
    meanwhile (the S02/S25 error counts' FilterLogEvents included, the same in both modes)."""
    import boto3

    logs = boto3.client(
        "logs", endpoint_url=demo.endpoint_url, region_name=Config().aws.region,
        aws_access_key_id=DUMMY_KEY_ID, aws_secret_access_key=DUMMY_SECRET,
    )  # fmt: skip
    group = Config().service.log_group
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    app = app_on(demo.endpoint_url)
    app.log_feed.live = live  # before the first poll: polling only, as before Live Tail
    delays = []
    async with app.run_test(size=(160, 48)):
        while not populated(app) or (live and app.log_feed.tail.mode.value != "live"):
            await asyncio.sleep(0.01)
        started = time.perf_counter()
        before = {op: app.gateway.requests[op] for op in TAIL_OPERATIONS}
        i = 0
        while i < samples or time.perf_counter() - started < min_seconds:  # a minute at least: a rate per minute
            marker = f"INFO bench tail marker {os.getpid()}-{stream}-{i}"
            put = time.perf_counter()
            logs.put_log_events(
                logGroupName=group, logStreamName=stream, logEvents=[{"timestamp": int(time.time() * 1000), "message": marker}]
            )
            while not any(line.raw == marker for line in app.log_feed.buffer):
                await asyncio.sleep(0.01)
            delays.append(time.perf_counter() - put)
            await asyncio.sleep(0.37 * (i % 3))  # land at different points of the follow step
            i += 1
        minutes = (time.perf_counter() - started) / 60
        per_min = {op: (app.gateway.requests[op] - before[op]) / minutes for op in TAIL_OPERATIONS}
    return {
        "median": statistics.median(delays),
        "max": max(delays),
        "requests_per_min": sum(per_min.values()),
        "by_op": per_min,
        "minutes": minutes,
    }


def print_tail(tail: dict, mode: str) -> None:
    ops = ", ".join(f"{op} {n:.1f}" for op, n in tail["by_op"].items() if n)
    print(
        f"log tail ({mode}): a new line in the feed {tail['median']:.2f} s median, {tail['max']:.2f} s at most"
        f" after its PutLogEvents; {tail['requests_per_min']:.1f} log requests a minute for the whole app ({ops})"
        f" over {tail['minutes'] * 60:.0f} s"
    )


def launch_in_terminal(tmp: Path) -> dict[str, float]:
    """``kojan-tui --demo`` in a real terminal (tmux): process start → dashboard drawn → values on screen."""
    started = time.perf_counter()
    terminal = Terminal(["--demo"], cwd=tmp)
    try:
        terminal.wait_for(lambda s: "ALB 5XX rate" in s, "the first frame", timeout=120)
        first = time.perf_counter() - started
        terminal.wait_for(lambda s: all(w in s for w in POPULATED_WORDS) and "%" in s and "ms" in s, "values", timeout=120)
        values = time.perf_counter() - started
        return {"first_frame": first, "populated": values}
    finally:
        terminal.keys("q")
        time.sleep(1)
        terminal.close()


def idle_cpu(tmp: Path, seconds: float) -> dict[str, float]:
    """CPU seconds the kojan-tui process itself (not the embedded AWS) uses per minute at the default refresh."""
    terminal = Terminal(["--demo"], cwd=tmp)
    try:
        terminal.wait_for(lambda s: all(w in s for w in POPULATED_WORDS), "the dashboard", timeout=120)
        time.sleep(5)
        app = psutil.Process(terminal.pid)
        app = next((p for p in [app, *app.children()] if "kojan-tui" in " ".join(p.cmdline())), app)
        before = app.cpu_times()
        time.sleep(seconds)
        after = app.cpu_times()
        used = (after.user - before.user) + (after.system - before.system)
        return {"cpu_s_per_min": used * 60 / seconds, "percent_of_core": 100 * used / seconds}
    finally:
        terminal.keys("q")
        time.sleep(1)
        terminal.close()


def guide_cli_commands(config: Config) -> list[tuple[str, list[str]]]:
    """S01, S02 (S04's filter-log-events form: v1 has no `logs tail`) and S03's metrics as the guide writes them."""
    s, region = config.service, config.aws.region
    now = datetime.now(UTC).replace(microsecond=0)
    hour_ago = now - timedelta(hours=1)
    iso = "%Y-%m-%dT%H:%M:%S"
    ecs = [f"Name=ServiceName,Value={s.name}", f"Name=ClusterName,Value={s.cluster}"]
    alb = [f"Name=TargetGroup,Value={s.target_group}", f"Name=LoadBalancer,Value={s.load_balancer}"]
    rds = [f"Name=DBInstanceIdentifier,Value={s.db_instance}"]

    def stats(namespace: str, metric: str, dims: list[str], statistic: list[str]) -> list[str]:
        return ["cloudwatch", "get-metric-statistics", "--namespace", namespace, "--metric-name", metric, "--dimensions", *dims,
                "--start-time", hour_ago.strftime(iso), "--end-time", now.strftime(iso), "--period", "60", *statistic, "--region", region]  # fmt: skip

    return [
        (
            "S01 describe-services",
            [
                "ecs",
                "describe-services",
                "--cluster",
                s.cluster,
                "--services",
                s.name,
                "--region",
                region,
                "--query",
                "services[0].{RunningCount:runningCount,DesiredCount:desiredCount,Status:status}",
            ],
        ),  # fmt: skip
        (
            "S02 filter-log-events ERROR 1h",
            [
                "logs",
                "filter-log-events",
                "--log-group-name",
                s.log_group,
                "--start-time",
                f"{int(hour_ago.timestamp())}000",
                "--query",
                "events[?contains(message, `ERROR`)]",
                "--region",
                region,
            ],
        ),  # fmt: skip
        ("S03 p99 latency", stats("AWS/ApplicationELB", "TargetResponseTime", alb, ["--extended-statistics", "p99"])),
        ("S03 5XX count", stats("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, ["--statistics", "Sum"])),
        ("S03 request count", stats("AWS/ApplicationELB", "RequestCount", alb, ["--statistics", "Sum"])),
        ("S03 ECS CPU", stats("AWS/ECS", "CPUUtilization", ecs, ["--statistics", "Average"])),
        ("S03 ECS memory", stats("AWS/ECS", "MemoryUtilization", ecs, ["--statistics", "Average"])),
        ("S03 RDS CPU", stats("AWS/RDS", "CPUUtilization", rds, ["--statistics", "Average"])),
        ("S03 RDS free storage", stats("AWS/RDS", "FreeStorageSpace", rds, ["--statistics", "Minimum"])),
    ]


def run_cli(aws: str, endpoint: str, config: Config) -> list[tuple[str, float, int]]:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": DUMMY_KEY_ID, "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET, "AWS_PAGER": ""}
    env.pop("AWS_PROFILE", None)
    results = []
    for name, args in guide_cli_commands(config):
        t = time.perf_counter()
        done = subprocess.run([aws, "--endpoint-url", endpoint, *args], capture_output=True, text=True, env=env, timeout=120)
        results.append((name, time.perf_counter() - t, done.returncode))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument("--tail-only", action="store_true", help="only the log tail's delay and requests, both modes")
    parser.add_argument("--tail-samples", type=int, default=8)
    parser.add_argument("--idle-only", action="store_true", help="only the idle CPU in a real terminal")
    parser.add_argument("--idle-runs", type=int, default=1, help="idle CPU measurements, one app each (default 1)")
    args = parser.parse_args(argv)
    if args.tail_only:
        with EmbeddedAws("healthy", Config()) as demo:
            print_tail(asyncio.run(tail_delay(demo, args.tail_samples, live=False)), "polling FilterLogEvents every 2 s")
            print_tail(asyncio.run(tail_delay(demo, args.tail_samples, live=True, stream="bench/tail-delay-live")), "Live Tail")
        return
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"kojan-bench-{os.getpid()}"
    tmp.mkdir(exist_ok=True)
    if args.idle_only:
        print(f"machine: {os.cpu_count()} cores; kojan-tui: {KOJAN_TUI}")
        print_idle(tmp, args.idle_seconds, args.idle_runs)
        return
    config = Config()
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; kojan-tui: {KOJAN_TUI}")

    launches = [launch_in_terminal(tmp) for _ in range(args.launches)]
    print(
        "launch in a real terminal (tmux, `kojan-tui --demo`, embedded AWS start included), median of",
        f"{len(launches)}: first frame {statistics.median(x['first_frame'] for x in launches):.2f} s,"
        f" dashboard populated {statistics.median(x['populated'] for x in launches):.2f} s",
    )

    with EmbeddedAws("healthy", config) as demo:
        proc = [asyncio.run(in_process(demo.endpoint_url)) for _ in range(args.launches)]
        print(
            "app against a running embedded AWS (in process, headless), median: first frame"
            f" {statistics.median(p['first_frame'] for p in proc):.2f} s, populated {statistics.median(p['populated'] for p in proc):.2f} s"
        )
        refresh_s = statistics.median(p["refresh_s"] for p in proc)
        calls = statistics.median(p["calls"] for p in proc)
        traffic = asyncio.run(bytes_per_refresh(demo.endpoint_url))
        print(
            f"one full refresh (every source): {refresh_s * 1000:.0f} ms, {calls:.0f} API calls"
            f" ({', '.join(f'{k} {v}' for k, v in sorted(traffic['by_op'].items()))}),"
            f" {traffic['sent'] / 1024:.1f} KiB sent, {traffic['received'] / 1024:.1f} KiB received"
        )

        sources = {"identity": "GetCallerIdentity", "service": "DescribeServices", "metrics": "GetMetricData",
                   "database": "DescribeDBInstances", "errors + logs": "FilterLogEvents", "scaling": "DescribeScalingActivities", "tasks": "ListTasks"}  # fmt: skip
        print(
            "requests per refresh, by source: "
            + ", ".join(f"{n} {traffic['by_op'].get(op, 0)}" for n, op in sources.items())
            + f" (the log tail {traffic['tail']})"
        )
        print_tail(asyncio.run(tail_delay(demo, live=False)), "polling FilterLogEvents every 2 s")
        print_tail(asyncio.run(tail_delay(demo, live=True, stream="bench/tail-delay-live")), "Live Tail")

        aws = shutil.which("aws")
        if aws is None:
            print("guide's AWS CLI sequence: SKIPPED (no `aws` on PATH)")
        else:
            rows = run_cli(aws, demo.endpoint_url, config)
            total = sum(r[1] for r in rows)
            for name, seconds, code in rows:
                print(f"  aws {name:<32} {seconds:6.2f} s{'' if code == 0 else f'  (exit {code})'}")
            print(
                f"guide's AWS CLI sequence ({len(rows)} commands): {total:.2f} s; the app's refresh of the same"
                f" dashboard: {refresh_s:.2f} s — {total / refresh_s:.0f}x faster"
            )

    print_idle(tmp, args.idle_seconds, args.idle_runs)


def print_idle(tmp: Path, seconds: float, runs: int) -> None:
    for _ in range(runs):
        load = os.getloadavg()[0]
        cpu = idle_cpu(tmp, seconds)
        print(
            f"idle monitoring at the default refresh ({seconds:.0f} s in a real terminal): {cpu['cpu_s_per_min']:.2f} CPU s"
            f" per minute = {cpu['percent_of_core']:.2f} % of one core (load {load:.1f} → {os.getloadavg()[0]:.1f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
