"""The S03 thresholds: a warning level below an alert level per metric (a leaf: imports nothing of ours)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Threshold:
    """A warning level below an alert level; a value above ``alert`` is an alert."""

    warn: float
    alert: float


@dataclass(frozen=True)
class Thresholds:
    p99_latency_ms: Threshold = Threshold(700, 1000)
    error_rate_percent: Threshold = Threshold(0.5, 1)
    ecs_cpu_percent: Threshold = Threshold(70, 80)
    ecs_memory_percent: Threshold = Threshold(75, 85)
    rds_cpu_percent: Threshold = Threshold(70, 80)
    rds_storage_used_percent: Threshold = Threshold(80, 90)
    errors_last_hour: Threshold = Threshold(0, 10)
