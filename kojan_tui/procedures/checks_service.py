"""S01/S11/S29 service health (running == desired, the S01 verdict, every ALB target healthy) and the S28
rollback plan (the revision running now and the ACTIVE one it would roll back to)."""

from __future__ import annotations

from datetime import timedelta

from kojan_tui.core import metrics_catalog
from kojan_tui.core.readings import Staleness, TargetHealth, target_health
from kojan_tui.core.revisions import preselected, revision_rows
from kojan_tui.core.verdict import image_tag, service_verdict, task_definition_label
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check

HEALTH_WINDOW = timedelta(minutes=10)
HISTORY_REVISIONS = 10


async def _measured_health(ctx: CheckContext) -> TargetHealth:
    """The target group's newest HealthyHostCount / UnHealthyHostCount (one GetMetricData of the two series)."""
    now = ctx.clock()
    queries = [q for q in metrics_catalog.s03_queries(ctx.config.service, 60) if q.id in ("healthy_hosts", "unhealthy_hosts")]
    series = await ctx.gateway.get_metric_data(queries, now - HEALTH_WINDOW, now)
    return target_health(series, Staleness(now, 60, ctx.config.ui.stale_after_periods))


@check("ecs.service_healthy", "S01 service healthy: running == desired, ACTIVE, every target healthy")
async def service_healthy(ctx: CheckContext) -> CheckResult:
    settings = ctx.config.service
    state = ctx.state
    if state is not None and state.measured("service") and state.measured("metrics") and state.data.service is not None:
        service, health, source = state.data.service, state.view.health, "the dashboard's latest refresh"
    else:
        service = await ctx.gateway.describe_service(settings.cluster, settings.name)
        health, source = await _measured_health(ctx), "measured now"
    verdict = service_verdict(service, health)
    evidence = [
        f"{service.name}: status {service.status}, running {service.running} / desired {service.desired}, pending {service.pending}",
        f"task definition {task_definition_label(service.task_definition)}",
        health.text + (f" ({health.age_s:.0f} s old)" if health.age_s is not None else ""),
        f"source: {source}",
    ]
    if not verdict.healthy:
        return CheckResult(
            Verdict.FAIL if verdict.level.name == "ALERT" else Verdict.WARN, f"service {verdict.summary}", tuple(evidence)
        )
    if health.healthy is None:
        return CheckResult(
            Verdict.WARN,
            f"{service.running}/{service.desired} running, but target health has no current datapoint",
            tuple(evidence),
        )
    if health.unhealthy or health.healthy < service.desired:
        return CheckResult(
            Verdict.FAIL,
            f"{health.healthy:.0f} healthy targets, {health.unhealthy or 0:.0f} unhealthy, for {service.desired} desired tasks",
            tuple(evidence),
        )
    return CheckResult(
        Verdict.PASS,
        f"healthy: {service.running}/{service.desired} running, {health.healthy:.0f} healthy targets, none unhealthy",
        tuple(evidence),
    )


@check("ecs.rollback_plan", "S28 rollback plan: the revision running now and the one to roll back to")
async def rollback_plan(ctx: CheckContext) -> CheckResult:
    settings = ctx.config.service
    service = await ctx.gateway.describe_service(settings.cluster, settings.name)
    history = await ctx.gateway.task_definition_history(settings.task_family, limit=HISTORY_REVISIONS)
    rows = revision_rows(history, service)
    running = next((r for r in rows if r.running_now), None)
    running_text = f"{running.label} (image {running.image_tag})" if running else task_definition_label(service.task_definition)
    evidence = [f"running now: {running_text}"]
    evidence += [
        f"  {row.label}  {row.image_tag:<10} {row.task_definition.status:<8}"
        + (f" registered {row.task_definition.registered_at:%Y-%m-%d}" if row.task_definition.registered_at else "")
        + (f" — {row.why_not}" if row.why_not else "")
        for row in rows
    ]
    index = preselected(rows)
    target = rows[index] if index is not None else None
    if target is None or (running is not None and target.revision > running.revision):
        return CheckResult(
            Verdict.FAIL,
            f"no ACTIVE revision before {running_text} to roll back to: register one before deploying",
            tuple(evidence),
        )
    command = f"aws ecs update-service --cluster {settings.cluster} --service {settings.name} --task-definition {target.label}"
    evidence.append(f"rollback: {command}")
    return CheckResult(
        Verdict.PASS,
        f"running {running_text}; rollback to {target.label} (image {image_tag(target.task_definition)})",
        tuple(evidence),
        data={"running": running.label if running else None, "rollback_to": target.label},
    )
