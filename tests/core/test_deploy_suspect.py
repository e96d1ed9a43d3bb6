"""Did it start with the deployment? Judged on the metric's own datapoints around the newest deployment."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.config import Config
from kojan_tui.core.dashboard import DashboardData, build_view
from kojan_tui.core.deploy_suspect import suspect_deployment
from tests.fixtures import builders as b

P99_FINE, P99_BAD = 0.2, 1.5  # seconds: the alert level is 1000 ms


def world_deployed(minutes_ago: float, p99: list[float]):
    """A service whose only deployment was created ``minutes_ago`` before NOW, and a p99 series ending at NOW."""
    deployment = replace(b.deployment(), created_at=b.NOW - timedelta(minutes=minutes_ago))
    metrics = b.healthy_metrics()
    metrics[q.P99_LATENCY] = b.series(q.P99_LATENCY, p99)
    data = DashboardData(service=b.service(deployments=(deployment,)), metrics=metrics, db_instance=b.db_instance())
    return build_view(data, Config(), now=b.NOW)


def test_a_metric_fine_before_and_breached_after_the_newest_deployment_points_at_it():
    view = world_deployed(3.5, [P99_FINE] * 20 + [P99_BAD] * 4)  # the breach starts in the deployment's minute
    assert view.suspect is not None
    assert view.suspect.revision == "kojan-map-business:42" and view.suspect.metrics == ("ALB p99 latency",)
    text = view.suspect.text(b.NOW, "en")
    assert text == "ALB p99 latency began with deployment kojan-map-business:42 (12:56:30, 3 min ago)"
    assert "デプロイ kojan-map-business:42" in view.suspect.text(b.NOW, "ja") and "3分前" in view.suspect.text(b.NOW, "ja")
    assert "b" in view.suspect.press_text("b", "en") and "S26" in view.suspect.press_text("b", "ja")


def test_no_suspect_when_it_was_already_bad_before_the_deployment():
    assert world_deployed(3.5, [P99_FINE] * 17 + [P99_BAD] * 7).suspect is None


def test_no_suspect_without_enough_datapoints_before_it_or_when_it_is_fine_now():
    assert world_deployed(3.5, [P99_FINE] * 2 + [P99_BAD] * 4).suspect is None  # 2 points before: no claim
    assert world_deployed(3.5, [P99_FINE] * 20 + [P99_BAD] * 3 + [P99_FINE]).suspect is None  # not in ALERT now


def test_an_old_deployment_is_not_the_suspect():
    assert world_deployed(90, [P99_FINE] * 20 + [P99_BAD] * 80).suspect is None


def test_no_deployment_date_no_claim():
    deployment = replace(b.deployment(), created_at=None)
    readings = world_deployed(3.5, [P99_FINE] * 20 + [P99_BAD] * 4).readings.values()
    assert suspect_deployment(readings, b.service(deployments=(deployment,)), b.NOW) is None
