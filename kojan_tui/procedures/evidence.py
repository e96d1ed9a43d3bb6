"""Small helpers the checks share: log samples as one visible line each, metric queries over a window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kojan_tui.core.logtext import display_text
from kojan_tui.core.metrics_catalog import alb_dimensions, ecs_dimensions
from kojan_tui.core.models import LogEvent, MetricQuery, MetricSeries
from kojan_tui.procedures.checks import CheckContext

SAMPLE_CHARS = 160


def sample_line(event: LogEvent) -> str:
    """``HH:MM:SS  <message>``: control characters made visible, cut to one screen line."""
    stamp = datetime.fromtimestamp(event.timestamp_ms / 1000, UTC)
    text = display_text(event.message.replace("\n", " "), SAMPLE_CHARS)
    return f"{stamp:%H:%M:%S}  {text}"


def window_ms(ctx: CheckContext, hours: float) -> tuple[int, int]:
    end = ctx.clock()
    return int((end - timedelta(hours=hours)).timestamp() * 1000), int(end.timestamp() * 1000)


async def log_matches(ctx: CheckContext, pattern: str, *, hours: float = 1.0, group: str | None = None, samples: int = 3):
    """(count in the window, the newest ``samples`` events) of ``pattern`` in the service's log group."""
    start_ms, end_ms = window_ms(ctx, hours)
    group = group or ctx.config.service.log_group
    count = await ctx.gateway.count_log_events(group, pattern=pattern, start_ms=start_ms, end_ms=end_ms)
    newest: list[LogEvent] = []
    if count and samples:
        recent_ms = max(start_ms, end_ms - 10 * 60 * 1000)  # the newest samples: the last 10 minutes first
        page = await ctx.gateway.filter_log_events(group, start_ms=recent_ms, end_ms=end_ms, pattern=pattern, max_pages=2)
        events = list(page.events)
        if not events:
            page = await ctx.gateway.filter_log_events(group, start_ms=start_ms, end_ms=end_ms, pattern=pattern, max_pages=2)
            events = list(page.events)
        newest = events[-samples:][::-1]
    return count, newest


def alb_query(ctx: CheckContext, qid: str, metric: str, stat: str, period: int) -> MetricQuery:
    return MetricQuery(qid, "AWS/ApplicationELB", metric, alb_dimensions(ctx.config.service), stat, period, metric)


def ecs_query(ctx: CheckContext, qid: str, metric: str, stat: str, period: int) -> MetricQuery:
    return MetricQuery(qid, "AWS/ECS", metric, ecs_dimensions(ctx.config.service), stat, period, metric)


async def metrics(
    ctx: CheckContext, queries: list[MetricQuery], hours: float, start: datetime | None = None
) -> dict[str, MetricSeries]:
    end = ctx.clock()
    return await ctx.gateway.get_metric_data(queries, start or end - timedelta(hours=hours), end)


def chart_data(
    series: MetricSeries, *, unit: str = "", scale: float = 1.0, threshold: tuple[float, float] | None = None, window: str = ""
) -> dict:
    """What a runbook screen plots: labelled values with their warn/alert lines (kept in memory only)."""
    return {
        "label": series.label,
        "unit": unit,
        "timestamps": series.timestamps,
        "values": tuple(v * scale for v in series.values),
        "threshold": threshold,
        "window": window,
    }
