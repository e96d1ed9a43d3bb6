"""The runbooks' actions: S09 force a new deployment, S10 turn the slow query log on. Each plans first (what
the confirmation shows) and executes only through its ``MutationLifecycle``: S09 is refused while a rollout
is watched, and is itself watched and verified (S29) like the palette's forced deployment.
"""

from __future__ import annotations

from kojan_tui.actions.audited import DeployRequest, ParameterChangeRequest
from kojan_tui.procedures.actions import ActionContext, ActionPlan, ActionResult, action, requested_plan, until_final
from kojan_tui.procedures.checks_performance import SLOW_QUERY_PARAMETER


async def plan_force_deployment(ctx: ActionContext) -> ActionPlan:
    service = ctx.config.service
    snapshot = await ctx.gateway.describe_service(service.cluster, service.name)
    request = DeployRequest(
        service.cluster,
        service.name,
        action="force-new-deployment",
        force_new_deployment=True,
        before_task_definition=snapshot.task_definition,
        before_deployment=snapshot.primary.id if snapshot.primary else None,
    )
    return await requested_plan(
        ctx, f"Force a new deployment of {service.name} (same revision, new tasks)", request, phrase=service.name
    )


async def execute_force_deployment(ctx: ActionContext, plan: ActionPlan) -> ActionResult:
    lifecycle = plan.payload
    outcome = await lifecycle.send()
    summary = f"force new deployment: {outcome.summary}"
    if not outcome.done and not outcome.unknown:
        return ActionResult(False, summary, ctx.clock())
    follow = lambda: until_final(lifecycle, lambda final: final in ("verified", "succeeded", "resolved: done"), ctx.clock)  # noqa: E731
    return ActionResult(outcome.done, summary, ctx.clock(), follow=follow)


async def plan_slow_query_log(ctx: ActionContext) -> ActionPlan:
    db = await ctx.gateway.describe_db_instance(ctx.config.service.db_instance)
    if not db.parameter_groups:
        raise LookupError(f"{db.identifier} has no DB parameter group")
    group = db.parameter_groups[0]
    before = (await ctx.gateway.describe_db_parameter(group, SLOW_QUERY_PARAMETER)).value
    request = ParameterChangeRequest(group, SLOW_QUERY_PARAMETER, "1", action="enable-slow-query-log", before=before)
    return await requested_plan(ctx, f"Turn slow_query_log on in {group} (now {before})", request, phrase=group)


async def execute_slow_query_log(ctx: ActionContext, plan: ActionPlan) -> ActionResult:
    lifecycle = plan.payload
    outcome = await lifecycle.send()
    summary = f"slow_query_log: {outcome.summary}"
    if outcome.unknown:  # still being read back: the step waits for the lifecycle's final record
        follow = lambda: until_final(lifecycle, lambda final: final in ("succeeded", "resolved: done"), ctx.clock)  # noqa: E731
        return ActionResult(False, summary, ctx.clock(), follow=follow)
    return ActionResult(outcome.done, summary, ctx.clock())


FORCE_NEW_DEPLOYMENT = action(
    "ecs.force_new_deployment", "Force a new deployment", plan_force_deployment, execute_force_deployment
)
ENABLE_SLOW_QUERY_LOG = action(
    "rds.enable_slow_query_log", "Turn the slow query log on", plan_slow_query_log, execute_slow_query_log
)
