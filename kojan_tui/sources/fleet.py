"""Issue 26: one fleet poll — every service's S03 series, ECS services and databases in the fewest requests
(``core.fleet`` plans them), the parts in flight together, each part's failure its own (its levels NO DATA).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from kojan_tui.aws.protocol import FleetGateway
from kojan_tui.core.clock import Clock
from kojan_tui.core.config import Config
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.fleet import FleetAnswers, FleetRow, db_batches, describe_batches, fleet_rows, member_data, metric_plan
from kojan_tui.core.fleet_config import fleet_of
from kojan_tui.sources.poller import Poller

FLEET_SOURCE = "fleet"
FLEET_PERIOD_S = 60  # CloudWatch's finest ALB/ECS/RDS resolution
# S25's "CPU at 100 % sustained 5 minutes" and the staleness rule (3 periods) both fit in this much history
FLEET_SPAN = timedelta(minutes=20)

RowsListener = Callable[[list[FleetRow]], None]


class FleetSource:
    def __init__(self, gateway: FleetGateway, config: Config, *, clock: Clock, on_change: RowsListener | None = None) -> None:
        self.gateway = gateway
        self.config = config
        self.clock = clock
        self.on_change = on_change
        self.members = fleet_of(config)
        self.plan = metric_plan(self.members, FLEET_PERIOD_S)
        self.answers: FleetAnswers | None = None
        self.rows: list[FleetRow] = []

    def register(self, poller: Poller) -> None:
        poller.register(FLEET_SOURCE, self.config.refresh.metrics_seconds, self.poll, self.deliver)

    async def poll(self) -> FleetAnswers:
        """One fleet refresh; raises only when every part failed (the poller then marks the fleet stale). A cluster
        AWS does not know (or a batch that fails) blanks its own services only."""
        end = self.clock()
        metrics, services, databases = await asyncio.gather(
            _part(self._metrics(end - FLEET_SPAN, end)), _part(self._services()), _part(self._databases())
        )
        failures = [str(p) for p in (metrics, services, databases) if isinstance(p, AwsFailure)]
        if len(failures) == 3:
            raise metrics  # type: ignore[misc]
        if not isinstance(services, AwsFailure):
            services, batch_failures = services
            failures += batch_failures
        return FleetAnswers(
            metrics=None if isinstance(metrics, AwsFailure) else metrics,
            services=None if isinstance(services, AwsFailure) else services,
            databases=None if isinstance(databases, AwsFailure) else databases,
            period=FLEET_PERIOD_S,
            failures=tuple(failures),
        )

    def deliver(self, answers: FleetAnswers) -> None:
        self.answers = answers
        data = member_data(self.plan, answers, self.members)
        self.rows = fleet_rows(self.members, data, self.config, self.clock())
        if self.on_change is not None:
            self.on_change(self.rows)

    async def _metrics(self, start, end) -> dict:
        answers = await asyncio.gather(*(self.gateway.get_metric_data(batch, start, end) for batch in self.plan.batches()))
        return {qid: series for answer in answers for qid, series in answer.items()}

    async def _services(self) -> tuple[dict, list[str]]:
        """Every batch's snapshots and the failed batches' reasons; raises when every batch failed."""
        batches = describe_batches(self.members)
        answers = await asyncio.gather(*(_part(self.gateway.describe_services(c, names)) for c, names in batches))
        failed = [a for a in answers if isinstance(a, AwsFailure)]
        if failed and len(failed) == len(answers):
            raise failed[0]
        found = {
            (cluster, name): s
            for (cluster, _), answer in zip(batches, answers, strict=True)
            if not isinstance(answer, AwsFailure)
            for name, s in answer.items()
        }
        return found, [f"{cluster}: {a}" for (cluster, _), a in zip(batches, answers, strict=True) if isinstance(a, AwsFailure)]

    async def _databases(self) -> dict:
        answers = await asyncio.gather(*(self.gateway.describe_db_instances(batch) for batch in db_batches(self.members)))
        return {identifier: db for answer in answers for identifier, db in answer.items()}


async def _part(coroutine):
    """The part's answer, or its AwsFailure (the other parts are still delivered)."""
    try:
        return await coroutine
    except AwsFailure as failure:
        return failure
