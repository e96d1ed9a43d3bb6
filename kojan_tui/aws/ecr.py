"""ECR (S12): the image the service runs now, its push date and its scan findings by severity."""

from __future__ import annotations

from kojan_tui.aws import convert_security as convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.security_models import EcrImage, ImageRef

MAX_FINDING_PAGES = 10


class EcrCalls(AwsBase):
    async def describe_image(self, image: ImageRef, *, top_findings: int = 10) -> EcrImage:
        """The image by digest (preferred) or tag, and its scan findings (the ``top_findings`` most severe).
        An image never scanned comes back with ``scan_status`` NONE, not as a failure."""
        image_id = {"imageDigest": image.digest} if image.digest else {"imageTag": image.tag or "latest"}
        registry = {"registryId": image.registry_id} if image.registry_id else {}
        raw = await self._call("ecr", "DescribeImages", repositoryName=image.repository, imageIds=[image_id], **registry)
        details = raw.get("imageDetails") or []
        if not details:
            raise AwsFailure(FailureKind.NOT_FOUND, f"image {image.shown} not found", operation="DescribeImages")
        findings = await self._scan_findings(image.repository, image_id, registry)
        return convert.ecr_image(details[0], findings, top=top_findings)

    async def _scan_findings(self, repository: str, image_id: dict, registry: dict) -> dict | None:
        pages: list[dict] = []
        token = None
        for _ in range(MAX_FINDING_PAGES):
            try:
                page = await self._call(
                    "ecr",
                    "DescribeImageScanFindings",
                    repositoryName=repository,
                    imageId=image_id,
                    **registry,
                    **({"nextToken": token} if token else {}),
                )
            except AwsFailure as failure:
                if failure.code == "ScanNotFoundException":
                    return None
                raise
            pages.append(page)
            token = page.get("nextToken")
            if not token:
                break
        merged = dict(pages[0])
        scan = dict(merged.get("imageScanFindings") or {})
        scan["findings"] = [f for p in pages for f in ((p.get("imageScanFindings") or {}).get("findings") or [])]
        merged["imageScanFindings"] = scan
        return merged
