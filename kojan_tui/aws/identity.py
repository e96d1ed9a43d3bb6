"""STS: who the app is acting as (account and ARN, shown on every screen and written to the audit trail)."""

from __future__ import annotations

from kojan_tui.aws.base import AwsBase
from kojan_tui.core.models import CallerIdentity


class IdentityCalls(AwsBase):
    async def caller_identity(self) -> CallerIdentity:
        raw = await self._call("sts", "GetCallerIdentity")
        return CallerIdentity(
            account=str(raw.get("Account", "")), arn=str(raw.get("Arn", "")), user_id=str(raw.get("UserId", ""))
        )
