"""S03/S29 "metrics normal": the six dashboard metrics within their thresholds, from the dashboard's published
state when the app has a measured one, else measured now with the dashboard's own queries (one GetMetricData)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from kojan_tui.core import metrics_catalog
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.levels import Level
from kojan_tui.core.readings import MetricReading, Staleness, compute_readings
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check

MEASURE_WINDOW = timedelta(minutes=15)
PERIOD_S = 60


async def measure_readings(
    ctx: CheckContext, start: datetime, end: datetime, *, period: int = PERIOD_S, aged: bool = True
) -> dict[str, MetricReading]:
    """The six S03 readings over [start, end]: one GetMetricData with the dashboard's queries, plus the DB
    instance for the storage percentage (without it, storage has no data rather than a wrong value)."""
    queries = metrics_catalog.s03_queries(ctx.config.service, period)
    series = await ctx.gateway.get_metric_data(queries, start, end)
    try:
        db = await ctx.gateway.describe_db_instance(ctx.config.service.db_instance)
    except AwsFailure:
        db = None
    staleness = Staleness(end, period, ctx.config.ui.stale_after_periods) if aged else None
    return compute_readings(series, db, ctx.config.thresholds, staleness)


def judge(readings: Mapping[str, MetricReading], source: str) -> CheckResult:
    """FAIL when any is above its alert level, WARN above a warning level or not measured, else PASS."""
    evidence = tuple(
        f"{r.level.name:<7} {r.spec.title}: {r.value_text} (warn > {r.threshold.warn:g}, alert > {r.threshold.alert:g})"
        for r in readings.values()
    ) + (f"source: {source}",)
    alerts = [r for r in readings.values() if r.level is Level.ALERT]
    warnings = [r for r in readings.values() if r.level is Level.WARNING]
    unknown = [r for r in readings.values() if r.level is Level.UNKNOWN]
    if alerts:
        return CheckResult(
            Verdict.FAIL, "above the alert level: " + ", ".join(f"{r.spec.title} {r.value_text}" for r in alerts), evidence
        )
    if unknown and len(unknown) == len(readings):
        return CheckResult(Verdict.UNAVAILABLE, "no metric has a current datapoint", evidence)
    if warnings or unknown:
        parts = [f"{r.spec.title} {r.value_text}" for r in warnings] + [f"{r.spec.title} not measured" for r in unknown]
        return CheckResult(Verdict.WARN, "not all normal: " + ", ".join(parts), evidence)
    return CheckResult(Verdict.PASS, f"all {len(readings)} metrics within their thresholds", evidence)


@check("metrics.within_thresholds", "S03 all six metrics within their thresholds")
async def within_thresholds(ctx: CheckContext) -> CheckResult:
    state = ctx.state
    if state is not None and state.measured("metrics"):
        return judge(state.view.readings, "the dashboard's latest refresh")
    now = ctx.clock()
    return judge(await measure_readings(ctx, now - MEASURE_WINDOW, now), "measured now (one GetMetricData)")
