"""Fake STS."""

from __future__ import annotations

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.models import CallerIdentity


class FakeIdentity(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.identity = CallerIdentity(account="123456789012", arn="arn:aws:iam::123456789012:user/oncall", user_id="AIDAFAKE")

    async def caller_identity(self) -> CallerIdentity:
        await self._enter("caller_identity")
        return self.identity
