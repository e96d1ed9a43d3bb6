"""Fake RDS: the instance, its parameters, and the refused-when-read-only parameter change."""

from __future__ import annotations

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import DbInstance
from kojan_tui.core.resources import DbParameter
from kojan_tui.core.security_models import PendingMaintenance


class FakeRds(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.db_instance: DbInstance | None = None
        self.db_parameters: dict[tuple[str, str], str] = {}  # (group, name) -> value
        self.maintenance: list[PendingMaintenance] = []

    async def pending_maintenance(self, identifier: str) -> list[PendingMaintenance]:
        await self._enter("pending_maintenance")
        return list(self.maintenance)

    async def describe_db_instance(self, identifier: str) -> DbInstance:
        await self._enter("describe_db_instance")
        if self.db_instance is None or self.db_instance.identifier != identifier:
            raise AwsFailure(FailureKind.NOT_FOUND, f"DB instance {identifier} not found", operation="DescribeDBInstances")
        return self.db_instance

    async def describe_db_parameter(self, group: str, name: str) -> DbParameter:
        await self._enter("describe_db_parameter")
        return DbParameter(name, self.db_parameters.get((group, name)))

    async def modify_db_parameter(self, group: str, name: str, value: str, *, apply_method: str = "immediate") -> DbParameter:
        await self._enter("modify_db_parameter")
        if self.read_only:
            raise AwsFailure(
                FailureKind.READ_ONLY, "ModifyDBParameterGroup refused: read-only", operation="ModifyDBParameterGroup"
            )
        self.db_parameters[(group, name)] = value
        return DbParameter(name, value)
