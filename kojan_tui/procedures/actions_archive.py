"""S27 start of month: archive last month's logs (CreateExportTask of the UTC month to ``[checklists]
archive_bucket``), only through ``AuditedActions``, then watched until the export completes."""

from __future__ import annotations

import asyncio
import time

from kojan_tui.actions.audited import ExportRequest
from kojan_tui.core.archive import archive_prefix, last_month, month_label
from kojan_tui.core.errors import AwsFailure
from kojan_tui.procedures.actions import ActionContext, ActionPlan, ActionResult, action, requested_plan

WATCH_TIMEOUT_S = 6 * 3600.0  # a month of logs can take a while; the watch gives up (audited) after this


def export_request(ctx: ActionContext) -> ExportRequest:
    start, end = last_month(ctx.clock())
    group = ctx.config.service.log_group
    return ExportRequest(
        log_group=group,
        bucket=ctx.config.checklists.archive_bucket,
        prefix=archive_prefix(group, start),
        from_ms=int(start.timestamp() * 1000),
        to_ms=int(end.timestamp() * 1000) - 1,  # ``to`` is included: the last millisecond of the month
        task_name=f"kojan-tui-archive-{month_label(start)}",
    )


async def plan_archive(ctx: ActionContext) -> ActionPlan:
    request = export_request(ctx)
    start, _ = last_month(ctx.clock())
    title = f"Export {month_label(start)} of {request.log_group} (UTC month) to s3://{request.bucket}/{request.prefix}"
    return await requested_plan(ctx, title, request, phrase=request.bucket)


async def watch_export(
    ctx: ActionContext,
    request: ExportRequest,
    task_id: str,
    *,
    interval_s: float | None = None,
    timeout_s: float = WATCH_TIMEOUT_S,
) -> ActionResult:
    """Poll DescribeExportTasks until the task is COMPLETED / FAILED / CANCELLED (or the watch times out);
    the end is recorded in the audit trail."""
    interval = interval_s if interval_s is not None else ctx.config.actions.watch_seconds
    deadline = time.monotonic() + timeout_s
    status, message = "UNKNOWN", ""
    while True:
        try:
            task = await ctx.gateway.describe_export_task(task_id)
            status, message = task.status, task.message
            if task.done:
                break
        except AwsFailure as failure:  # one failed poll is not the export failing: ask again
            message = str(failure)
        if time.monotonic() + interval > deadline:
            status = f"{status} (watch timed out)"
            break
        await asyncio.sleep(interval)
    await ctx.actions.export_finished(request, task_id, status, message)
    return ActionResult(status == "COMPLETED", f"export {task_id} {status}" + (f": {message}" if message else ""), ctx.clock())


async def execute_archive(ctx: ActionContext, plan: ActionPlan) -> ActionResult:
    outcome = await ctx.actions.export_logs(plan.payload)
    if not outcome.done or outcome.task_id is None:
        return ActionResult(False, f"archive: {outcome.summary}", ctx.clock())
    task_id = outcome.task_id
    return ActionResult(True, f"archive: {outcome.summary}", ctx.clock(), follow=lambda: watch_export(ctx, plan.payload, task_id))


ARCHIVE_LAST_MONTH = action("logs.archive_last_month", "Archive last month's logs", plan_archive, execute_archive)
