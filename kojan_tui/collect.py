"""``kojan-tui collect``: run the ``Collector`` until SIGINT/SIGTERM, saying what it does on stderr.

Headless (no Textual): it runs anywhere AWS and the team table can be reached, e.g. as an ECS task.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

from kojan_tui.aws.protocol import Gateway
from kojan_tui.core.clock import Clock, utc_now
from kojan_tui.core.config import Config
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.team import team_region
from kojan_tui.sources.collector import Collector


def say(text: str) -> None:
    print(f"kojan-tui collect: {make_visible(text)}", file=sys.stderr, flush=True)


async def collect(config: Config, gateway: Gateway, *, collector_id: str | None = None, clock: Clock = utc_now) -> int:
    collector = Collector(gateway, config, clock=clock, table=config.team.table, collector_id=collector_id, on_error=say)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on this platform / not the main thread
            loop.add_signal_handler(signum, stop.set)
    service = config.service
    via = f" via {config.aws.endpoint_url}" if config.aws.endpoint_url else ""
    say(
        f"publishing {service.cluster}/{service.name} to table {config.team.table} "
        f"({team_region(config.team.region, config.aws.region)}{via}) every {collector.refresh_s:g} s as {collector.collector_id}"
    )
    try:
        await collector.run(stop)
    finally:
        await gateway.close()
    written = sum(collector.writer.written.values())
    say(f"stopped: {written} frames and {collector.writer.heartbeats} heartbeats written")
    return 0
