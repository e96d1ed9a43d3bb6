"""Secrets Manager: a secret's LENGTH and last-changed date (S07: JWT secret ≥ 32). The value is read only to
be measured: it is dropped here and never returned, logged or stored.
"""

from __future__ import annotations

import logging

from kojan_tui.aws import convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.resources import SecretLength

SECRET_FIELDS = ("SecretString", "SecretBinary")
# botocore logs whole response bodies at DEBUG: anyone turning DEBUG logging on must not get secret values.
BODY_LOGGERS = ("botocore.parsers", "aiobotocore.parsers", "botocore.endpoint", "aiobotocore.endpoint", "botocore.hooks")


class SecretValueFilter(logging.Filter):
    """Drops any log record that mentions a secret value field (its message or its arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a record that cannot be formatted is not worth the risk
            return False
        return not any(name in text for name in SECRET_FIELDS)


_FILTER = SecretValueFilter()
for _name in BODY_LOGGERS:
    logging.getLogger(_name).addFilter(_FILTER)


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
