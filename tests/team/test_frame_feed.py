"""A viewer's frame feed on moto's DynamoDB (over HTTP): the collector's freshness is the viewer's, so a frame
older than its source's staleness limit shows stale with its age, never current; a table that cannot be read
means polling AWS itself, said with the reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config
from kojan_tui.core.dashboard import DashboardData
from kojan_tui.core.errors import FailureKind
from kojan_tui.core.frames import FRAMES, POLLING, PUBLISHED_SOURCES, Heartbeat, frame_payload, freshness_item
from kojan_tui.core.freshness import SourceFreshness
from kojan_tui.sources.dashboard import DashboardSources
from kojan_tui.sources.poller import Poller
from kojan_tui.sources.team_frames import FrameFeed
from kojan_tui.store.frames import FrameTable
from tests.fixtures.aws_seed import fast_settings
from tests.team.helpers import new_table_name

NOW = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)


def freshness(name: str, interval_s: float, last_success: datetime, *, failing: FailureKind | None = None) -> dict:
    item = SourceFreshness(name, interval_s=interval_s, last_success=last_success, polls=5)
    if failing is not None:
        item.consecutive_failures, item.failure_kind, item.failure_reason = 1, failing, failing.value
    return freshness_item(item)


async def test_frames_older_than_their_staleness_limit_are_stale_with_their_age(moto_endpoint):
    config = Config()
    gateway = AwsGateway(fast_settings(moto_endpoint))
    name = new_table_name()
    await gateway.dynamodb_create_table(name)
    table = FrameTable(gateway, name, config.service.cluster, config.service.name)
    sk = await table.put_frame("errors", NOW - timedelta(minutes=5), frame_payload(DashboardData(errors_last_hour=12), "errors"))
    beat = Heartbeat(
        "c1",
        "host",
        NOW - timedelta(hours=1),
        NOW - timedelta(seconds=3),
        refresh_s=10.0,
        frames={"errors": sk},
        freshness={
            "errors": freshness("errors", 60, NOW - timedelta(seconds=20)),  # current
            "metrics": freshness("metrics", 30, NOW - timedelta(minutes=3)),  # older than two intervals: overdue
            "database": freshness("database", 60, NOW - timedelta(minutes=5), failing=FailureKind.THROTTLED),
        },
    )
    await table.put_heartbeat(beat)
    sources = DashboardSources(FakeGateway(), config, clock=lambda: NOW)
    poller = Poller(clock=lambda: NOW)
    sources.register(poller)
    feed = FrameFeed(table, sources, poller, clock=lambda: NOW, refresh_s=10.0)
    feed.register()
    feed.deliver(await feed.read())
    await gateway.close()
    assert feed.mode.mode == FRAMES and all(poller.sources[s].paused for s in PUBLISHED_SOURCES)
    assert sources.data.errors_last_hour == 12
    assert poller.freshness("errors").stale_text(NOW) is None
    assert poller.freshness("metrics").stale_text(NOW) == "STALE 3m — waiting for AWS"  # the collector's poll hangs
    assert poller.freshness("database").stale_text(NOW) == "STALE 5m — throttled"
    assert feed.mode.line(NOW, "en") == "TEAM: frames from collector c1 (3s ago)"


async def test_an_unreadable_table_means_polling_aws_itself_with_the_reason(moto_endpoint):
    config = Config()
    gateway = AwsGateway(fast_settings(moto_endpoint))
    table = FrameTable(gateway, "kojan-team-missing", config.service.cluster, config.service.name)
    sources = DashboardSources(FakeGateway(), config, clock=lambda: NOW)
    poller = Poller(clock=lambda: NOW)
    sources.register(poller)
    feed = FrameFeed(table, sources, poller, clock=lambda: NOW, refresh_s=10.0)
    feed.register()
    poller.start()
    await poller.refresh_now(["team-frames"], wait=True)
    await poller.stop()
    await gateway.close()
    assert feed.mode.mode == POLLING and not any(poller.sources[s].paused for s in PUBLISHED_SOURCES)
    assert feed.mode.line(NOW, "en") == "TEAM: team table unreadable (not found) — polling AWS itself"


async def test_a_viewer_on_another_chart_window_charts_its_own_metrics(moto_endpoint):
    config = Config()
    gateway = AwsGateway(fast_settings(moto_endpoint))
    name = new_table_name()
    await gateway.dynamodb_create_table(name)
    table = FrameTable(gateway, name, config.service.cluster, config.service.name)
    sk = await table.put_frame("metrics", NOW, frame_payload(DashboardData(metrics_period=60), "metrics"))
    await table.put_heartbeat(Heartbeat("c1", "h", NOW, NOW, 10.0, frames={"metrics": sk}, window="1h"))
    sources = DashboardSources(FakeGateway(), config, clock=lambda: NOW)
    poller = Poller(clock=lambda: NOW)
    sources.register(poller)
    feed = FrameFeed(table, sources, poller, clock=lambda: NOW, refresh_s=10.0)
    feed.register()
    assert sources.set_window("24h")
    feed.deliver(await feed.read())
    assert feed.mode.mode == FRAMES
    assert not poller.sources["metrics"].paused and poller.sources["service"].paused
    assert "metrics" not in feed.applied  # the collector's 1 h chart is not shown as this console's 24 h
    sources.set_window("1h")
    feed.deliver(await feed.read())
    await gateway.close()
    assert poller.sources["metrics"].paused and "metrics" in feed.applied
