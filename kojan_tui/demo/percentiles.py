"""Percentile statistics as CloudWatch reports them for raw samples: nearest rank, never interpolated.

CloudWatch returns an observed value for ``pNN`` over raw PutMetricData samples; nearest rank
(the value at 1-based rank ceil(p/100 * N) in ascending order) is the rule that does that.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

_PERCENTILE = re.compile(r"^p(\d{1,3}(?:\.\d{1,2})?)$")


def parse_percentile(stat: str) -> float | None:
    """``"p99"`` -> 99.0, ``"p99.9"`` -> 99.9; None when ``stat`` is not a valid percentile."""
    match = _PERCENTILE.match(stat)
    if not match:
        return None
    value = float(match.group(1))
    return value if 0.0 <= value <= 100.0 else None


def percentile(samples: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile of ``samples`` (any order); None for no samples."""
    if not samples:
        return None
    if not 0.0 <= p <= 100.0:
        raise ValueError(f"percentile must be within 0..100, got {p}")
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100.0 * len(ordered) - 1e-9))
    return float(ordered[min(rank, len(ordered)) - 1])
