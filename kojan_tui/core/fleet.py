"""Issue 26: watching a fleet at the cost of one service — which requests one fleet poll makes, how they are split,
how each answer goes back to its service, and each service's row (worst first). Pure: no I/O.

One poll is: GetMetricData for every service's S03 series (the same series asked once, 500 queries a call),
DescribeServices per cluster in batches of 10, one DescribeDBInstances for every database. Requests grow with
clusters and with series / 500, not with services.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from kojan_tui.core import metrics_catalog
from kojan_tui.core.config import Config
from kojan_tui.core.dashboard import DashboardData, build_view
from kojan_tui.core.fleet_config import FleetService, service_config
from kojan_tui.core.levels import Level, worst
from kojan_tui.core.models import DbInstance, MetricQuery, MetricSeries, ServiceSnapshot

MAX_QUERIES_PER_CALL = 500  # GetMetricData's limit
DESCRIBE_SERVICES_BATCH = 10  # DescribeServices takes at most 10 services a call
MAX_DB_FILTER_VALUES = 100  # DescribeDBInstances' db-instance-id filter: one call for up to 100 databases

Signature = tuple[str, str, tuple[tuple[str, str], ...], str, int]


@dataclass(frozen=True)
class MetricPlan:
    """The fleet's queries, each series asked once, and which service reads which answer under which key."""

    queries: tuple[MetricQuery, ...]
    reads: tuple[tuple[tuple[str, str], ...], ...]  # per member: (catalog key, query id)

    def batches(self, limit: int = MAX_QUERIES_PER_CALL) -> list[tuple[MetricQuery, ...]]:
        return split(self.queries, limit)

    def per_service(self, answers: Mapping[str, MetricSeries]) -> list[dict[str, MetricSeries]]:
        """Each member's series under the catalog's own keys, as the single-service dashboard has them."""
        return [{key: replace(answers[qid], id=key) for key, qid in reads if qid in answers} for reads in self.reads]


def signature(query: MetricQuery) -> Signature:
    return (query.namespace, query.metric, tuple(sorted(query.dimensions)), query.stat, query.period)


def metric_plan(members: Sequence[FleetService], period: int) -> MetricPlan:
    """Every member's S03 series; one shared by two members (the same database, the same load balancer's own
    5XX) is asked once."""
    queries: list[MetricQuery] = []
    ids: dict[Signature, str] = {}
    reads: list[tuple[tuple[str, str], ...]] = []
    for index, member in enumerate(members):
        own: list[tuple[str, str]] = []
        for query in metrics_catalog.s03_queries(member.service, period):
            sig = signature(query)
            if sig not in ids:
                ids[sig] = f"s{index}_{query.id}"  # GetMetricData ids: a letter first, then letters, digits, _
                queries.append(replace(query, id=ids[sig], label=f"{member.key} {query.label}"))
            own.append((query.id, ids[sig]))
        reads.append(tuple(own))
    return MetricPlan(tuple(queries), tuple(reads))


def split(items: Sequence, limit: int) -> list[tuple]:
    """``items`` in order, in chunks of at most ``limit`` (none for none)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return [tuple(items[start : start + limit]) for start in range(0, len(items), limit)]


def describe_batches(members: Sequence[FleetService]) -> list[tuple[str, tuple[str, ...]]]:
    """(cluster, up to 10 service names) per DescribeServices call: one per cluster for up to 10 services."""
    by_cluster: dict[str, list[str]] = {}
    for member in members:
        names = by_cluster.setdefault(member.service.cluster, [])
        if member.service.name not in names:
            names.append(member.service.name)
    return [(cluster, batch) for cluster, names in by_cluster.items() for batch in split(names, DESCRIBE_SERVICES_BATCH)]


def db_batches(members: Sequence[FleetService]) -> list[tuple[str, ...]]:
    """The databases, each once, in DescribeDBInstances calls of up to 100 (one for any real fleet)."""
    return split(list(dict.fromkeys(m.service.db_instance for m in members)), MAX_DB_FILTER_VALUES)


@dataclass(frozen=True)
class FleetAnswers:
    """What one fleet poll brought back (a failed part is None: its levels are NO DATA, never OK)."""

    metrics: Mapping[str, MetricSeries] | None = None
    services: Mapping[tuple[str, str], ServiceSnapshot] | None = None  # (cluster, name) -> snapshot
    databases: Mapping[str, DbInstance] | None = None
    period: int = 60
    failures: tuple[str, ...] = ()


def member_data(plan: MetricPlan, answers: FleetAnswers, members: Sequence[FleetService]) -> list[DashboardData]:
    """Each member's ``DashboardData``, as its own dashboard would hold it after the same requests."""
    metrics = plan.per_service(answers.metrics) if answers.metrics is not None else [{} for _ in members]
    services, databases = answers.services or {}, answers.databases or {}
    return [
        DashboardData(
            service=services.get((m.service.cluster, m.service.name)),
            metrics=metrics[index],
            metrics_period=answers.period,
            db_instance=databases.get(m.service.db_instance),
        )
        for index, m in enumerate(members)
    ]


@dataclass(frozen=True)
class FleetRow:
    index: int  # in the config's order
    member: FleetService
    verdict: Level
    verdict_text: str
    levels: tuple[tuple[str, Level, str], ...]  # the six S03 metrics: (short title, level, value text)
    rollback: tuple[str, ...]  # S25 reasons that hold
    rollout: str  # the primary deployment's rollout state ("" when unknown)

    @property
    def level(self) -> Level:
        """The row's worst: S25 holding is an alert; anything unmeasured makes the row NO DATA at best."""
        if self.rollback:
            return Level.ALERT
        levels = [self.verdict, *(level for _, level, _ in self.levels)]
        top = worst(levels)
        if top in (Level.ALERT, Level.WARNING):
            return top
        return Level.UNKNOWN if Level.UNKNOWN in levels else Level.OK


# ALERT before WARN before NO DATA before OK: no data is not OK
_ORDER = {Level.ALERT: 0, Level.WARNING: 1, Level.UNKNOWN: 2, Level.OK: 3}


def fleet_rows(
    members: Sequence[FleetService], data: Sequence[DashboardData], config: Config, now: datetime | None
) -> list[FleetRow]:
    """One row per member, worst first (then in the config's order)."""
    rows = []
    for index, (member, member_data_) in enumerate(zip(members, data, strict=True)):
        view = build_view(member_data_, service_config(config, member), now)
        primary = member_data_.service.primary if member_data_.service is not None else None
        rows.append(
            FleetRow(
                index=index,
                member=member,
                verdict=view.verdict.level,
                verdict_text=view.verdict.summary,
                levels=tuple((r.spec.short, r.level, r.value_text) for r in view.readings.values()),
                rollback=tuple(reason.text for reason in view.rollback),
                rollout=(primary.rollout_state or "") if primary is not None else "",
            )
        )
    return sorted(rows, key=lambda row: (_ORDER[row.level], row.index))
