"""Fake RDS."""

from __future__ import annotations

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import DbInstance


class FakeRds(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.db_instance: DbInstance | None = None

    async def describe_db_instance(self, identifier: str) -> DbInstance:
        await self._enter("describe_db_instance")
        if self.db_instance is None or self.db_instance.identifier != identifier:
            raise AwsFailure(FailureKind.NOT_FOUND, f"DB instance {identifier} not found", operation="DescribeDBInstances")
        return self.db_instance
