"""Issue 25, one collector for many viewers: ``kojan-tui collect`` (a real process) and two ``--team`` consoles
share one table on the embedded AWS (a moto server, over HTTP). Each is behind its own counting proxy."""

from __future__ import annotations

import contextlib
import signal
import time

from kojan_tui.core.frames import FRAMES, POLLING, PUBLISHED_SOURCES
from kojan_tui.demo.faults import FaultProxy
from kojan_tui.ui.team_view import team_view_of
from kojan_tui.ui.widgets.context_bar import ContextBar
from tests.fixtures.waits import until
from tests.team.helpers import (
    DASHBOARD_OPERATIONS,
    collector_config_file,
    create_table,
    new_table_name,
    start_collector,
    viewer,
)

REFRESH_S = 3.0
SLACK_S = 2.0  # a request and a turn of two event loops on a loaded 2-core machine


def feed_of(app):
    view = team_view_of(app.services)
    assert view is not None, "--team installed no frame feed"
    return view.feed


def bar_text(app) -> str:
    return str(app.screen.query_one(ContextBar).render())


async def test_two_viewers_show_the_collectors_frames_ask_aws_nothing_poll_themselves_when_it_dies_and_come_back(
    demo_world, tmp_path
):
    table = new_table_name()
    await create_table(demo_world.endpoint_url, table)
    with (
        FaultProxy(demo_world.endpoint_url) as collector_proxy,
        FaultProxy(demo_world.endpoint_url) as one_proxy,
        FaultProxy(demo_world.endpoint_url) as two_proxy,
    ):
        process = start_collector(collector_config_file(tmp_path, table, REFRESH_S), collector_proxy.endpoint_url, "c1", tmp_path)
        try:
            one = viewer(one_proxy.endpoint_url, table, REFRESH_S, tmp_path, "one")
            two = viewer(two_proxy.endpoint_url, table, REFRESH_S, tmp_path, "two")
            async with one.run_test(size=(160, 48)) as pilot, two.run_test(size=(160, 48)):
                viewers = (one, two)
                await until(
                    pilot,
                    lambda: all(feed_of(a).mode.mode == FRAMES and a.sources.data.service is not None for a in viewers),
                    "both viewers to read the collector's frames",
                    timeout=90,
                )
                await until(pilot, lambda: all(a.log_feed.tail.mode.value == "live" for a in viewers), "their Live Tails")
                # a viewer that started before the collector's first heartbeat polled by itself: those polls end first
                await until(
                    pilot,
                    lambda: not any(a.poller.sources[s].in_flight for a in viewers for s in PUBLISHED_SOURCES),
                    "the polls started before the frames took over to end",
                )
                for proxy in (one_proxy, two_proxy):
                    proxy.reset_counts()
                # a value the collector reads appears on both viewers within one refresh of its frame being written
                demo_world.set_scenario("outage")
                await until(
                    pilot,
                    lambda: all(a.sources.data.service.running == 0 for a in viewers),
                    "0 tasks running on both viewers",
                    timeout=60,
                )
                for app in viewers:
                    _sk, written_at, applied_at = feed_of(app).applied["service"]
                    late = (applied_at - written_at).total_seconds()
                    assert late <= REFRESH_S + SLACK_S, f"shown {late:.1f} s after the collector wrote it"
                await until(pilot, lambda: all("frames from collector c1" in bar_text(a) for a in viewers), "the top lines")
                await until(
                    pilot,
                    lambda: one_proxy.requests["Query"] >= 3 and two_proxy.requests["Query"] >= 3,
                    "three looks at the table each",
                )
                for proxy in (one_proxy, two_proxy):
                    asked = {op: n for op, n in proxy.requests.items() if op in DASHBOARD_OPERATIONS}
                    assert asked == {}, (asked, [feed_of(a).switches for a in viewers])
                print(f"\nviewer one asked {dict(one_proxy.requests)}; collector asked {dict(collector_proxy.requests)}")
                # the collector dies: the viewers say so and poll by themselves
                process.send_signal(signal.SIGKILL)
                process.communicate(timeout=10)  # dead, its pipes closed
                killed = time.monotonic()
                await until(
                    pilot,
                    lambda: all(feed_of(a).mode.mode == POLLING for a in viewers),
                    "both viewers to poll by themselves",
                    timeout=30,
                )
                noticed = time.monotonic() - killed
                for app in viewers:
                    switch = feed_of(app).switches[-1]
                    silent = (switch.at - switch.heartbeat.beat_at).total_seconds()
                    # the heartbeat went older than two refreshes, and the next look (one refresh later) said so
                    assert 2 * REFRESH_S < silent <= 3 * REFRESH_S + SLACK_S, silent
                await until(
                    pilot,
                    lambda: all("collector c1 silent" in bar_text(a) and "polling AWS itself" in bar_text(a) for a in viewers),
                    "the top line of both to say so",
                )
                await until(
                    pilot,
                    lambda: one_proxy.requests["DescribeServices"] > 0 and two_proxy.requests["DescribeServices"] > 0,
                    "the viewers to ask ECS themselves",
                )
                print(f"noticed {noticed:.1f} s after the kill")
                # a collector is back: both read its frames again, and stop polling by themselves
                process = start_collector(
                    collector_config_file(tmp_path, table, REFRESH_S), collector_proxy.endpoint_url, "c2", tmp_path
                )
                await until(
                    pilot,
                    lambda: all("frames from collector c2" in bar_text(a) for a in viewers),
                    "both viewers back on the frames",
                    timeout=60,
                )
                assert all(app.poller.sources["service"].paused for app in viewers)
        finally:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            _out, err = process.communicate(timeout=10)
            print(err.decode(errors="replace")[-2000:])
