"""IAM Access Analyzer (S14): ValidatePolicy on the team's policy document, findings by type.

An endpoint that does not offer the API (moto, the embedded AWS: an HTTP error with no AWS error code) is
UNAVAILABLE with that reason, not a generic server error.
"""

from __future__ import annotations

from kojan_tui.aws import convert_security as convert
from kojan_tui.aws.base import AwsBase
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.security_models import PolicyFinding

MAX_PAGES = 10
NOT_OFFERED = "this endpoint does not offer Access Analyzer"


class AccessAnalyzerCalls(AwsBase):
    async def validate_policy(self, document: str, *, policy_type: str = "IDENTITY_POLICY") -> list[PolicyFinding]:
        findings: list[PolicyFinding] = []
        token = None
        for _ in range(MAX_PAGES):
            try:
                raw = await self._call(
                    "accessanalyzer",
                    "ValidatePolicy",
                    policyDocument=document,
                    policyType=policy_type,
                    **({"nextToken": token} if token else {}),
                )
            except AwsFailure as failure:
                if _not_offered(failure):
                    raise AwsFailure(
                        FailureKind.UNAVAILABLE, NOT_OFFERED, code=failure.code, operation="ValidatePolicy"
                    ) from None
                raise
            findings.extend(convert.policy_finding(f) for f in raw.get("findings", []) or [])
            token = raw.get("nextToken")
            if not token:
                break
        return findings


def _not_offered(failure: AwsFailure) -> bool:
    """A bare HTTP 404/500/501 (botocore uses the status as the code) instead of an AWS error body."""
    return failure.code in ("404", "500", "501") or failure.code == "UnknownOperationException"
