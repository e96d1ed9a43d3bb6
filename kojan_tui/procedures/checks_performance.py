"""S09 memory (24 h at 5 minutes, trend, when it reaches 95 %, memory since a forced deployment) and S10
latency (TargetResponseTime Average/Maximum at 60 s over 1 h, the slow query log and its newest entries).
"""

from __future__ import annotations

from datetime import timedelta

from kojan_tui.core.i18n import tr
from kojan_tui.core.slow_query_rule import judge_slow_query
from kojan_tui.core.slowquery import parse_slow_entry
from kojan_tui.core.trend import trend
from kojan_tui.procedures.checks import CheckContext, CheckResult, Verdict, check
from kojan_tui.procedures.evidence import alb_query, chart_data, ecs_query, metrics

CROSSING_FAIL = timedelta(hours=2)  # reaching the S25 level within this is a failure, within a day a warning
CROSSING_WARN = timedelta(hours=24)
LATENCY_LIMIT_S = 1.0  # S10: "responses always above 1 s"
WATCH_PERIOD_S = 10
SLOW_QUERY_PARAMETER = "slow_query_log"
SLOW_WARN, SLOW_FAIL = 3, 10  # slow queries per hour (a handful a day is normal)


@check("ecs.memory_trend", "S09 ECS memory Maximum, 5-minute periods, 24 h: trend and 95 % crossing")
async def memory_trend(ctx: CheckContext) -> CheckResult:
    series = (await metrics(ctx, [ecs_query(ctx, "memory", "MemoryUtilization", "Maximum", 300)], hours=24))["memory"]
    level = ctx.config.rollback.memory_percent
    alert = ctx.config.thresholds.ecs_memory_percent.alert
    memory = ctx.config.thresholds.ecs_memory_percent
    data = {"chart": chart_data(series, unit="%", threshold=(memory.warn, memory.alert), window="24h"), "level": level}
    result = trend(series.timestamps, series.values)
    if result is None:
        latest = series.values[-1] if series.values else None
        if latest is not None and latest >= alert:  # no trend needed to see a breach: too few points never hides it
            return CheckResult(
                Verdict.FAIL,
                f"memory {latest:.1f} %, at or above the alert level ({alert:g} %)",
                (
                    f"latest {latest:.1f} % at {series.timestamps[-1]:%H:%M} UTC; peak {max(series.values):.1f} % in 24 h",
                    "too few points in the newest climb for a trend: no forecast",
                ),
                data=data,
            )
        return CheckResult(Verdict.UNAVAILABLE, "too few memory datapoints in the last 24 h to judge a trend", data=data)
    crossing = result.crossing(level)
    now = ctx.clock()
    used = f"{result.points} points over {_human(result.span)}"
    evidence = [
        f"latest {result.latest:.1f} % at {result.latest_at:%H:%M} UTC; peak {max(series.values):.1f} % in 24 h",
        f"trend (Sen's slope) {result.per_hour:+.1f} points/hour over the newest climb ({used})",
    ]
    if result.restarted_at is not None:
        evidence[1] = f"trend (Sen's slope) {result.per_hour:+.1f} points/hour over the climb before it fell ({used})"
        evidence.insert(
            1, f"memory fell at {result.restarted_at:%H:%M} UTC (tasks replaced); the leak's rate is the climb before"
        )
    if crossing is None and not result.enough:
        evidence.append(f"too few points for a trend ({used}): no forecast")
    elif crossing is None:
        evidence.append("not rising significantly (the slope's 99.9 % lower bound is not above 0, or the rate did not hold)")
    else:
        evidence.append(f"reaches {level:g} % at {crossing:%Y-%m-%d %H:%M} UTC (in {_human(crossing - now)})")
    if result.latest >= alert or (crossing is not None and crossing - now <= CROSSING_FAIL):
        verdict = Verdict.FAIL
    elif crossing is not None and crossing - now <= CROSSING_WARN:
        verdict = Verdict.WARN
    else:
        verdict = Verdict.PASS
    summary = f"memory {result.latest:.1f} %, {result.per_hour:+.1f}/h" + (
        f", {level:g} % in {_human(crossing - now)}" if crossing else ", not rising"
    )
    return CheckResult(verdict, summary, tuple(evidence), data=data)


