"""Secrets Manager: a secret's LENGTH and last-changed date (S07: JWT secret ≥ 32). The value is read only to
be measured: it is dropped here and never returned, logged or stored.
"""

from __future__ import annotations

from kojan_tui.aws import convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.resources import SecretLength


class SecretsCalls(AwsBase):
    async def secret_length(self, secret_id: str) -> SecretLength:
        described = await self._call("secretsmanager", "DescribeSecret", SecretId=secret_id)
        raw = await self._call("secretsmanager", "GetSecretValue", SecretId=secret_id)
        value = raw.get("SecretString")
        length = len(value) if isinstance(value, str) else len(raw.get("SecretBinary") or b"")
        del raw, value  # only the length leaves this function
        return SecretLength(
            name=str(described.get("Name", secret_id)),
            length=length,
            last_changed=convert.utc(described.get("LastChangedDate")),
        )
