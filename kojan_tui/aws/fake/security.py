"""Fake ECR and Access Analyzer (the security view's own services)."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.aws.accessanalyzer import NOT_OFFERED
from kojan_tui.aws.fake.base import FakeBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.security_models import EcrImage, ImageRef, PolicyFinding


class FakeEcr(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.images: dict[str, EcrImage] = {}  # "repository:tag" and "repository@digest" -> image

    async def describe_image(self, image: ImageRef, *, top_findings: int = 10) -> EcrImage:
        await self._enter("describe_image")
        found = self.images.get(image.shown)
        if found is None:
            raise AwsFailure(FailureKind.NOT_FOUND, f"image {image.shown} not found", operation="DescribeImages")
        return replace(found, findings=found.findings[:top_findings])


class FakeAccessAnalyzer(FakeBase):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.policy_findings: list[PolicyFinding] | None = None  # None: the endpoint does not offer the API
        self.validated: list[str] = []

    async def validate_policy(self, document: str, *, policy_type: str = "IDENTITY_POLICY") -> list[PolicyFinding]:
        await self._enter("validate_policy")
        self.validated.append(document)
        if self.policy_findings is None:
            raise AwsFailure(FailureKind.UNAVAILABLE, NOT_OFFERED, code="500", operation="ValidatePolicy")
        return list(self.policy_findings)
