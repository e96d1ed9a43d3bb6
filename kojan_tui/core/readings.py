"""The six S03 metric panels as readings: series maths (5XX rate, p99 in ms, storage used %), levels, age.

Input is what one GetMetricData call returned (keyed by the catalogue's query ids) plus the DB instance.
A reading whose newest datapoint is older than the configured number of periods is stale: NO DATA.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.i18n import N_, Phrase, tr
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


# Titles, short labels and actions are English message ids: shown through ``tr`` (the S03 actions in the guide's words).
P99 = MetricSpec("p99_latency_ms", N_("ALB p99 latency"), "p99", "ms", N_("check logs, check DB connection"), 0)
ERROR_RATE = MetricSpec("error_rate_percent", N_("ALB 5XX rate"), "5XX", "%", N_("check logs, debug"), 2)
ECS_CPU = MetricSpec("ecs_cpu_percent", N_("ECS CPU"), "ECS CPU", "%", N_("consider scaling"))
ECS_MEMORY = MetricSpec("ecs_memory_percent", N_("ECS memory"), N_("ECS mem"), "%", N_("investigate a memory leak"))
RDS_CPU = MetricSpec("rds_cpu_percent", N_("RDS CPU"), "RDS CPU", "%", N_("optimise queries"))
RDS_STORAGE = MetricSpec("rds_storage_used_percent", N_("RDS storage used"), N_("RDS disk"), "%", N_("expand storage"))
ERRORS = MetricSpec(
    "errors_last_hour", N_("ERROR lines, last hour"), N_("errors/h"), "", N_("read the errors: S04 summary, S05 Insights"), 0
)

METRIC_SPECS: tuple[MetricSpec, ...] = (P99, ERROR_RATE, ECS_CPU, ECS_MEMORY, RDS_CPU, RDS_STORAGE)


@dataclass(frozen=True)
class MetricReading:
    spec: MetricSpec
    threshold: Threshold
    timestamps: tuple[datetime, ...] = ()
    values: tuple[float, ...] = ()
    latest: float | None = None  # the newest datapoint's value, however old
    note: str = ""  # why there is no value ("no requests", "no data"...)
    detail: str = ""  # a second line: the 5XX rate's two parts
    elb_5xx: float = 0.0  # the 5XX rate only: the newest period's HTTPCode_ELB_5XX_Count (the ALB's own answers)
    age_s: float | None = None  # seconds since the newest datapoint's period began; None when unknown
    stale: bool = False  # that datapoint is older than the configured number of periods: shown with its age, NO DATA
    partial: str = ""  # AWS said the answer is not whole ("partial answer", "denied"…): not current either
    lower_bound: bool = False  # a count that stopped at its page limit: at least this many

    @property
    def current(self) -> float | None:
        """The value to judge by: the newest datapoint unless it is stale or partial (never shown as current)."""
        return None if self.stale or self.partial else self.latest

    @property
    def level(self) -> Level:
        level = level_for(self.current, self.threshold)
        if self.lower_bound and level is Level.OK:
            return Level.UNKNOWN  # "at least N" under the warning level says nothing: never ✓ OK
        return level

    @property
    def value_text(self) -> str:
        return self.value_in("en")

    def value_in(self, language: str) -> str:
        """The value with its unit, or why there is none, in ``language``."""
        if self.latest is None:
            return tr(self.note or "no data", language)
        unit = f" {self.spec.unit}" if self.spec.unit else ""
        text = f"{self.latest:.{self.spec.decimals}f}{unit}"
        if self.lower_bound:
            return tr("≥ {value} (incomplete)", language).format(value=text)
        if self.partial:
            return f"{text} · {tr(self.partial, language)}"
        if not self.stale:
            return text
        return f"{text} · {ago_text(self.age_s, language) if self.age_s is not None else tr('not current', language)}"


def ago_text(seconds: float, language: str = "en") -> str:
    """``45 s ago``, ``12 min ago``, ``3 h ago`` (``45秒前``…)."""
    seconds = int(max(0.0, seconds))
    if seconds < 120:
        return tr("{n} s ago", language).format(n=seconds)
    if seconds < 7200:
        return tr("{n} min ago", language).format(n=seconds // 60)
    return tr("{n} h ago", language).format(n=seconds // 3600)


@dataclass(frozen=True)
class Staleness:
    """When a reading is judged (``now``), its period, and how many periods old its newest point may be."""

    now: datetime
    period_s: int = 60
    after_periods: int = 3

    def age_s(self, newest: datetime) -> float:
        return max(0.0, (self.now - newest).total_seconds())

    def is_stale(self, newest: datetime) -> bool:
        return self.age_s(newest) > self.after_periods * self.period_s

    def complete(self, start: datetime) -> bool:
        """A period is complete once its end has passed."""
        return start + timedelta(seconds=self.period_s) <= self.now


def aged(reading: MetricReading, staleness: Staleness | None) -> MetricReading:
    """``reading`` with the age of its newest datapoint, stale past the configured number of periods."""
    if staleness is None or not reading.timestamps:
        return reading
    newest = reading.timestamps[-1]
    return replace(reading, age_s=staleness.age_s(newest), stale=staleness.is_stale(newest))


def p99_ms(series: MetricSeries | None) -> tuple[tuple[datetime, ...], tuple[float, ...]]:
    """ALB publishes TargetResponseTime in seconds; the guide's threshold is in milliseconds."""
    if series is None:
        return (), ()
    return series.timestamps, tuple(v * 1000.0 for v in series.values)


