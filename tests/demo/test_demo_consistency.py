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