@check("ecs.memory_after_deploy", "S09 memory since the newest deployment took over")
async def memory_after_deploy(ctx: CheckContext) -> CheckResult:
    service = await ctx.gateway.describe_service(ctx.config.service.cluster, ctx.config.service.name)
    primary = service.primary
    if primary is None or primary.rollout_state not in (None, "COMPLETED") or len(service.deployments) > 1:
        state = primary.rollout_state if primary else "no primary deployment"
        return CheckResult(
            Verdict.WARN, f"deployment in progress ({state}, {service.running}/{service.desired} running): re-run when done"
        )
    since = primary.updated_at or primary.created_at
    if since is None:
        return CheckResult(Verdict.UNAVAILABLE, "the deployment has no completion time")
    # 10-second buckets from the first whole 10 s after the deployment: none holds the old tasks' memory
    # (a 1-minute period's start is rounded down to the minute, which would). Standard-resolution ECS
    # datapoints come back one a minute in these buckets; the demo's come every tick.
    start = since.replace(microsecond=0) + timedelta(seconds=WATCH_PERIOD_S - since.second % WATCH_PERIOD_S)
    query = ecs_query(ctx, "memory", "MemoryUtilization", "Maximum", WATCH_PERIOD_S)
    series = (await metrics(ctx, [query], hours=0, start=start))["memory"] if ctx.clock() > start else None
    memory = ctx.config.thresholds.ecs_memory_percent
    alert = memory.alert
    if series is None or not series.values:
        return CheckResult(Verdict.UNAVAILABLE, f"no memory datapoint since the deployment completed at {since:%H:%M:%S} UTC yet")
    latest, peak = series.values[-1], max(series.values)
    evidence = (
        f"deployment {primary.id} completed {since:%H:%M:%S} UTC",
        f"latest {latest:.1f} % at {series.timestamps[-1]:%H:%M:%S} UTC; Maximum since the deployment {peak:.1f} % (alert at {alert:g} %)",
    )
    data = {
        "chart": chart_data(series, unit="%", threshold=(memory.warn, memory.alert), window=_since_label(ctx.clock() - start))
    }
    if latest >= alert:
        return CheckResult(
            Verdict.FAIL, f"memory still {latest:.1f} % after the deployment (alert {alert:g} %)", evidence, data=data
        )
    return CheckResult(
        Verdict.PASS, f"memory back to {latest:.1f} % after the deployment (alert {alert:g} %)", evidence, data=data
    )


@check("alb.latency", "S10 ALB TargetResponseTime Average and Maximum, 60 s periods, last hour")
async def latency(ctx: CheckContext) -> CheckResult:
    series = await metrics(
        ctx,
        [
            alb_query(ctx, "average", "TargetResponseTime", "Average", 60),
            alb_query(ctx, "maximum", "TargetResponseTime", "Maximum", 60),
        ],
        hours=1,
    )
    average, maximum = series["average"], series["maximum"]
    p99 = ctx.config.thresholds.p99_latency_ms
    data = {
        "chart": chart_data(average, unit="ms", scale=1000, threshold=(p99.warn, p99.alert), window="1h"),
        "chart2": chart_data(maximum, unit="ms", scale=1000, threshold=(p99.warn, p99.alert), window="1h"),
    }
    if not average.values:
        return CheckResult(Verdict.UNAVAILABLE, "no TargetResponseTime datapoints in the last hour", data=data)
    newest_average, newest_maximum = average.values[-1], (maximum.values or (0.0,))[-1]
    evidence = (
        f"newest minute: Average {newest_average * 1000:.0f} ms, Maximum {newest_maximum * 1000:.0f} ms",
        f"hour: Average {sum(average.values) / len(average.values) * 1000:.0f} ms, Maximum {max(maximum.values or (0,)) * 1000:.0f} ms",
        f"fail: Average above {LATENCY_LIMIT_S * 1000:.0f} ms or Maximum above {2 * LATENCY_LIMIT_S * 1000:.0f} ms",
    )
    if newest_average > LATENCY_LIMIT_S or newest_maximum > 2 * LATENCY_LIMIT_S:
        verdict = Verdict.FAIL
    elif newest_maximum > LATENCY_LIMIT_S:
        verdict = Verdict.WARN
    else:
        verdict = Verdict.PASS
    summary = f"newest minute: Average {newest_average * 1000:.0f} ms, Maximum {newest_maximum * 1000:.0f} ms (limit 1000 ms)"
    return CheckResult(verdict, summary, evidence, data=data)


