"""RDS: the database instance (S08, S17, and the S25 "database down" signal)."""

from __future__ import annotations

from kojan_tui.aws import convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import DbInstance


class RdsCalls(AwsBase):
    async def describe_db_instance(self, identifier: str) -> DbInstance:
        raw = await self._call("rds", "DescribeDBInstances", DBInstanceIdentifier=identifier)
        instances = raw.get("DBInstances") or []
        if not instances:
            raise AwsFailure(FailureKind.NOT_FOUND, f"DB instance {identifier} not found", operation="DescribeDBInstances")
        return convert.db_instance(instances[0])
