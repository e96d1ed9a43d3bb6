"""Issue 26: the fleet's batched reads — up to 10 ECS services in one DescribeServices, every database in one
DescribeDBInstances (a ``db-instance-id`` filter), so watching N services costs requests per cluster, not per service."""

from __future__ import annotations

from collections.abc import Sequence

from kojan_tui.aws import convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.fleet import DESCRIBE_SERVICES_BATCH, MAX_DB_FILTER_VALUES
from kojan_tui.core.models import DbInstance, ServiceSnapshot


class FleetCalls(AwsBase):
    async def describe_services(self, cluster: str, services: Sequence[str]) -> dict[str, ServiceSnapshot]:
        """Up to 10 services of ``cluster`` in ONE DescribeServices: name -> snapshot (a missing one is left out)."""
        names = list(dict.fromkeys(services))
        if not names:
            return {}
        if len(names) > DESCRIBE_SERVICES_BATCH:
            raise AwsFailure(
                FailureKind.INVALID_REQUEST,
                f"{len(names)} services: DescribeServices takes at most {DESCRIBE_SERVICES_BATCH}",
                operation="DescribeServices",
            )
        raw = await self._call("ecs", "DescribeServices", cluster=cluster, services=names)
        snapshots = (convert.service_snapshot(s, cluster) for s in raw.get("services", []) or [])
        return {s.name: s for s in snapshots if s.name in names}

    async def describe_db_instances(self, identifiers: Sequence[str]) -> dict[str, DbInstance]:
        """Up to 100 instances in ONE DescribeDBInstances: identifier -> instance (a missing one is left out)."""
        wanted = list(dict.fromkeys(identifiers))
        if not wanted:
            return {}
        if len(wanted) > MAX_DB_FILTER_VALUES:
            raise AwsFailure(
                FailureKind.INVALID_REQUEST,
                f"{len(wanted)} databases: at most {MAX_DB_FILTER_VALUES} a call",
                operation="DescribeDBInstances",
            )
        raw = await self._call("rds", "DescribeDBInstances", Filters=[{"Name": "db-instance-id", "Values": wanted}])
        instances = (convert.db_instance(i) for i in raw.get("DBInstances", []) or [])
        return {i.identifier: i for i in instances if i.identifier in wanted}
