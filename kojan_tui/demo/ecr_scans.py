"""ECR images as pushed over months and scanned on push: per-image findings, push and scan dates (S12, S18).

moto answers every scan with one fake finding and dates every image "now"; here each seeded image carries
its own findings, found by ``imageTag`` or ``imageDigest``, and ``DescribeImages`` shows their summaries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from moto.ecr import models as ecr_models

from kojan_tui.demo.seed import REVISIONS
from kojan_tui.demo.world import World

# (name, severity, package, version, description); real Go advisories of the toolchain and modules each image was built with
FINDINGS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "v1.5.0": [
        (
            "CVE-2024-34156",
            "HIGH",
            "stdlib",
            "1.22.3",
            "encoding/gob: calling Decoder.Decode on deeply nested structures exhausts the stack.",
        ),
        (
            "CVE-2024-24791",
            "MEDIUM",
            "stdlib",
            "1.22.3",
            "net/http: a server may mishandle 100-continue responses from a backend.",
        ),
        ("CVE-2024-24789", "LOW", "stdlib", "1.22.3", "archive/zip: mishandling of corrupt central directory records."),
    ],
    "v1.5.1": [
        (
            "CVE-2024-45336",
            "MEDIUM",
            "stdlib",
            "1.23.4",
            "net/http: sensitive headers are restored after a cross-domain redirect chain.",
        ),
        ("CVE-2024-45341", "LOW", "stdlib", "1.23.4", "crypto/x509: IPv6 zone IDs can bypass URI name constraints."),
        ("CVE-2025-22866", "INFORMATIONAL", "stdlib", "1.23.4", "crypto/internal/nistec: timing side channel on ppc64le only."),
    ],
    # "v1.4.2": pushed before scan on push was turned on: DescribeImageScanFindings raises ScanNotFoundException
}
SCAN_DELAY_SECONDS = 95  # a basic scan on push completes about this long after the push

_world: World | None = None
_scans: dict[str, dict[str, Any]] = {}  # image digest -> the imageScanFindings of that image
_original = ecr_models.ECRBackend.describe_image_scan_findings


def _finding(name: str, severity: str, package: str, version: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "uri": f"https://nvd.nist.gov/vuln/detail/{name}",
        "severity": severity,
        "attributes": [{"key": "package_name", "value": package}, {"key": "package_version", "value": version}],
    }


def _counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    return counts


def seed(world: World, now: float) -> None:
    """Date each seeded image and attach its scan (findings, completion time) to it."""
    repo = ecr_models.ecr_backends[world.account_id][world.region].repositories[world.config.service.ecr_repository]
    _scans.clear()
    for revision in REVISIONS:
        image = next(i for i in repo.images if revision.tag in i.image_tags)
        pushed = now - revision.pushed_days_ago * 86400
        image.image_pushed_at = int(pushed)
        if revision.tag not in FINDINGS:
            continue
        completed = datetime.fromtimestamp(pushed + SCAN_DELAY_SECONDS, UTC)
        findings = [_finding(*f) for f in FINDINGS[revision.tag]]
        _scans[image.image_digest] = {
            "imageScanCompletedAt": completed,
            "vulnerabilitySourceUpdatedAt": datetime.fromtimestamp(now, UTC) - timedelta(hours=6),
            "findings": findings,
            "findingSeverityCounts": _counts(findings),
        }
        image.last_scan = completed
        image.image_scan_status = {"status": "COMPLETE", "description": "The scan was completed successfully."}
        image.image_scan_findings_summary = {
            "imageScanCompletedAt": completed,
            "vulnerabilitySourceUpdatedAt": _scans[image.image_digest]["vulnerabilitySourceUpdatedAt"],
            "findingSeverityCounts": _counts(findings),
        }


def describe_image_scan_findings(self: Any, registry_id: str, repository_name: str, image_id: dict[str, Any]) -> dict[str, Any]:
    if _world is None or repository_name != _world.config.service.ecr_repository:
        return _original(self, registry_id, repository_name, image_id)
    repo = self._get_repository(repository_name, registry_id)
    image = repo._get_image(image_id.get("imageTag"), image_id.get("imageDigest"))  # ImageNotFoundException as AWS
    scan = _scans.get(image.image_digest)
    if scan is None:
        return _original(self, registry_id, repository_name, image_id)  # no scan: ScanNotFoundException
    answered_tag = image_id.get("imageTag") or image.image_tags[0]
    return {
        "registryId": repo.registry_id,
        "repositoryName": repository_name,
        "imageId": {"imageDigest": image.image_digest, "imageTag": answered_tag},
        "imageScanStatus": {"status": "COMPLETE", "description": "The scan was completed successfully."},
        "imageScanFindings": dict(scan),
    }


def apply(world: World) -> None:
    global _world
    _world = world
    ecr_models.ECRBackend.describe_image_scan_findings = describe_image_scan_findings
