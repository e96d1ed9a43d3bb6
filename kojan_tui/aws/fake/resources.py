"""Fake S3, EC2 security groups and Secrets Manager (lengths and version ids only), for UI tests."""

from __future__ import annotations

from collections.abc import Sequence

from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.resources import SecretLength, SecurityGroup, StoredObject
from kojan_tui.core.security_models import SecretInfo


class FakeS3(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.objects: dict[str, list[StoredObject]] = {}  # bucket -> objects

    async def newest_objects(self, bucket: str, *, prefix: str = "", count: int = 5) -> list[StoredObject]:
        await self._enter("newest_objects")
        if bucket not in self.objects:
            raise AwsFailure(FailureKind.NOT_FOUND, f"bucket {bucket} not found", operation="ListObjectsV2")
        found = [o for o in self.objects[bucket] if o.key.startswith(prefix)]
        return sorted(found, key=lambda o: o.last_modified.timestamp() if o.last_modified else 0, reverse=True)[:count]


class FakeEc2(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.security_groups: dict[str, SecurityGroup] = {}

    async def describe_security_groups(self, group_ids: Sequence[str]) -> list[SecurityGroup]:
        await self._enter("describe_security_groups")
        return [self.security_groups[g] for g in group_ids if g in self.security_groups]


class FakeSecrets(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.secret_lengths: dict[str, SecretLength] = {}
        self.secrets: list[SecretInfo] = []
        self.secret_versions: dict[str, str | None] = {}  # secret id -> its AWSCURRENT version id

    async def list_secrets(self, prefix: str) -> list[SecretInfo]:
        await self._enter("list_secrets")
        return sorted((s for s in self.secrets if s.name.startswith(prefix)), key=lambda s: s.name)

    async def secret_length(self, secret_id: str) -> SecretLength:
        await self._enter("secret_length")
        if secret_id not in self.secret_lengths:
            raise AwsFailure(FailureKind.NOT_FOUND, f"secret {secret_id} not found", operation="DescribeSecret")
        return self.secret_lengths[secret_id]

    async def secret_version(self, secret_id: str) -> str | None:
        await self._enter("secret_version")
        if secret_id not in self.secret_versions:
            raise AwsFailure(FailureKind.NOT_FOUND, f"secret {secret_id} not found", operation="DescribeSecret")
        return self.secret_versions[secret_id]
