"""S3: the newest objects under a prefix (S07: the ALB access logs), bounded in pages."""

from __future__ import annotations

from datetime import UTC, datetime

from kojan_tui.aws import convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.resources import StoredObject

MAX_LIST_PAGES = 10  # 10,000 keys at most per call


class S3Calls(AwsBase):
    async def newest_objects(self, bucket: str, *, prefix: str = "", count: int = 5) -> list[StoredObject]:
        """The ``count`` newest objects (by LastModified) among the first MAX_LIST_PAGES pages of keys."""
        objects: list[StoredObject] = []
        token = None
        for _ in range(MAX_LIST_PAGES):
            raw = await self._call(
                "s3", "ListObjectsV2", Bucket=bucket, Prefix=prefix, **({"ContinuationToken": token} if token else {})
            )
            objects += [
                StoredObject(str(o.get("Key", "")), int(o.get("Size", 0) or 0), convert.utc(o.get("LastModified")))
                for o in raw.get("Contents", []) or []
            ]
            objects = sorted(objects, key=_newest_first)[: max(count, 1)]
            token = raw.get("NextContinuationToken") if raw.get("IsTruncated") else None
            if not token:
                break
        return objects[:count]


def _newest_first(obj: StoredObject) -> float:
    return -(obj.last_modified or datetime.min.replace(tzinfo=UTC)).timestamp()