@dataclass(frozen=True)
class ErrorRate:
    """Per period: (target 5XX + ELB 5XX) / (RequestCount + ELB 5XX) × 100, and the newest period's parts."""

    timestamps: tuple[datetime, ...] = ()
    values: tuple[float, ...] = ()
    latest: float | None = None
    note: str = ""
    target_5xx: float = 0.0  # the newest period's counts
    elb_5xx: float = 0.0
    requests: float = 0.0  # RequestCount: only the requests for which a target was chosen

    @property
    def detail(self) -> str:
        """``target 0.00 % · LB 100.00 %``: the two parts of the newest rate (the targets' 5XX, the load balancer's own)."""
        total = self.requests + self.elb_5xx
        if self.latest is None or total <= 0:
            return ""
        t, e = 100.0 * self.target_5xx / total, 100.0 * self.elb_5xx / total
        return Phrase(N_("target {t} % · LB {e} %"), t=f"{t:.2f}", e=f"{e:.2f}")


def error_rate(target_5xx: MetricSeries | None, requests: MetricSeries | None, elb_5xx: MetricSeries | None = None) -> ErrorRate:
    """Every failed request over every request, per period (all ``Sum``).

    ``RequestCount`` leaves out the requests the load balancer answered itself (503 when no target is
    healthy), which ``HTTPCode_ELB_5XX_Count`` counts: they are added to both sides, so a period with
    no targeted request but ELB 5XX is 100 %, not "no requests". ALB publishes no datapoint for a count
    that is zero, so a missing point counts as 0. A period with neither has no rate (not 0 %); when
    the newest period is such a period, the latest value is None with the note "no requests".
    """
    req = dict(zip(requests.timestamps, requests.values)) if requests else {}
    elb = dict(zip(elb_5xx.timestamps, elb_5xx.values)) if elb_5xx else {}
    if not req and not elb:
        return ErrorRate(note=N_("no data"))
    target = dict(zip(target_5xx.timestamps, target_5xx.values)) if target_5xx else {}
    stamps: list[datetime] = []
    rates: list[float] = []
    periods = sorted(set(req) | set(elb))
    for ts in periods:
        total = req.get(ts, 0.0) + elb.get(ts, 0.0)
        if total > 0:
            stamps.append(ts)
            rates.append(min(100.0, 100.0 * (target.get(ts, 0.0) + elb.get(ts, 0.0)) / total))  # never above 100 %
    newest = periods[-1]
    parts = {"target_5xx": target.get(newest, 0.0), "elb_5xx": elb.get(newest, 0.0), "requests": req.get(newest, 0.0)}
    if parts["requests"] + parts["elb_5xx"] <= 0:
        return ErrorRate(tuple(stamps), tuple(rates), None, N_("no requests"), **parts)
    return ErrorRate(tuple(stamps), tuple(rates), rates[-1], "", **parts)


