"""Issue 26: ``--demo --fleet`` — the simulated service and its sidekicks on one embedded AWS, each in its own
scenario: staging's business backend in bad-deploy sorts first while production is healthy; one fleet refresh
is GetMetricData 1, DescribeServices per cluster, DescribeDBInstances 1 (counted at the gateway's HTTP layer)."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import Config
from kojan_tui.core.levels import Level
from kojan_tui.demo.config_codec import config_from_json, config_to_json
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET, EmbeddedAws
from kojan_tui.demo.fleet import demo_fleet_config
from kojan_tui.sources.fleet import FleetSource


def test_the_fleet_crosses_into_the_server_whole():
    config = demo_fleet_config(Config())
    assert config_from_json(config_to_json(config)) == config


async def test_a_demo_fleet_of_four_in_two_environments_each_in_its_scenario():
    config = demo_fleet_config(Config())
    with EmbeddedAws("healthy", config, tick_seconds=0.5) as demo:
        aws = replace(config.aws, endpoint_url=demo.endpoint_url, profile=None)
        gateway = AwsGateway(aws, static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET))
        try:
            source = FleetSource(gateway, replace(config, aws=aws), clock=demo.clock)
            source.deliver(await source.poll())
            requests = dict(gateway.requests)
        finally:
            await gateway.close()
    rows = source.rows
    assert source.answers is not None and source.answers.failures == ()
    assert {r.member.environment for r in rows} == {"production", "staging"} and len(rows) == 4
    assert rows[0].member.key == "staging/kojan-map-business" and rows[0].level is Level.ALERT
    assert [r.level for r in rows[1:]] == [Level.OK] * 3  # production healthy, the other sidekicks too
    assert requests == {"GetMetricData": 1, "DescribeServices": 2, "DescribeDBInstances": 1}
