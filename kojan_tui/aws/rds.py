"""RDS: the database instance (S08, S17, and the S25 "database down" signal), its parameters (S10: the slow
query log) and the one RDS mutation, ModifyDBParameterGroup (only through ``kojan_tui.actions``).
"""

from __future__ import annotations

from kojan_tui.aws import convert, convert_security
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import DbInstance
from kojan_tui.core.resources import DbParameter
from kojan_tui.core.security_models import PendingMaintenance

MAX_PARAMETER_PAGES = 20


class RdsCalls(AwsBase):
    async def describe_db_instance(self, identifier: str) -> DbInstance:
        raw = await self._call("rds", "DescribeDBInstances", DBInstanceIdentifier=identifier)
        instances = raw.get("DBInstances") or []
        if not instances:
            raise AwsFailure(FailureKind.NOT_FOUND, f"DB instance {identifier} not found", operation="DescribeDBInstances")
        return convert.db_instance(instances[0])

    async def describe_db_parameter(self, group: str, name: str) -> DbParameter:
        """One parameter of a DB parameter group (paged through DescribeDBParameters)."""
        token = None
        for _ in range(MAX_PARAMETER_PAGES):
            raw = await self._call(
                "rds", "DescribeDBParameters", DBParameterGroupName=group, **({"Marker": token} if token else {})
            )
            for p in raw.get("Parameters", []) or []:
                if p.get("ParameterName") == name:
                    value = p.get("ParameterValue")
                    return DbParameter(
                        name, None if value is None else str(value), str(p.get("Source", "")), str(p.get("ApplyType", ""))
                    )
            token = raw.get("Marker")
            if not token:
                break
        return DbParameter(name, None)

    async def modify_db_parameter(self, group: str, name: str, value: str, *, apply_method: str = "immediate") -> DbParameter:
        """MUTATES production. Refused when read-only (the backstop behind ``kojan_tui.actions``)."""
        if self.read_only:
            raise AwsFailure(
                FailureKind.READ_ONLY,
                "ModifyDBParameterGroup refused: the app is in read-only mode",
                operation="ModifyDBParameterGroup",
            )
        await self._call(
            "rds",
            "ModifyDBParameterGroup",
            mutation=True,
            DBParameterGroupName=group,
            Parameters=[{"ParameterName": name, "ParameterValue": value, "ApplyMethod": apply_method}],
        )
        return await self.describe_db_parameter(group, name)

    async def pending_maintenance(self, identifier: str) -> list[PendingMaintenance]:
        """The instance's pending maintenance actions (DescribePendingMaintenanceActions, db-instance-id filter)."""
        raw = await self._call(
            "rds", "DescribePendingMaintenanceActions", Filters=[{"Name": "db-instance-id", "Values": [identifier]}]
        )
        return [
            convert_security.pending_maintenance(detail)
            for resource in raw.get("PendingMaintenanceActions", []) or []
            for detail in resource.get("PendingMaintenanceActionDetails", []) or []
        ]
