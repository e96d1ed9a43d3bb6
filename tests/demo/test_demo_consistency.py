"""The demo does not contradict itself: in db-outage the target group's health follows the failing health check
(the app's health URL answers 503), as an ALB's would."""

from __future__ import annotations

from kojan_tui.core import metrics_catalog as q
from tests.demo.helpers import client, s03_since, utcnow
from tests.demo.test_scenarios import switch, within_first_minute


def newest(series: list[float]) -> float | None:
    return series[-1] if series else None


def test_db_outage_targets_go_unhealthy_with_the_health_check(demo_world) -> None:
    before = s03_since(client(demo_world, "cloudwatch"), utcnow().replace(microsecond=0), period=5)
    assert newest(before.get(q.HEALTHY_HOSTS, [])) in (None, 2.0)
    since = switch(demo_world, "db-outage")
    series = within_first_minute(
        demo_world,
        lambda: (s := s03_since(client(demo_world, "cloudwatch"), since, period=5)).get(q.HEALTHY_HOSTS) and s,
        "target health datapoints after the switch",
    )
    assert newest(series[q.HEALTHY_HOSTS]) == 0.0 and newest(series[q.UNHEALTHY_HOSTS]) == 2.0


def test_bad_deploy_starts_with_its_deployment_and_rearms_after_a_rollback(demo_world) -> None:
    from datetime import timedelta

    from tests.demo.helpers import ROLLOUT_TICKS, within_ticks

    ecs = client(demo_world, "ecs")

    def service():
        return ecs.describe_services(cluster="kojan-map-production", services=["kojan-map-business"])["services"][0]

    since = switch(demo_world, "bad-deploy")
    first = service()
    assert first["taskDefinition"].endswith(":3") and len(first["deployments"]) == 1
    assert first["deployments"][0]["createdAt"] >= since - timedelta(seconds=2)  # the marker is where errors start
    ecs.update_service(cluster="kojan-map-production", service="kojan-map-business", taskDefinition="kojan-map-business:2")
    within_ticks(
        demo_world,
        ROLLOUT_TICKS,
        lambda: (s := service())["taskDefinition"].endswith(":2") and s["deployments"][0]["rolloutState"] == "COMPLETED",
        "the rollback",
    )
    switch(demo_world, "healthy")
    again = switch(demo_world, "bad-deploy")
    rearmed = service()
    assert rearmed["taskDefinition"].endswith(":3") and rearmed["deployments"][0]["createdAt"] >= again - timedelta(seconds=2)
