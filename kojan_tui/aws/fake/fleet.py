"""Fake fleet reads: several services and databases at once (``fleet_services``, ``db_instances``), falling back
to the single ``service`` / ``db_instance`` the other fakes hold."""

from __future__ import annotations

from collections.abc import Sequence

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import DbInstance, ServiceSnapshot


class FakeFleet(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.fleet_services: dict[tuple[str, str], ServiceSnapshot] = {}  # (cluster, name) -> snapshot
        self.db_instances: dict[str, DbInstance] = {}

    async def describe_services(self, cluster: str, services: Sequence[str]) -> dict[str, ServiceSnapshot]:
        await self._enter("describe_services")
        known = dict(self.fleet_services)
        single = getattr(self, "service", None)
        if single is not None:
            known.setdefault((single.cluster, single.name), single)
        if not any(c == cluster for c, _ in known):  # as AWS: ClusterNotFoundException
            raise AwsFailure(FailureKind.NOT_FOUND, f"cluster {cluster} not found", operation="DescribeServices")
        return {name: known[(cluster, name)] for name in services if (cluster, name) in known}

    async def describe_db_instances(self, identifiers: Sequence[str]) -> dict[str, DbInstance]:
        await self._enter("describe_db_instances")
        known = dict(self.db_instances)
        single = getattr(self, "db_instance", None)
        if single is not None:
            known.setdefault(single.identifier, single)
        return {i: known[i] for i in identifiers if i in known}
