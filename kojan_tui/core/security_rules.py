"""Pure judgements of the security view (S12, S16–S18, S20): durations as the task definition writes them,
image age, which findings fail."""

from __future__ import annotations

import re
from datetime import datetime

from kojan_tui.core.security_models import EcrImage, ScanFinding

GUIDE_OAUTH_TOKEN_SECONDS = 24 * 3600  # S20: OAuth token lifetime 24 h
GUIDE_MFA_CODE_SECONDS = 5 * 60  # S20: MFA code lifetime 5 minutes

_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")


def parse_duration(text: str) -> float | None:
    """Seconds of ``"24h"``, ``"5m"``, ``"1h30m"``, ``"300s"``, ``"300"`` (plain seconds); None if unreadable."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    if not value or _PART.sub("", value):
        return None
    return sum(float(number) * _UNITS[unit] for number, unit in _PART.findall(value))


def show_duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def failing_findings(image: EcrImage, severities: tuple[str, ...]) -> int:
    """How many of the image's findings have one of ``severities`` (from the counts, not only the top list)."""
    return sum(count for severity, count in image.severity_counts if severity in severities)


def age_days(then: datetime | None, now: datetime) -> float | None:
    return None if then is None else (now - then).total_seconds() / 86400


def finding_line(finding: ScanFinding) -> str:
    return f"{finding.severity:<13} {finding.name:<16} {finding.package or '-':<24} {finding.uri}"
