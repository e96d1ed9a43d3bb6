"""What the dashboard shows, computed from the sources' latest data: readings, verdict, S25, alert inputs.

``DashboardData`` is the newest good result of each source (frozen: a delivery makes a new one);
``build_view`` is pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from kojan_tui.core import i18n, metrics_catalog
from kojan_tui.core.alerts import AlertInput
from kojan_tui.core.config import Config
from kojan_tui.core.deploy_suspect import SuspectDeployment, suspect_deployment
from kojan_tui.core.forecast import Forecast, forecasts
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.levels import Level
from kojan_tui.core.models import CallerIdentity, DbInstance, MetricSeries, ScalingActivity, ServiceSnapshot, TaskDefinition
from kojan_tui.core.readings import (
    ECS_CPU,
    ECS_MEMORY,
    MetricReading,
    Staleness,
    TargetHealth,
    compute_readings,
    errors_reading,
    target_health,
)
from kojan_tui.core.rollback_rules import RollbackReason, rollback_reasons
from kojan_tui.core.slo import SloStatus, slo_status
from kojan_tui.core.task_stops import StopCounts
from kojan_tui.core.verdict import ServiceVerdict, service_verdict

SERVICE_ACTION = N_("read the service events and deployments (S01, S16)")


@dataclass(frozen=True)
class DashboardData:
    identity: CallerIdentity | None = None
    service: ServiceSnapshot | None = None
    task_definition: TaskDefinition | None = None
    metrics: Mapping[str, MetricSeries] = field(default_factory=dict)
    metrics_period: int = 60
    db_instance: DbInstance | None = None
    errors_last_hour: int | None = None
    errors_complete: bool = True  # False: the hourly count stopped at its page limit (a lower bound)
    db_connection_errors: int | None = None
    scaling_activities: tuple[ScalingActivity, ...] | None = None  # S16, newest first; None: not measured yet
    slo_recent: Mapping[str, MetricSeries] = field(default_factory=dict)  # 6 h: the SLO's series, ECS CPU/memory
    slo_long: Mapping[str, MetricSeries] | None = None  # the budget's window at 1-hour periods; None: not fetched yet
    slo_long_at: datetime | None = None  # when that was asked
    task_stops: StopCounts | None = None  # S08/S09: tasks stopped in the last hour by cause (once a minute); None: not yet


@dataclass(frozen=True)
class DashboardView:
    readings: dict[str, MetricReading]  # the six S03 metrics, display order
    errors: MetricReading  # S02
    verdict: ServiceVerdict  # S01
    rollback: tuple[RollbackReason, ...]  # S25; empty when none holds
    health: TargetHealth = field(default_factory=TargetHealth)  # the target group's healthy/unhealthy hosts
    suspect: SuspectDeployment | None = None  # a metric that breached only after the newest deployment (→ S26)
    forecasts: dict[str, Forecast] = field(default_factory=dict)  # memory and storage: when they reach their alert level
    language: str = "en"  # of the alert items' words (titles, values, actions, forecasts)
    slo: SloStatus | None = None  # the availability SLO; None before any ALB series arrived

    def alert_inputs(self) -> list[AlertInput]:
        say = self.language
        items = [
            AlertInput(r.spec.key, tr(r.spec.title, say), r.level, r.value_in(say), tr(r.spec.action, say))
            for r in (*self.readings.values(), self.errors)
        ]
        for key, forecast in self.forecasts.items():  # a warning of its own: never in place of the reading's level
            if (item := forecast.alert_input(self.readings[key], self.language)) is not None:
                items.append(item)
        verdict_text = "; ".join(self.verdict.reasons) or self.verdict.summary
        items.append(AlertInput("service", tr("ECS service", say), self.verdict.level, verdict_text, tr(SERVICE_ACTION, say)))
        if self.slo is not None and self.slo.level is not Level.UNKNOWN:  # measured: its burn-rate alerts
            items.append(slo_alert(self.slo, say))
        return items


TASK_METRICS = (ECS_CPU.key, ECS_MEMORY.key)  # published by running tasks only


def without_tasks(readings: dict[str, MetricReading], service: ServiceSnapshot | None) -> dict[str, MetricReading]:
    """With no task running, ECS publishes no CPU or memory datapoint: the last one (from before the tasks
    stopped) is not a current value, so those panels say NO DATA, never "39 % ✓ OK"."""
    if service is None or service.running > 0:
        return readings
    return {
        key: replace(reading, partial=N_("no task running")) if key in TASK_METRICS and reading.latest is not None else reading
        for key, reading in readings.items()
    }


def build_view(data: DashboardData, config: Config, now: datetime | None = None) -> DashboardView:
    """The view at ``now`` (None: no ageing, every datapoint is taken as current)."""
    staleness = Staleness(now, data.metrics_period, config.ui.stale_after_periods) if now is not None else None
    readings = without_tasks(compute_readings(data.metrics, data.db_instance, config.thresholds, staleness), data.service)
    health = target_health(data.metrics, staleness)
    reasons = rollback_reasons(
        readings,
        data.db_instance,
        data.db_connection_errors,
        config.rollback,
        data.metrics_period,
        service=data.service,
        health=health,
        staleness=staleness,
    )
    return DashboardView(
        readings=readings,
        errors=errors_reading(data.errors_last_hour, config.thresholds, complete=data.errors_complete),
        verdict=service_verdict(data.service, health),
        rollback=tuple(reasons),
        health=health,
        suspect=suspect_deployment(readings.values(), data.service, now, data.metrics_period),
        forecasts=forecasts(readings, now, config.forecast.warn_within_hours),
        language=config.ui.language,
        slo=_slo(data, config, now),
    )


SLO_ACTION = N_("error budget burning: read the 5XX (S02, S04) and the newest deployment (S26)")


def slo_alert(slo: SloStatus, language: str = "en") -> AlertInput:
    burn = tr("{rule} burn {long}/{short} > {factor}", language)
    firing = ", ".join(
        burn.format(rule=b.rule.name, long=f"{b.long_rate:.1f}", short=f"{b.short_rate:.1f}", factor=f"{b.rule.factor:g}")
        for b in slo.firing
    )
    overspent = slo.budget_remaining is not None and slo.budget_remaining < 0
    text = firing or (
        tr("error budget overspent ({left} % left)", language).format(left=f"{100 * slo.budget_remaining:.1f}")
        if overspent
        else tr("no burn-rate rule fires", language)
    )
    return AlertInput("slo", f"SLO {slo.objective_percent:g} %", slo.level, text, tr(SLO_ACTION, language))


def _slo(data: DashboardData, config: Config, now: datetime | None) -> SloStatus | None:
    """At ``now`` (None, a replay: at the newest ALB period); None before any ALB series arrived."""
    requests = data.slo_recent.get(metrics_catalog.ALB_REQUESTS)
    if requests is None:
        return None
    end = now or (requests.timestamps[-1] if requests.timestamps else None)
    if end is None:
        return None
    return slo_status(
        data.slo_recent,
        data.slo_long,
        end,
        objective_percent=config.slo.availability,
        window=timedelta(days=config.slo.window_days),
        latency_ms=config.slo.latency_p99_ms,
        long_fetched_at=data.slo_long_at,
    )


def no_data_text(view: DashboardView, failing_reasons: Sequence[str], waiting: bool) -> str:
    """Why the alert bar cannot say OK ("" when every item is measured and current): unknown is not OK.

    ``failing_reasons``: why sources are stale (their newest poll failed, or one is overdue: ``waiting for
    AWS``; the first one is shown); ``waiting``: some source has not finished its first poll yet. A stale source whose
    items still hold their last levels is said too: "OK" from before AWS stopped answering is history.
    """
    items = view.alert_inputs()
    missing = [i.title for i in items if i.level is Level.UNKNOWN]
    say = view.language
    if not missing:
        return (
            tr("{why} (the levels shown are the last measured)", say).format(why=i18n.say(failing_reasons[0], say))
            if failing_reasons
            else ""
        )
    why = (
        i18n.say(failing_reasons[0], say)
        if failing_reasons
        else tr("first poll running", say)
        if waiting
        else tr("no current datapoint", say)
    )
    return why if len(missing) == len(items) else f"{why}: {', '.join(missing)}"
