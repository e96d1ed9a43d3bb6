"""S07 authentication errors: "invalid token" lines, the 4XX share of requests, the ALB access logs."""

from __future__ import annotations

from datetime import timedelta

from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check
from kojan_tui.procedures.evidence import alb_query, log_matches, metrics, sample_line

TOKEN_WARN_PERCENT, TOKEN_FAIL_PERCENT = 1.0, 5.0  # "invalid token" lines per 100 requests
SHARE_WARN_PERCENT, SHARE_FAIL_PERCENT = 2.0, 10.0  # 4XX answers per 100 requests
JUDGED_MINUTES = 1  # the verdict is on the newest minute (what is happening now); the hour is context
ALB_LOG_STALE = timedelta(minutes=30)  # ALB writes a file every 5 minutes while it serves requests


async def _requests(ctx: CheckContext, minutes: int) -> tuple[float, float]:
    """(requests, 4XX answers) over the last ``minutes``, as one CloudWatch period."""
    series = await metrics(
        ctx,
        [
            alb_query(ctx, "requests", "RequestCount", "Sum", minutes * 60),
            alb_query(ctx, "target_4xx", "HTTPCode_Target_4XX_Count", "Sum", minutes * 60),
        ],
        hours=minutes / 60,
    )
    return sum(series["requests"].values), sum(series["target_4xx"].values)


def _grade(percent: float, warn: float, fail: float) -> Verdict:
    return Verdict.FAIL if percent >= fail else Verdict.WARN if percent >= warn else Verdict.PASS


@check("logs.invalid_token", 'S07 "invalid token" lines in the last hour')
async def invalid_token(ctx: CheckContext) -> CheckResult:
    count, newest = await log_matches(ctx, '"invalid token"')
    recent, _ = await log_matches(ctx, '"invalid token"', hours=JUDGED_MINUTES / 60, samples=0)
    requests, _ = await _requests(ctx, JUDGED_MINUTES)
    evidence = (
        (f"{count} lines in the last hour", "newest:", *map(sample_line, newest))
        if newest
        else (f"{count} lines in the last hour",)
    )
    if not requests:
        verdict = Verdict.WARN if recent else Verdict.UNAVAILABLE
        return CheckResult(verdict, f"{count} 'invalid token' lines in 1 h; no requests counted in the last minute", evidence)
    percent = 100 * recent / requests
    summary = f"{count} 'invalid token' lines in 1 h; last minute {recent} per {requests:.0f} requests ({percent:.1f} %)"
    return CheckResult(_grade(percent, TOKEN_WARN_PERCENT, TOKEN_FAIL_PERCENT), summary, evidence)


@check("alb.auth_share", "S07 share of requests answered 4XX (401/403) in the last hour")
async def auth_share(ctx: CheckContext) -> CheckResult:
    requests, rejected = await _requests(ctx, JUDGED_MINUTES)
    hour_requests, hour_rejected = await _requests(ctx, 60)
    if not requests:
        return CheckResult(Verdict.UNAVAILABLE, "no requests counted in the last minute: nothing to judge")
    percent = 100 * rejected / requests
    hour = f"{100 * hour_rejected / hour_requests:.1f} % over the hour" if hour_requests else "no requests in the hour"
    return CheckResult(
        _grade(percent, SHARE_WARN_PERCENT, SHARE_FAIL_PERCENT),
        f"{percent:.1f} % of requests answered 4XX in the last minute ({rejected:.0f} of {requests:.0f}; {hour})",
        (
            "ALB HTTPCode_Target_4XX_Count / RequestCount, Sum",
            "401 and 403 are inside 4XX (the ALB does not split them); the access logs do",
            f"warn at {SHARE_WARN_PERCENT:g} %, fail at {SHARE_FAIL_PERCENT:g} %",
        ),
    )


@check("s3.alb_logs_newest", "S07 newest ALB access logs in the log bucket")
async def alb_logs_newest(ctx: CheckContext) -> CheckResult:
    bucket = ctx.config.service.alb_log_bucket
    objects = await ctx.gateway.newest_objects(bucket, count=5)
    if not objects:
        return CheckResult(Verdict.FAIL, f"s3://{bucket}/ holds no access logs: is ALB access logging on?")
    newest = objects[0]
    evidence = tuple(f"{o.last_modified:%Y-%m-%d %H:%M} UTC  {o.size:>7} B  {o.key}" for o in objects if o.last_modified)
    if newest.last_modified is None:
        return CheckResult(Verdict.WARN, f"newest object in s3://{bucket}/ has no date", evidence)
    age = ctx.clock() - newest.last_modified
    minutes = max(0, int(age.total_seconds() // 60))
    if age > ALB_LOG_STALE:
        return CheckResult(Verdict.WARN, f"newest ALB log is {minutes} min old: logs stopped arriving?", evidence)
    return CheckResult(Verdict.PASS, f"newest ALB log is {minutes} min old (s3://{bucket}/)", evidence)