def error_rate_percent(
    five_xx: MetricSeries | None, requests: MetricSeries | None, elb_5xx: MetricSeries | None = None
) -> tuple[tuple[datetime, ...], tuple[float, ...], float | None, str]:
    """``error_rate`` as (timestamps, values, latest, note)."""
    rate = error_rate(five_xx, requests, elb_5xx)
    return rate.timestamps, rate.values, rate.latest, rate.note


def storage_used_percent(free: MetricSeries | None, db: DbInstance | None) -> tuple[tuple[datetime, ...], tuple[float, ...], str]:
    """Used % = 100 × (1 − free bytes / allocated bytes); needs the instance's allocated storage."""
    if free is None or not free.values:
        return (), (), N_("no data")
    if db is None or db.allocated_storage_gib <= 0:
        return (), (), N_("size unknown")
    allocated = db.allocated_storage_gib * GIB
    used = tuple(min(100.0, max(0.0, 100.0 * (1.0 - v / allocated))) for v in free.values)
    return free.timestamps, used, ""


def _plain(spec: MetricSpec, threshold: Threshold, series: MetricSeries | None) -> MetricReading:
    if series is None or not series.values:
        return MetricReading(spec, threshold, note=N_("no data"))
    return MetricReading(spec, threshold, series.timestamps, series.values, series.values[-1])


def compute_readings(
    metrics: Mapping[str, MetricSeries],
    db: DbInstance | None,
    thresholds: Thresholds,
    staleness: Staleness | None = None,
) -> dict[str, MetricReading]:
    """The six S03 readings, keyed by ``MetricSpec.key``, in display order, aged when ``staleness`` is given."""
    th = lambda spec: getattr(thresholds, spec.key)  # noqa: E731
    readings: dict[str, MetricReading] = {}

    stamps, values = p99_ms(metrics.get(q.P99_LATENCY))
    readings[P99.key] = MetricReading(
        P99, th(P99), stamps, values, values[-1] if values else None, "" if values else N_("no data")
    )

    rate = error_rate(metrics.get(q.ALB_5XX), metrics.get(q.ALB_REQUESTS), metrics.get(q.ELB_5XX))
    readings[ERROR_RATE.key] = MetricReading(
        ERROR_RATE, th(ERROR_RATE), rate.timestamps, rate.values, rate.latest, rate.note, rate.detail, rate.elb_5xx
    )

    readings[ECS_CPU.key] = _plain(ECS_CPU, th(ECS_CPU), metrics.get(q.ECS_CPU))
    readings[ECS_MEMORY.key] = _plain(ECS_MEMORY, th(ECS_MEMORY), metrics.get(q.ECS_MEMORY))
    readings[RDS_CPU.key] = _plain(RDS_CPU, th(RDS_CPU), metrics.get(q.RDS_CPU))

    stamps, values, note = storage_used_percent(metrics.get(q.RDS_FREE_STORAGE), db)
    readings[RDS_STORAGE.key] = MetricReading(RDS_STORAGE, th(RDS_STORAGE), stamps, values, values[-1] if values else None, note)
    readings = {key: marked_partial(aged(reading, staleness), metrics) for key, reading in readings.items()}
    readings[P99.key] = unanswered_latency(readings[P99.key], readings[ERROR_RATE.key])
    return readings


SERIES_OF: dict[str, tuple[str, ...]] = {
    P99.key: (q.P99_LATENCY,),
    ERROR_RATE.key: (q.ALB_5XX, q.ALB_REQUESTS, q.ELB_5XX),
    ECS_CPU.key: (q.ECS_CPU,),
    ECS_MEMORY.key: (q.ECS_MEMORY,),
    RDS_CPU.key: (q.RDS_CPU,),
    RDS_STORAGE.key: (q.RDS_FREE_STORAGE,),
}
PARTIAL_WORDS = {"PartialData": N_("partial answer"), "Forbidden": N_("denied"), "InternalError": N_("AWS internal error")}


