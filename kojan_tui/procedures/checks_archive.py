"""S27 start of month: was last month's log group exported to the archive bucket (DescribeExportTasks)?"""

from __future__ import annotations

from datetime import UTC, datetime

from kojan_tui.core.archive import ExportTask, last_month, month_label
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check


def last_month_tasks(tasks: list[ExportTask], log_group: str, bucket: str, now: datetime) -> list[ExportTask]:
    """The export tasks of ``log_group`` to ``bucket`` covering last month, newest first."""
    start, end = last_month(now)
    matching = [t for t in tasks if t.log_group == log_group and t.destination == bucket and t.covers(start, end)]
    return sorted(matching, key=lambda t: t.created_at or datetime.min.replace(tzinfo=UTC), reverse=True)


@check("logs.archive_last_month", "S27 last month's logs archived to the archive bucket")
async def archive_last_month(ctx: CheckContext) -> CheckResult:
    now = ctx.clock()
    start, _ = last_month(now)
    month = month_label(start)
    group, bucket = ctx.config.service.log_group, ctx.config.checklists.archive_bucket
    tasks = last_month_tasks(await ctx.gateway.describe_export_tasks(), group, bucket, now)
    if not tasks:
        return CheckResult(
            Verdict.FAIL,
            f"{month} of {group} is not archived to s3://{bucket}/ yet (a runs the export)",
            (f"no export task for {month}",),
        )
    task = tasks[0]
    evidence = tuple(
        f"{t.id}  {t.status:<9} s3://{t.destination}/{t.prefix}"
        + (f"  created {t.created_at:%Y-%m-%d %H:%M} UTC" if t.created_at else "")
        + (f"  completed {t.completed_at:%H:%M:%S} UTC" if t.completed_at else "")
        for t in tasks[:5]
    )
    if task.status == "COMPLETED":
        return CheckResult(Verdict.PASS, f"{month} archived to s3://{bucket}/{task.prefix} (task {task.id})", evidence)
    if task.active:
        return CheckResult(Verdict.WARN, f"{month} export {task.status} (task {task.id}): r re-checks", evidence)
    return CheckResult(
        Verdict.FAIL, f"{month} export {task.status}: {task.message or 'no reason given'} (a starts a new one)", evidence
    )
