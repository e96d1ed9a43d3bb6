"""S02/S11/S29: no ``ERROR`` lines in the service's log group over the last hour or the last 24 hours."""

from __future__ import annotations

from kojan_tui.core.error_tally import ERROR_TERM
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check
from kojan_tui.procedures.evidence import log_matches, sample_line


async def _no_errors(ctx: CheckContext, hours: int) -> CheckResult:
    group = ctx.config.service.log_group
    count, newest = await log_matches(ctx, ERROR_TERM, hours=hours)
    complete = getattr(count, "complete", True)
    window = "hour" if hours == 1 else f"{hours} hours"
    shown = f"{count}" if complete else f"≥ {count} (the count stopped at its page limit)"
    evidence = (f"FilterLogEvents {group} pattern {ERROR_TERM!r}: {shown} in the last {window}",)
    if newest:
        evidence += ("newest:", *map(sample_line, newest))
    if count:
        return CheckResult(Verdict.FAIL, f"{shown} ERROR lines in the last {window}", evidence)
    if not complete:
        return CheckResult(Verdict.UNAVAILABLE, f"the ERROR count of the last {window} did not finish", evidence)
    return CheckResult(Verdict.PASS, f"no ERROR lines in the last {window}", evidence)


@check("logs.no_errors_1h", "S02 no ERROR lines in the last hour")
async def no_errors_1h(ctx: CheckContext) -> CheckResult:
    return await _no_errors(ctx, 1)


@check("logs.no_errors_24h", "S11 no ERROR lines in the last 24 hours")
async def no_errors_24h(ctx: CheckContext) -> CheckResult:
    return await _no_errors(ctx, 24)
