"""The six S03 metric panels as readings: series maths (5XX rate, p99 in ms, storage used %) and levels.

Input is what one GetMetricData call returned (keyed by the catalogue's query ids) plus the DB instance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.levels import Level, level_for
from kojan_tui.core.models import DbInstance, MetricSeries
from kojan_tui.core.thresholds import Threshold, Thresholds

GIB = 1024**3


@dataclass(frozen=True)
class MetricSpec:
    key: str  # also the name of its field in ``Thresholds``
    title: str
    short: str  # for the compact layout
    unit: str
    action: str  # what the operations guide (S03) prescribes when it is breached
    decimals: int = 1


P99 = MetricSpec("p99_latency_ms", "ALB p99 latency", "p99", "ms", "check logs, check DB connection", 0)
ERROR_RATE = MetricSpec("error_rate_percent", "ALB 5XX rate", "5XX", "%", "check logs, debug", 2)
ECS_CPU = MetricSpec("ecs_cpu_percent", "ECS CPU", "ECS CPU", "%", "consider scaling")
ECS_MEMORY = MetricSpec("ecs_memory_percent", "ECS memory", "ECS mem", "%", "investigate a memory leak")
RDS_CPU = MetricSpec("rds_cpu_percent", "RDS CPU", "RDS CPU", "%", "optimise queries")
RDS_STORAGE = MetricSpec("rds_storage_used_percent", "RDS storage used", "RDS disk", "%", "expand storage")
ERRORS = MetricSpec("errors_last_hour", "ERROR lines, last hour", "errors/h", "", "read the errors: S04 summary, S05 Insights", 0)

METRIC_SPECS: tuple[MetricSpec, ...] = (P99, ERROR_RATE, ECS_CPU, ECS_MEMORY, RDS_CPU, RDS_STORAGE)


@dataclass(frozen=True)
class MetricReading:
    spec: MetricSpec
    threshold: Threshold
    timestamps: tuple[datetime, ...] = ()
    values: tuple[float, ...] = ()
    latest: float | None = None
    note: str = ""  # why there is no value ("no requests", "no data"...)

    @property
    def level(self) -> Level:
        return level_for(self.latest, self.threshold)

    @property
    def value_text(self) -> str:
        if self.latest is None:
            return self.note or "no data"
        unit = f" {self.spec.unit}" if self.spec.unit else ""
        return f"{self.latest:.{self.spec.decimals}f}{unit}"


def p99_ms(series: MetricSeries | None) -> tuple[tuple[datetime, ...], tuple[float, ...]]:
    """ALB publishes TargetResponseTime in seconds; the guide's threshold is in milliseconds."""
    if series is None:
        return (), ()
    return series.timestamps, tuple(v * 1000.0 for v in series.values)


def error_rate_percent(
    five_xx: MetricSeries | None, requests: MetricSeries | None
) -> tuple[tuple[datetime, ...], tuple[float, ...], float | None, str]:
    """5XX / requests × 100 per period, both ``Sum``. Returns (timestamps, values, latest, note).

    ALB publishes no 5XX datapoint for a period without 5XX, so a missing 5XX point counts as 0.
    A period with no requests has no rate (not a division error, not 0 %); when the newest period is
    such a period, the latest value is None with the note "no requests".
    """
    if requests is None or not requests.values:
        return (), (), None, "no data"
    errors = dict(zip(five_xx.timestamps, five_xx.values)) if five_xx else {}
    stamps: list[datetime] = []
    rates: list[float] = []
    for ts, count in zip(requests.timestamps, requests.values):
        if count > 0:
            stamps.append(ts)
            rates.append(100.0 * errors.get(ts, 0.0) / count)
    newest_requests = requests.values[-1]
    if newest_requests <= 0:
        return tuple(stamps), tuple(rates), None, "no requests"
    return tuple(stamps), tuple(rates), rates[-1], ""


def storage_used_percent(free: MetricSeries | None, db: DbInstance | None) -> tuple[tuple[datetime, ...], tuple[float, ...], str]:
    """Used % = 100 × (1 − free bytes / allocated bytes); needs the instance's allocated storage."""
    if free is None or not free.values:
        return (), (), "no data"
    if db is None or db.allocated_storage_gib <= 0:
        return (), (), "size unknown"
    allocated = db.allocated_storage_gib * GIB
    used = tuple(min(100.0, max(0.0, 100.0 * (1.0 - v / allocated))) for v in free.values)
    return free.timestamps, used, ""


def _plain(spec: MetricSpec, threshold: Threshold, series: MetricSeries | None) -> MetricReading:
    if series is None or not series.values:
        return MetricReading(spec, threshold, note="no data")
    return MetricReading(spec, threshold, series.timestamps, series.values, series.values[-1])


def compute_readings(
    metrics: Mapping[str, MetricSeries], db: DbInstance | None, thresholds: Thresholds
) -> dict[str, MetricReading]:
    """The six S03 readings, keyed by ``MetricSpec.key``, in display order."""
    th = lambda spec: getattr(thresholds, spec.key)  # noqa: E731
    readings: dict[str, MetricReading] = {}

    stamps, values = p99_ms(metrics.get(q.P99_LATENCY))
    readings[P99.key] = MetricReading(P99, th(P99), stamps, values, values[-1] if values else None, "" if values else "no data")

    stamps, values, latest, note = error_rate_percent(metrics.get(q.ALB_5XX), metrics.get(q.ALB_REQUESTS))
    readings[ERROR_RATE.key] = MetricReading(ERROR_RATE, th(ERROR_RATE), stamps, values, latest, note)

    readings[ECS_CPU.key] = _plain(ECS_CPU, th(ECS_CPU), metrics.get(q.ECS_CPU))
    readings[ECS_MEMORY.key] = _plain(ECS_MEMORY, th(ECS_MEMORY), metrics.get(q.ECS_MEMORY))
    readings[RDS_CPU.key] = _plain(RDS_CPU, th(RDS_CPU), metrics.get(q.RDS_CPU))

    stamps, values, note = storage_used_percent(metrics.get(q.RDS_FREE_STORAGE), db)
    readings[RDS_STORAGE.key] = MetricReading(RDS_STORAGE, th(RDS_STORAGE), stamps, values, values[-1] if values else None, note)
    return readings


def errors_reading(count: int | None, thresholds: Thresholds) -> MetricReading:
    """S02: the number of ERROR lines in the last hour, as a reading with its own threshold."""
    if count is None:
        return MetricReading(ERRORS, thresholds.errors_last_hour, note="no data")
    return MetricReading(ERRORS, thresholds.errors_last_hour, latest=float(count))