def marked_partial(reading: MetricReading, metrics: Mapping[str, MetricSeries]) -> MetricReading:
    """A reading built from a series AWS did not answer whole (GetMetricData's per-series StatusCode, or a
    paged answer cut at the page limit) says so, and its old points are not taken as current."""
    for query_id in SERIES_OF.get(reading.spec.key, ()):
        series = metrics.get(query_id)
        if series is not None and series.status != "Complete":
            return replace(reading, partial=PARTIAL_WORDS.get(series.status, series.status))
    return reading


def unanswered_latency(p99: MetricReading, rate: MetricReading) -> MetricReading:
    """The p99 is not current when a newer period has the load balancer answering 5XX and no latency point:
    no target answered then, so the last latency is from before (shown with its age, NO DATA)."""
    if p99.stale or p99.latest is None or rate.current is None or rate.elb_5xx <= 0:
        return p99
    if p99.timestamps[-1] >= rate.timestamps[-1]:
        return p99
    return replace(p99, stale=True, age_s=p99.age_s, note=N_("no target answered"))


@dataclass(frozen=True)
class TargetHealth:
    """The target group's newest HealthyHostCount / UnHealthyHostCount (None: no current datapoint)."""

    healthy: float | None = None
    unhealthy: float | None = None
    age_s: float | None = None

    @property
    def none_healthy(self) -> bool:
        return self.healthy is not None and self.healthy <= 0

    @property
    def text(self) -> str:
        return self.text_in("en")

    def text_in(self, language: str) -> str:
        if self.healthy is None:
            return tr("targets ? (no current datapoint)", language)
        unhealthy = tr(", {n} unhealthy", language).format(n=f"{self.unhealthy:.0f}") if self.unhealthy else ""
        return tr("targets {n} healthy{unhealthy}", language).format(n=f"{self.healthy:.0f}", unhealthy=unhealthy)

    def text_beside(self, running: int | None, language: str = "en") -> str:
        """``text`` next to ECS's running count: with its age when it counts more healthy targets than tasks
        run now and is a minute or more old (a minute's datapoint, older than ECS's answer: history, say so)."""
        older = self.age_s is not None and self.age_s >= 60
        if older and running is not None and self.healthy is not None and self.healthy > running:
            return f"{self.text_in(language)} · {ago_text(self.age_s, language)}"
        return self.text_in(language)


def target_health(metrics: Mapping[str, MetricSeries], staleness: Staleness | None = None) -> TargetHealth:
    healthy, unhealthy = metrics.get(q.HEALTHY_HOSTS), metrics.get(q.UNHEALTHY_HOSTS)
    if healthy is None or not healthy.values:
        return TargetHealth()
    newest = healthy.timestamps[-1]
    if staleness is not None and staleness.is_stale(newest):
        return TargetHealth(age_s=staleness.age_s(newest))
    same_period = unhealthy is not None and unhealthy.timestamps and unhealthy.timestamps[-1] == newest
    return TargetHealth(
        healthy.values[-1],
        unhealthy.values[-1] if same_period and unhealthy else 0.0,
        staleness.age_s(newest) if staleness else None,
    )


def errors_reading(count: int | None, thresholds: Thresholds, *, complete: bool = True) -> MetricReading:
    """S02: the number of ERROR lines in the last hour, as a reading with its own threshold.

    An incomplete count (the scan stopped at its page limit) is a lower bound: ``≥ N (incomplete)``, an
    alert or warning when N already is one, never ``✓ OK``."""
    if count is None:
        return MetricReading(ERRORS, thresholds.errors_last_hour, note=N_("no data"))
    return MetricReading(ERRORS, thresholds.errors_last_hour, latest=float(count), lower_bound=not complete)
