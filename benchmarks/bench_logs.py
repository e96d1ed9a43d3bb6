"""Log pane benchmark (headless): ingest rate, key latency under a 10 000 lines/s flood, flat memory.

Run: ``.venv/bin/python -m benchmarks.bench_logs`` (add ``--quick`` for a short smoke run).
Lines go the real way — LogFeed.poll() → parse → LogBuffer → LogPane/LogView sync → render — from
an in-memory gateway that hands out pre-made pages, so AWS and the network are not measured.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import time

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region

from kojan_tui.core.log_search import LineMatches, parse_query
from kojan_tui.core.logbuffer import LogBuffer
from kojan_tui.core.loglines import LogLine, parse_details
from kojan_tui.core.models import LogCursor, LogEvent, LogPage
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.widgets.log_pane import LogPane
from kojan_tui.ui.widgets.log_view import LogView

SIZE = (160, 50)
BUFFER_LINES = 10_000
START_MS = 1_795_867_200_000


def message(n: int) -> str:
    """A realistic mix: Go text logs, JSON access logs, an error now and then."""
    kind = n % 4
    if kind == 0:
        return f'{{"time":"2026-11-28T12:00:00Z","level":"info","msg":"request","method":"GET","path":"/api/spots/{n}","status":200,"latency_ms":{n % 97},"request_id":"r-{n:x}"}}'
    if kind == 1:
        return f"2026/11/28 12:00:00 INFO GET /api/spots/{n} status=200 latency={n % 89}ms request_id=r-{n:x}"
    if kind == 2:
        return (
            f'{{"level":"warn","msg":"slow query","query":"SELECT * FROM spots WHERE id = {n}","duration_ms":{1000 + n % 500}}}'
        )
    return f"2026/11/28 12:00:01 ERROR database connection refused: dial tcp 10.0.1.5:3306 (attempt {n})"


class BenchGateway:
    """Just enough Gateway for LogFeed.poll(): each call returns the next ``batch`` events."""

    read_only = True

    def __init__(self, batch: int, *, pooled: int = 0) -> None:
        self.batch = batch
        self.sent = 0
        # pooled: pre-build that many pages and hand them out in turn, so making events is not timed
        self.pool = [self._make(n * batch) for n in range(pooled)]

    def _make(self, first: int) -> tuple[LogEvent, ...]:
        return tuple(
            LogEvent(f"e{n}", START_MS + n, f"ecs/business/task{n % 3}", message(n)) for n in range(first, first + self.batch)
        )

    async def filter_log_events(self, log_group, *, start_ms, end_ms=None, pattern="", cursor=None, max_pages=10) -> LogPage:
        events = self.pool[(self.sent // self.batch) % len(self.pool)] if self.pool else self._make(self.sent)
        self.sent += self.batch
        return LogPage(events=events, cursor=LogCursor(START_MS + self.sent - 1, frozenset({f"e{self.sent - 1}"})))


class BenchApp(App):
    freeze_gc = False  # --gc-freeze: what an app can do after start-up to shorten full collections

    def __init__(self, feed: LogFeed) -> None:
        super().__init__()
        self.feed = feed

    def on_mount(self) -> None:
        if self.freeze_gc:
            gc.freeze()

    def compose(self) -> ComposeResult:
        yield LogPane(self.feed, show_stream=True)


def rss_mib() -> float:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: peak RSS is the best the stdlib offers
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_visible(view: LogView) -> None:
    for y in range(view.size.height):
        view.render_line(y)


def bench_parse(count: int) -> float:
    texts = [message(n) for n in range(count)]
    started = time.perf_counter()
    for text in texts:
        parse_details(text)
    return count / (time.perf_counter() - started)


def bench_search(typed: str, texts: list[str]) -> tuple[float, float, int, int]:
    """A local search over a full buffer of ``texts``, the way the log view runs it: steps of about 8 ms
    (the UI's loop runs between two). Returns (total ms, longest step ms, steps, matches)."""
    buffer = LogBuffer(len(texts), max_chars=64 * 1024 * 1024)
    buffer.extend([LogLine(text) for text in texts])
    matches = LineMatches(parse_query(typed))
    steps, longest = 0, 0.0
    started = time.perf_counter()
    while True:
        step_started = time.perf_counter()
        done = matches.step(buffer)
        longest = max(longest, time.perf_counter() - step_started)
        steps += 1
        if done:
            break
    return (time.perf_counter() - started) * 1000, longest * 1000, steps, len(matches)


async def bench_ingest(total: int, batch: int) -> float:
    feed = LogFeed(BenchGateway(batch, pooled=50), "/bench", buffer_lines=BUFFER_LINES)
    app = BenchApp(feed)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        await pilot.pause()
        started = time.perf_counter()
        for _ in range(total // batch):
            await feed.poll()  # parse + buffer + pane sync
            render_visible(view)  # the page a frame would show
        await pilot.pause()  # and one real frame through the compositor
        elapsed = time.perf_counter() - started
        assert view.following and len(feed.buffer) == BUFFER_LINES
    return total // batch * batch / elapsed


KEY_ACTIONS = {
    "up": "cursor_up", "down": "cursor_down", "pageup": "page_up", "pagedown": "page_down",
    "j": "toggle_raw", "f": "toggle_follow", "end": "follow",
}  # fmt: skip


async def bench_keys(presses: int, rate: int) -> tuple[list[float], list[float], float]:
    """Key latencies (ms) while ``rate`` lines/s arrive: to the action run, and to the next frame.

    Keys are posted as the terminal driver posts them (Pilot.press waits for the app to go idle,
    which a flooded app never does). "Handled" ends when the key's action has run; "painted" ends
    when the frame showing its effect has been composed (Textual paints at most 60 times a second).
    """
    tick = 0.01
    feed = LogFeed(BenchGateway(int(rate * tick)), "/bench", buffer_lines=BUFFER_LINES)
    app = BenchApp(feed)
    handled: list[float] = []
    painted_ms: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        view.focus()
        painted = asyncio.Event()
        acted: list[float] = []
        for action in KEY_ACTIONS.values():
            original = getattr(view, f"action_{action}")

            def instrumented(*args, _original=original) -> None:
                _original(*args)
                acted.append(time.perf_counter())
                view.refresh(Region(0, 0, 1, 1))  # so a key with no visible effect still ends at a frame
                view.call_after_refresh(painted.set)

            setattr(view, f"action_{action}", instrumented)
        stop = asyncio.Event()

        async def flood() -> None:
            next_at = time.perf_counter()
            while not stop.is_set():
                await feed.poll()
                next_at += tick
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))

        flooding = asyncio.create_task(flood())
        await asyncio.sleep(1.5)  # let the buffer fill
        keys = ["up", "up", "pageup", "down", "j", "j", "end", "f", "f", "pagedown", "end"]
        started_lines, started = feed.buffer.appended, time.perf_counter()
        for n in range(presses):
            key = keys[n % len(keys)]
            painted.clear()
            before = time.perf_counter()
            app.post_message(events.Key(key, key if len(key) == 1 else None))
            await asyncio.wait_for(painted.wait(), timeout=10)
            painted_ms.append((time.perf_counter() - before) * 1000)
            handled.append((acted[-1] - before) * 1000)
            await asyncio.sleep(0.05)  # a fast typist: about 15 keys/s
        achieved = (feed.buffer.appended - started_lines) / (time.perf_counter() - started)
        stop.set()
        await flooding
        await pilot.pause()
    return handled, painted_ms, achieved


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def bench_memory(total: int, batch: int) -> tuple[float, float, int]:
    """RSS (MiB) when the buffer first filled and after ``total`` lines, through a mounted pane."""
    feed = LogFeed(BenchGateway(batch), "/bench", buffer_lines=BUFFER_LINES)
    app = BenchApp(feed)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        await pilot.pause()
        filled = None
        while feed.buffer.appended < total:
            await feed.poll()
            render_visible(view)
            if filled is None and feed.buffer.appended >= BUFFER_LINES * 2:  # full, and turned over once
                await pilot.pause()
                gc.collect()
                filled = rss_mib()
            if feed.buffer.appended % 100_000 < batch:
                await pilot.pause()
        await pilot.pause()
        gc.collect()
        after = rss_mib()
        assert len(feed.buffer) == BUFFER_LINES
        return filled or 0.0, after, feed.buffer.appended


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run (numbers not meaningful)")
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() once the app has started")
    args = parser.parse_args()
    BenchApp.freeze_gc = args.gc_freeze
    scale = 10 if args.quick else 1

    parse_rate = bench_parse(200_000 // scale)
    ingest_rate = asyncio.run(bench_ingest(500_000 // scale, 1_000))
    handled, painted, achieved = asyncio.run(bench_keys(400 // scale, 10_000))
    filled, after, lines = asyncio.run(bench_memory(1_000_000 // scale, 1_000))
    full = [message(n) for n in range(BUFFER_LINES)]
    huge = [("x" * 100_000 + " connection refused") for _ in range(320)]  # 32 MB: the buffer's character budget
    searches = [
        ("search 10,000 lines: refused", bench_search("refused", full)),
        ("search 10,000 lines: Refused (case)", bench_search("Refused", full)),
        ("search 10,000 lines: /conn\\w+ refused/", bench_search(r"/conn\w+ refused/", full)),
        ("search 320 lines of 100 kB: refused", bench_search("refused", huge)),
    ]

    rows = [
        ("eager parse of every line", f"{parse_rate:,.0f} lines/s", "(the pane parses lazily: only shown lines)"),
        ("ingest into the pane", f"{ingest_rate:,.0f} lines/s", "≥ 100,000 lines/s"),
        ("key → handled p50 / p99", f"{percentile(handled, 0.5):.1f} / {percentile(handled, 0.99):.1f} ms", "p99 < 50 ms"),
        ("key → painted p50 / p99", f"{percentile(painted, 0.5):.1f} / {percentile(painted, 0.99):.1f} ms", "p99 < 50 ms"),
        ("  …keys pressed / lines arriving", f"{len(handled)} / {achieved:,.0f} per s", "10,000 lines/s"),
        (f"RSS, buffer ({BUFFER_LINES:,}) full", f"{filled:.1f} MiB", ""),
        (f"RSS after {lines:,} lines", f"{after:.1f} MiB", f"Δ {after - filled:+.1f} MiB (flat: within a few MiB)"),
    ]
    for name, (total, longest, steps, found) in searches:
        rows.append((name, f"{total:.1f} ms ({found:,})", f"{steps} steps, longest {longest:.1f} ms (UI free between)"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>18}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>18}  {target}")


if __name__ == "__main__":
    main()
