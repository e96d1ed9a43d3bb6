"""The dashboard's chart windows (1h / 3h / 24h) and the CloudWatch period each one asks for (a leaf)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartWindow:
    name: str  # what the user picks: 1h | 3h | 24h
    seconds: int
    period: int  # GetMetricData period for this window


WINDOWS: dict[str, ChartWindow] = {
    "1h": ChartWindow("1h", 3600, 60),
    "3h": ChartWindow("3h", 3 * 3600, 60),
    "24h": ChartWindow("24h", 24 * 3600, 300),
}
DEFAULT_WINDOW = "1h"
