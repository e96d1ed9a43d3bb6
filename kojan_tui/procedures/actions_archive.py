"""S27 start of month: archive last month's logs (CreateExportTask of the UTC month to ``[checklists]
archive_bucket``), only through its ``MutationLifecycle``, which watches it until the export ends."""

from __future__ import annotations

from kojan_tui.actions.audited import ExportRequest
from kojan_tui.actions.lifecycle import MutationLifecycle
from kojan_tui.core.archive import archive_prefix, last_month, month_label
from kojan_tui.procedures.actions import ActionContext, ActionPlan, ActionResult, action, requested_plan


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


async def execute_archive(ctx: ActionContext, plan: ActionPlan) -> ActionResult:
    """Start the export through its lifecycle, which then watches it to its end (leaving the checklist
    screen does not stop that watch: it belongs to the app's ``Lifecycles``)."""
    lifecycle = plan.payload
    outcome = await lifecycle.send()
    summary = f"archive: {outcome.summary}"
    if not outcome.done and not outcome.unknown:
        return ActionResult(False, summary, ctx.clock())
    return ActionResult(outcome.done, summary, ctx.clock(), follow=lambda: _export_end(ctx, lifecycle))


async def _export_end(ctx: ActionContext, lifecycle: MutationLifecycle) -> ActionResult:
    final = await lifecycle.wait()
    task_id = lifecycle.record.watch.get("task_id", "?")
    watch = lifecycle.export_watch
    if watch is not None and watch.done() and not watch.cancelled() and watch.exception() is None:
        status, message = watch.result()
        return ActionResult(
            status == "COMPLETED", f"export {task_id} {status}" + (f": {message}" if message else ""), ctx.clock()
        )
    return ActionResult(final == "export completed", f"export {task_id}: {final}", ctx.clock())


ARCHIVE_LAST_MONTH = action("logs.archive_last_month", "Archive last month's logs", plan_archive, execute_archive)
