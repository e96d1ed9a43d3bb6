"""Secrets Manager (S18): the secrets under a prefix (metadata only), one secret's LENGTH (S07: JWT ≥ 32) and its
current version id (issue 27's snapshot: DescribeSecret, which never returns a value).

``secret_length`` is the only call that reads a value: it keeps ``len()`` and drops the value at once. Its
failures carry a fixed message (never the service's text, which a broken answer could fill with the body), and
botocore's DEBUG log of a GetSecretValue response body is filtered out.
"""

from __future__ import annotations

import logging

from kojan_tui.aws import convert, convert_security
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.resources import SecretLength
from kojan_tui.core.security_models import SecretInfo

MAX_LIST_PAGES = 20
SECRET_FIELDS = ("SecretString", "SecretBinary")
# botocore logs whole response bodies at DEBUG: anyone turning DEBUG logging on must not get secret values.
BODY_LOGGERS = ("botocore.parsers", "aiobotocore.parsers", "botocore.endpoint", "aiobotocore.endpoint", "botocore.hooks")


class SecretValueFilter(logging.Filter):
    """Drops any log record that mentions a secret value field (its formatted message, arguments included)."""

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
    async def list_secrets(self, prefix: str) -> list[SecretInfo]:
        """Secrets whose name starts with ``prefix``, sorted by name: ListSecrets returns no values."""
        found: list[SecretInfo] = []
        token = None
        for _ in range(MAX_LIST_PAGES):
            raw = await self._call(
                "secretsmanager",
                "ListSecrets",
                Filters=[{"Key": "name", "Values": [prefix]}],
                MaxResults=100,
                **({"NextToken": token} if token else {}),
            )
            found.extend(convert_security.secret_info(s) for s in raw.get("SecretList", []) or [])
            token = raw.get("NextToken")
            if not token:
                break
        return sorted((s for s in found if s.name.startswith(prefix)), key=lambda s: s.name)

    async def secret_length(self, secret_id: str) -> SecretLength:
        described = await self._call("secretsmanager", "DescribeSecret", SecretId=secret_id)
        length = await self._value_length(secret_id)
        return SecretLength(
            name=str(described.get("Name", secret_id)),
            length=length,
            last_changed=convert.utc(described.get("LastChangedDate")),
        )

    async def secret_version(self, secret_id: str) -> str | None:
        """The id of the version staged ``AWSCURRENT`` (None: no version has it), from DescribeSecret: no value."""
        described = await self._call("secretsmanager", "DescribeSecret", SecretId=secret_id)
        return convert_security.current_version(described)

    async def _value_length(self, secret_id: str) -> int:
        try:
            raw = await self._call("secretsmanager", "GetSecretValue", SecretId=secret_id)
        except AwsFailure as failure:
            safe = AwsFailure(
                failure.kind,
                f"could not read the length of {secret_id} ({failure.kind.value})",
                code=failure.code if failure.code.isidentifier() else "",
                operation="GetSecretValue",
            )
            raise safe from None
        value = raw.pop("SecretString", None)
        binary = raw.pop("SecretBinary", None)
        length = len(value) if isinstance(value, str) else len(binary or b"")
        del raw, value, binary  # only the length leaves this function
        return length
