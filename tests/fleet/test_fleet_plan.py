"""Issue 26, pure: which requests one fleet poll makes, how they are split, how answers go back to services."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kojan_tui.core import metrics_catalog
from kojan_tui.core.fleet import (
    FleetAnswers,
    db_batches,
    describe_batches,
    fleet_rows,
    member_data,
    metric_plan,
    split,
)
from kojan_tui.core.fleet_config import fleet_of
from kojan_tui.core.levels import Level
from kojan_tui.core.models import DbInstance, Deployment, MetricSeries, ServiceSnapshot
from tests.fleet.builders import fleet_config, member

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
PER_SERVICE = len(metrics_catalog.s03_queries(member(0).service, 60))


def test_every_series_is_asked_once_and_read_back_under_its_own_key():
    members = [member(i, clusters=1, databases=1) for i in range(3)]  # one load balancer, one database
    plan = metric_plan(members, 60)
    # the ALB's own 5XX and the two RDS series are shared: asked once for the three services
    assert len(plan.queries) == 3 * PER_SERVICE - 2 * 3
    assert len({q.id for q in plan.queries}) == len(plan.queries)
    answers = {q.id: MetricSeries(q.id, q.label, (NOW,), (float(n),)) for n, q in enumerate(plan.queries)}
    per_service = plan.per_service(answers)
    assert set(per_service[2]) == {q.id for q in metrics_catalog.s03_queries(members[2].service, 60)}
    assert per_service[2][metrics_catalog.RDS_CPU] == replace(answers["s0_rds_cpu"], id=metrics_catalog.RDS_CPU)
    assert per_service[1][metrics_catalog.ECS_CPU].latest != per_service[2][metrics_catalog.ECS_CPU].latest


def test_queries_are_split_at_500_a_call():
    plan = metric_plan([member(i) for i in range(60)], 60)
    batches = plan.batches()
    assert [len(b) for b in batches] == [500, len(plan.queries) - 500]
    assert [q for b in batches for q in b] == list(plan.queries)
    assert split([], 500) == []


def test_describe_services_goes_per_cluster_in_tens_and_databases_in_one_call():
    members = [member(i, clusters=2) for i in range(25)]
    batches = describe_batches(members)
    assert [(cluster, len(names)) for cluster, names in batches] == [
        ("cluster-0", 10),
        ("cluster-0", 3),
        ("cluster-1", 10),
        ("cluster-1", 2),
    ]
    assert sorted(n for _, names in batches for n in names) == sorted(m.service.name for m in members)
    assert [len(b) for b in db_batches(members)] == [25]
    assert [len(b) for b in db_batches([member(i, databases=3) for i in range(25)])] == [3]


def snapshot(m, rollout: str = "COMPLETED") -> ServiceSnapshot:
    deployment = Deployment("d", "PRIMARY", "td:1", 2, 2, 0, rollout, None, None, None)
    return ServiceSnapshot(m.service.cluster, m.service.name, "ACTIVE", 2, 2, 0, "td:1", (deployment,))


def test_the_row_in_alert_sorts_first_and_no_data_is_not_ok():
    config = fleet_config(3)
    members = fleet_of(config)
    plan = metric_plan(members, 60)
    stamps = tuple(NOW - timedelta(minutes=m) for m in (3, 2, 1))
    answers = {}
    for reads, m in zip(plan.reads, members, strict=True):
        for key, qid in reads:
            value = {metrics_catalog.ECS_CPU: 30.0, metrics_catalog.ECS_MEMORY: 40.0}.get(key, 0.0)
            if key == metrics_catalog.ECS_CPU and m.service.name == "svc-2":
                value = 90.0  # above the 80 % alert
            if key == metrics_catalog.RDS_FREE_STORAGE:
                value = 80e9
            if key in (metrics_catalog.HEALTHY_HOSTS, metrics_catalog.ALB_REQUESTS):
                value = 2.0
            answers[qid] = MetricSeries(qid, "", stamps, (value,) * 3)
    services = {(m.service.cluster, m.service.name): snapshot(m) for m in members[1:]}  # svc-0: no answer
    databases = {
        m.service.db_instance: DbInstance(m.service.db_instance, "available", "mysql", "8.0", "db.t3.medium", 100)
        for m in members
    }
    data = member_data(plan, FleetAnswers(metrics=answers, services=services, databases=databases), members)
    rows = fleet_rows(members, data, config, NOW)
    assert [r.member.service.name for r in rows] == ["svc-2", "svc-0", "svc-1"]
    assert [r.level for r in rows] == [Level.ALERT, Level.UNKNOWN, Level.OK]
    assert dict((t, lv) for t, lv, _ in rows[0].levels)["ECS CPU"] is Level.ALERT
    assert rows[2].rollout == "COMPLETED" and rows[1].rollout == ""


async def test_a_cluster_aws_does_not_know_blanks_only_its_own_services():
    from kojan_tui.aws.fake import FakeGateway
    from kojan_tui.sources.fleet import FleetSource

    config = fleet_config(4, clusters=2)
    members = fleet_of(config)
    fake = FakeGateway()
    for m in members:
        if m.service.cluster == "cluster-0":
            fake.fleet_services[(m.service.cluster, m.service.name)] = snapshot(m)
    source = FleetSource(fake, config, clock=lambda: NOW)
    source.deliver(await source.poll())
    assert source.answers is not None and len(source.answers.failures) == 1
    assert "cluster-1" in source.answers.failures[0]
    verdicts = {r.member.service.cluster + "/" + r.member.service.name: r.verdict for r in source.rows}
    assert verdicts["cluster-0/svc-0"] is Level.OK and verdicts["cluster-0/svc-2"] is Level.OK
    assert verdicts["cluster-1/svc-1"] is Level.UNKNOWN and verdicts["cluster-1/svc-3"] is Level.UNKNOWN
