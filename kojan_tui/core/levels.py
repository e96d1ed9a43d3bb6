"""Levels (no data / ok / warning / alert) from the config's thresholds, and how each level is spelled in text.

The boundaries are exactly the config's: a value above ``alert`` is an alert, above ``warn`` a warning.
"""

from __future__ import annotations

from enum import Enum

from kojan_tui.core.thresholds import Threshold


class Level(str, Enum):
    UNKNOWN = "unknown"  # NO DATA: nothing measured yet, or only old data; never an alert, never "ok" either
    OK = "ok"
    WARNING = "warning"
    ALERT = "alert"

    @property
    def marker(self) -> str:
        """A text marker, so the level reads without colour (monochrome, colour-blind users)."""
        return _MARKERS[self]

    @property
    def rank(self) -> int:
        return _RANKS[self]


_MARKERS = {Level.UNKNOWN: "? NO DATA", Level.OK: "✓ OK", Level.WARNING: "▲ WARN", Level.ALERT: "✖ ALERT"}
_RANKS = {Level.UNKNOWN: 0, Level.OK: 1, Level.WARNING: 2, Level.ALERT: 3}


def level_for(value: float | None, threshold: Threshold) -> Level:
    """The level of ``value``: above ``alert`` ⇒ ALERT, above ``warn`` ⇒ WARNING, else OK; None ⇒ UNKNOWN."""
    if value is None:
        return Level.UNKNOWN
    if value > threshold.alert:
        return Level.ALERT
    if value > threshold.warn:
        return Level.WARNING
    return Level.OK


def worst(levels: list[Level]) -> Level:
    return max(levels, key=lambda level: level.rank, default=Level.UNKNOWN)
