"""S29 "30 minutes of stable running": a timer that starts when its item is first checked (the run keeps that
check's time, so a restart continues it) and passes only when ``[checklists] stability_minutes`` went by with
no threshold breached: no alert fired while the app watched (recorded on the run by ``StabilityWatch``) and
no S03 datapoint above its alert level in CloudWatch's history of the window (which also covers the time the
app was not running).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check
from kojan_tui.procedures.checks_metrics import measure_readings

STABILITY_CHECK = "deploy.stability"
ALERT_RECORD = "alert"  # the record type StabilityWatch writes for an alert fired while a timer runs
PERIOD_S = 60


@dataclass(frozen=True)
class Breach:
    at: datetime
    text: str


def timer_start(run, step_id: str | None) -> datetime | None:
    """When the step's timer started: its first check in the run (None: never checked)."""
    if run is None or step_id is None:
        return None
    return next((r.at for r in run.records if r.step_id == step_id and r.type == "check"), None)


def recorded_breaches(run, step_id: str | None, since: datetime) -> list[Breach]:
    if run is None or step_id is None:
        return []
    return [Breach(r.at, r.summary) for r in run.records if r.step_id == step_id and r.type == ALERT_RECORD and r.at >= since]


def history_breaches(readings, since: datetime) -> list[Breach]:
    """Datapoints above their alert level in periods that began at or after the timer's minute."""
    floor = since.replace(second=0, microsecond=0)
    found = []
    for reading in readings.values():
        for stamp, value in zip(reading.timestamps, reading.values, strict=False):
            if stamp >= floor and value > reading.threshold.alert:
                unit = f" {reading.spec.unit}" if reading.spec.unit else ""
                found.append(
                    Breach(stamp, f"{reading.spec.title} {value:.{reading.spec.decimals}f}{unit} > {reading.threshold.alert:g}")
                )
                break  # the first breach of each metric is enough evidence
    return sorted(found, key=lambda b: b.at)


def _clock(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    return f"{seconds // 60}:{seconds % 60:02d}"


@check(STABILITY_CHECK, "S29 stable running: no threshold breached for the configured minutes")
async def stability(ctx: CheckContext) -> CheckResult:
    now = ctx.clock()
    minutes = ctx.config.checklists.stability_minutes
    length = timedelta(minutes=minutes)
    start = timer_start(ctx.run, ctx.step_id) or now
    elapsed = now - start
    ends = start + length
    data = {"started_at": start, "ends_at": ends}
    breaches = recorded_breaches(ctx.run, ctx.step_id, start)
    if elapsed > timedelta(0):
        readings = await measure_readings(ctx, start - timedelta(seconds=PERIOD_S), min(now, ends), aged=False)
        breaches += history_breaches(readings, start)
    evidence = (
        f"timer started {start:%Y-%m-%d %H:%M:%S} UTC, {minutes:g} min, ends {ends:%H:%M:%S} UTC",
        *(f"breach at {b.at:%H:%M:%S} UTC: {b.text}" for b in breaches),
    )
    if breaches:
        first = min(breaches, key=lambda b: b.at)
        return CheckResult(Verdict.FAIL, f"not stable: {first.text} at {first.at:%H:%M:%S} UTC", evidence, data=data)
    if elapsed < length:
        return CheckResult(
            Verdict.WARN,
            f"timer running: {_clock(elapsed)} of {_clock(length)}, no threshold breached so far",
            evidence,
            data=data,
        )
    return CheckResult(
        Verdict.PASS, f"stable for {minutes:g} min since {start:%H:%M:%S} UTC: no threshold breached", evidence, data=data
    )