async def _parameter_group(ctx: CheckContext) -> str:
    db = await ctx.gateway.describe_db_instance(ctx.config.service.db_instance)
    if not db.parameter_groups:
        raise LookupError(f"{db.identifier} has no DB parameter group")
    return db.parameter_groups[0]


@check("rds.slow_query_log", "S10 slow_query_log on in the DB parameter group")
async def slow_query_log(ctx: CheckContext) -> CheckResult:
    group = await _parameter_group(ctx)
    parameter = await ctx.gateway.describe_db_parameter(group, SLOW_QUERY_PARAMETER)
    long_query = await ctx.gateway.describe_db_parameter(group, "long_query_time")
    evidence = (f"{group}: slow_query_log = {parameter.value}", f"{group}: long_query_time = {long_query.value}")
    setting = judge_slow_query(parameter.value, long_query.value)  # S17: queries over 1 s are logged
    if not setting.log_on:
        return CheckResult(Verdict.FAIL, f"slow_query_log is off in {group}: slow queries are not recorded", evidence)
    if setting.problem:
        language = ctx.config.ui.language
        summary = tr("slow_query_log is on in {group}, but {problem}", language)
        return CheckResult(Verdict.WARN, summary.format(group=group, problem=tr(setting.problem, language)), evidence)
    return CheckResult(
        Verdict.PASS,
        f"slow_query_log is on in {group}"
        + tr(", long_query_time {seconds:g} s: queries over 1 s are logged", ctx.config.ui.language).format(
            seconds=setting.long_query_seconds
        ),
        evidence,
    )


@check("logs.slow_queries", "S10 newest slow queries (RDS slow query log, last hour)")
async def slow_queries(ctx: CheckContext) -> CheckResult:
    group = f"/aws/rds/instance/{ctx.config.service.db_instance}/slowquery"
    end = ctx.clock()
    start_ms, end_ms = int((end - timedelta(hours=1)).timestamp() * 1000), int(end.timestamp() * 1000)
    page = await ctx.gateway.filter_log_events(group, start_ms=start_ms, end_ms=end_ms, max_pages=5)
    entries = [parse_slow_entry(e.message, e.timestamp_ms) for e in page.events]
    entries = [e for e in entries if e is not None]
    if not entries:
        return CheckResult(Verdict.PASS, "no slow queries in the last hour")
    newest = sorted(entries, key=lambda e: e.at_ms)[-5:][::-1]
    worst = max(e.seconds for e in entries)
    evidence = tuple(e.line() for e in newest)
    more = "+" if page.truncated else ""
    verdict = Verdict.FAIL if len(entries) >= SLOW_FAIL else Verdict.WARN if len(entries) >= SLOW_WARN else Verdict.PASS
    return CheckResult(verdict, f"{len(entries)}{more} slow queries in the last hour, slowest {worst:.1f} s", evidence)


def _human(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"


def _since_label(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    return f"{seconds}s" if seconds < 120 else f"{seconds // 60}m"
