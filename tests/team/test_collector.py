"""``kojan-tui collect`` (issue 25): the console's sources, headless, writing each changed frame (zlib, 48 h TTL)
and a heartbeat to the team table; one write per changed frame per source, the newest winning while the table is slow."""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import boto3

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config, RefreshSettings
from kojan_tui.core.dashboard import DashboardData
from kojan_tui.core.frames import (
    FRAME_TTL,
    Heartbeat,
    ViewerMode,
    frame_fields,
    frame_payload,
    history_pk,
    live_pk,
)
from kojan_tui.core.models import DbInstance
from kojan_tui.sources.collector import Collector
from kojan_tui.store.frames import FrameWriter
from tests.fixtures.waits import until_true
from tests.team.helpers import create_table, new_table_name
from tests.test_config import run_cli, write

T0 = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)


def test_collect_without_a_team_table_exits_2_naming_the_key_and_the_file(tmp_path):
    path = write(tmp_path, "[team]\n")
    for args in (("collect",), ("--team",)):
        done = run_cli("--config", str(path), *args, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert "[team] table is empty" in done.stderr and str(path) in done.stderr


def test_a_frame_round_trips_only_its_sources_fields():
    db = DbInstance("kojan-db", "available", "postgres", "16.4", "db.t4g.micro", 20)
    data = DashboardData(db_instance=db, errors_last_hour=7)
    assert frame_fields(frame_payload(data, "database"), "database") == {"db_instance": db}
    assert frame_fields(frame_payload(data, "errors"), "errors")["errors_last_hour"] == 7
    assert zlib.decompress(frame_payload(data, "database"))  # compressed


def test_a_heartbeat_is_alive_for_two_refreshes_and_not_after_a_goodbye():
    beat = Heartbeat("c1", "host", T0, T0, refresh_s=10.0)
    assert Heartbeat.from_item(beat.to_item()) == beat
    assert beat.alive(T0 + timedelta(seconds=20)) and not beat.alive(T0 + timedelta(seconds=21))
    assert not replace(beat, stopped=True).alive(T0)
    silent = ViewerMode("polling", beat).line(T0 + timedelta(seconds=45), "en")
    assert silent == "TEAM: collector c1 silent for 45s — polling AWS itself"
    assert "c1" in ViewerMode("polling", beat).line(T0 + timedelta(seconds=45), "ja")
    assert ViewerMode("polling", beat).line(T0, "ja") != silent


class SlowTable:
    """A table whose frame writes wait until released (the stand-in for a throttled table)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.frames: list[tuple[str, bytes]] = []
        self.heartbeats = 0

    async def put_frame(self, source, at, payload):
        await self.release.wait()
        self.frames.append((source, payload))
        return f"{at.isoformat()}#{source}"

    async def put_heartbeat(self, beat):
        self.heartbeats += 1


async def test_the_newest_frame_wins_while_the_table_is_slow_and_an_unchanged_one_is_not_written():
    table = SlowTable()
    writer = FrameWriter(table, lambda frames, last: Heartbeat("c1", "h", T0, T0, 1.0, last, frames), lambda: T0)  # type: ignore[arg-type]
    for n in range(10):
        writer.offer("metrics", b"frame %d" % n)
        await asyncio.sleep(0)
    writer.offer("service", b"service 1")
    table.release.set()
    await writer.flush()
    assert table.frames == [("metrics", b"frame 0"), ("metrics", b"frame 9"), ("service", b"service 1")]
    assert writer.replaced["metrics"] == 8 and table.heartbeats >= 1
    writer.offer("metrics", b"frame 9")  # what the table already has
    await writer.flush()
    assert len(table.frames) == 3


async def test_the_collector_writes_compressed_frames_with_a_48_h_ttl_and_a_heartbeat(demo_world):
    table = new_table_name()
    await create_table(demo_world.endpoint_url, table)
    config = Config()
    config = replace(
        config,
        aws=replace(config.aws, endpoint_url=demo_world.endpoint_url, profile=None),
        refresh=RefreshSettings(metrics_seconds=1.0, service_seconds=1.0, logs_seconds=1.0, errors_seconds=1.0),
    )
    gateway = AwsGateway(config.aws, static_credentials=("demo", "demo"))
    collector = Collector(gateway, config, clock=lambda: datetime.now(UTC), table=table, collector_id="c1")
    stop = asyncio.Event()
    running = asyncio.create_task(collector.run(stop))
    await until_true(
        lambda: (
            {"service", "metrics", "database", "errors"} <= set(collector.writer.written) and collector.writer.heartbeats >= 2
        ),
        "frames of the service, metrics, database and errors, and two heartbeats",
        timeout=60,
    )
    stop.set()
    await running
    await gateway.close()
    client = boto3.client("dynamodb", endpoint_url=demo_world.endpoint_url, region_name="ap-northeast-1")
    service = config.service
    frames = client.query(
        TableName=table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": history_pk(service.cluster, service.name)}},
    )["Items"]
    assert len(frames) == sum(collector.writer.written.values())  # one item per frame written, none overwritten
    for item in frames:
        written = datetime.fromisoformat(item["written_at"]["S"])
        assert int(item["expires_at"]["N"]) == int((written + FRAME_TTL).timestamp())
        frame_fields(item["payload"]["B"], item["source"]["S"])  # zlib JSON that decodes
    beat_item = client.get_item(
        TableName=table, Key={"pk": {"S": live_pk(service.cluster, service.name)}, "sk": {"S": "HEARTBEAT#c1"}}
    )["Item"]
    from boto3.dynamodb.types import TypeDeserializer

    beat = Heartbeat.from_item({k: TypeDeserializer().deserialize(v) for k, v in beat_item.items()})
    assert (beat.collector, beat.refresh_s, beat.stopped) == ("c1", 1.0, True)  # its goodbye: it stopped cleanly
    assert beat.host and beat.started <= beat.beat_at and beat.last_write is not None
    assert set(beat.frames) >= {"service", "metrics"} and beat.freshness["service"]["polls"] >= 1
