"""The dashboard's sources: what is polled for S01–S03/S25, how often, over which window, with what pattern.

``DashboardSources`` owns the newest ``DashboardData`` (replaced, never mutated, on every delivery) and
registers its fetchers on a ``Poller``; ``on_change(data, source)`` tells the app that something arrived.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from kojan_tui.aws.protocol import Gateway
from kojan_tui.core import metrics_catalog
from kojan_tui.core.clock import Clock, epoch_ms
from kojan_tui.core.config import Config
from kojan_tui.core.dashboard import DashboardData
from kojan_tui.core.ecs_tasks import ServiceTasks
from kojan_tui.core.error_tally import ERROR_TERM, ErrorTally
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.log_terms import TermWindow
from kojan_tui.core.loglines import LogLine
from kojan_tui.core.models import (
    CallerIdentity,
    DbInstance,
    MetricSeries,
    ScalingActivity,
    ServiceSnapshot,
    TaskDefinition,
)
from kojan_tui.core.slo import RECENT_SPAN, SLO_SERIES
from kojan_tui.core.state import SourceName
from kojan_tui.core.task_stops import count_stops
from kojan_tui.core.windows import DEFAULT_WINDOW, WINDOWS
from kojan_tui.sources.logs import LogFeed
from kojan_tui.sources.poller import Poller
from kojan_tui.sources.tasks import TASK_STOPS_INTERVAL_S, TaskWatch

DATABASE_INTERVAL_S = 60.0  # size changes rarely, but its status is an S25 "database down" signal
IDENTITY_INTERVAL_S = 3600.0
SCALING_INTERVAL_S = 60.0  # S16: scaling activities change every few minutes at most
SCALING_ACTIVITIES = 1  # the service panel shows the newest
ERRORS_WINDOW = timedelta(hours=1)  # S02: ERROR lines in the last hour
ERRORS_PATTERN = ERROR_TERM
DB_CONNECTION_WINDOW = timedelta(minutes=10)  # S25 "database down": recent "database connection" errors
DB_CONNECTION_TERM = "database connection"
SLO_LONG_INTERVAL_S = 300.0  # the error budget's 30 days at 1-hour periods: a second, small GetMetricData every 5 min
SLO_LONG_PERIOD_S = 3600
SLO_RECENT = (*SLO_SERIES, metrics_catalog.P99_LATENCY)  # kept over RECENT_SPAN for the SLO's short windows
# and the before/after comparison of the newest deployment (core.before_after): from the same answer, no new request
KEPT_RECENT = (*SLO_RECENT, metrics_catalog.ECS_CPU, metrics_catalog.ECS_MEMORY)

ChangeListener = Callable[[DashboardData, SourceName], None]


class DashboardSources:
    def __init__(self, gateway: Gateway, config: Config, *, clock: Clock, on_change: ChangeListener | None = None) -> None:
        self.gateway = gateway
        self.config = config
        self.clock = clock
        self.on_change = on_change
        self.window = config.ui.chart_window if config.ui.chart_window in WINDOWS else DEFAULT_WINDOW
        self.data = DashboardData(metrics_period=WINDOWS[self.window].period)
        self.log_feed = LogFeed(
            gateway, config.service.log_group, buffer_lines=config.ui.log_buffer_lines, clock=clock, live=True
        )  # Live Tail where the account allows it, FilterLogEvents polling where not
        # S02 between its scans: the feed's new ERROR lines are added to the last scan's count (no extra requests)
        self.error_tally = ErrorTally()
        self.task_watch = TaskWatch(gateway, config.service)  # stopped tasks described once, for the panel's count
        self.poller: Poller | None = None

    def register(self, poller: Poller) -> None:
        """Every dashboard source on ``poller``, each on its configured interval."""
        self.poller = poller
        refresh = self.config.refresh
        poller.register(SourceName.IDENTITY, IDENTITY_INTERVAL_S, self.gateway.caller_identity, self._got_identity)
        poller.register(SourceName.SERVICE, refresh.service_seconds, self.fetch_service, self._got_service)
        poller.register(SourceName.METRICS, refresh.metrics_seconds, self.fetch_metrics, self._got_metrics)
        poller.register(SourceName.DATABASE, DATABASE_INTERVAL_S, self.fetch_db, self._got_db)
        poller.register(SourceName.ERRORS, refresh.errors_seconds, self.fetch_errors, self._got_errors)
        poller.register(SourceName.SCALING, SCALING_INTERVAL_S, self.fetch_scaling, self._got_scaling)
        poller.register(SourceName.SLO, SLO_LONG_INTERVAL_S, self.fetch_slo_long, self._got_slo_long)
        poller.register(SourceName.TASKS, TASK_STOPS_INTERVAL_S, self.task_watch.poll, self._got_tasks)
        # The feed tells its own views (LogPane, LogScreen) about new lines itself.
        poller.register(
            SourceName.LOGS, refresh.logs_seconds, self.log_feed.poll, self._got_logs, on_failure=self.log_feed.record_failure
        )

    # -- fetchers (I/O only) ---------------------------------------------------------------------

    async def fetch_service(self) -> tuple[ServiceSnapshot, TaskDefinition | None]:
        service = await self.gateway.describe_service(self.config.service.cluster, self.config.service.name)
        task_definition = self.data.task_definition
        if task_definition is None or task_definition.arn != service.task_definition:
            try:  # only when the service's task definition changed; the image tag is a detail
                task_definition = await self.gateway.describe_task_definition(service.task_definition)
            except AwsFailure:
                task_definition = None
        return service, task_definition

    async def fetch_metrics(self) -> tuple[int, dict[str, MetricSeries], dict[str, MetricSeries]]:
        """(period, the S03 series over the chart window, the SLO's series over its short windows): ONE
        GetMetricData over the longer of the chart window and the SLO's 6 h (same queries, more datapoints)."""
        window = WINDOWS[self.window]
        end = self.clock()
        queries = metrics_catalog.s03_queries(self.config.service, window.period)
        span = max(timedelta(seconds=window.seconds), RECENT_SPAN)
        series = await self.gateway.get_metric_data(queries, end - span, end)
        since = end - timedelta(seconds=window.seconds)
        charted = {key: _since(s, since) for key, s in series.items()}
        return window.period, charted, {key: series[key] for key in KEPT_RECENT if key in series}

    async def fetch_slo_long(self) -> tuple[dict[str, MetricSeries], datetime]:
        """The error budget's window at 1-hour periods (RequestCount and both 5XX counts), and when it was asked.

        Asked at most every ``SLO_LONG_INTERVAL_S``, a manual refresh included (hourly points change hourly):
        before that the last answer is delivered again with its own time, so the panel says its true age."""
        end = self.clock()
        last = self.data.slo_long_at
        if self.data.slo_long is not None and last is not None and (end - last).total_seconds() < SLO_LONG_INTERVAL_S - 5:
            return dict(self.data.slo_long), last
        queries = [q for q in metrics_catalog.s03_queries(self.config.service, SLO_LONG_PERIOD_S) if q.id in SLO_SERIES]
        start = end - timedelta(days=self.config.slo.window_days)
        return await self.gateway.get_metric_data(queries, start, end), end

    async def fetch_db(self) -> DbInstance:
        return await self.gateway.describe_db_instance(self.config.service.db_instance)

    async def fetch_scaling(self) -> list[ScalingActivity]:
        service = self.config.service
        return await self.gateway.describe_scaling_activities(
            f"service/{service.cluster}/{service.name}", max_results=SCALING_ACTIVITIES
        )

    async def fetch_errors(self) -> tuple[int, int, int]:
        """(ERROR lines in the last hour, "database connection" lines in the last 10 min, the scan's end ms),
        both from one scan (FilterLogEvents draws on a quota of 5 requests a second for the whole account)."""
        end_ms = epoch_ms(self.clock())
        windows = {
            "errors": TermWindow(ERROR_TERM, end_ms - _ms(ERRORS_WINDOW)),
            "db": TermWindow(DB_CONNECTION_TERM, end_ms - _ms(DB_CONNECTION_WINDOW)),
        }
        counts = await self.gateway.count_log_terms(self.config.service.log_group, windows=windows, end_ms=end_ms)
        return counts["errors"], counts["db"], end_ms

    async def close(self) -> None:
        """What outlives a poll: the log feed's Live Tail session."""
        await self.log_feed.close()

    async def measure_once(self) -> DashboardData:
        """Metrics, database and error counts fetched once and delivered (a check judging S25 without the app)."""
        self._got_metrics(await self.fetch_metrics())
        self._got_db(await self.fetch_db())
        self._got_errors(await self.fetch_errors())
        return self.data

    # -- deliveries (on the event loop) ----------------------------------------------------------

    def apply(self, source: SourceName, changes: dict[str, object]) -> None:
        """Fields fetched elsewhere (team mode: the collector's frame of ``source``), delivered as if polled here."""
        self._update(source, **changes)

    def _update(self, source: SourceName, **changes: object) -> None:
        self.data = replace(self.data, **changes)
        if self.on_change is not None:
            self.on_change(self.data, source)

    def _got_identity(self, identity: CallerIdentity) -> None:
        self._update(SourceName.IDENTITY, identity=identity)

    def _got_service(self, result: tuple[ServiceSnapshot, TaskDefinition | None]) -> None:
        service, task_definition = result
        self._update(SourceName.SERVICE, service=service, task_definition=task_definition)

    def _got_metrics(self, result: tuple[int, dict[str, MetricSeries], dict[str, MetricSeries]]) -> None:
        period, metrics, slo_recent = result
        self._update(SourceName.METRICS, metrics_period=period, metrics=metrics, slo_recent=slo_recent)

    def _got_slo_long(self, result: tuple[dict[str, MetricSeries], datetime]) -> None:
        series, fetched_at = result
        self._update(SourceName.SLO, slo_long=series, slo_long_at=fetched_at)

    def _got_db(self, db: DbInstance) -> None:
        self._update(SourceName.DATABASE, db_instance=db)

    def _got_scaling(self, activities: list[ScalingActivity]) -> None:
        self._update(SourceName.SCALING, scaling_activities=tuple(activities))

    def _got_tasks(self, tasks: ServiceTasks) -> None:
        """Counted here, once a minute: the state carries the counts, not the tasks (incident frames stay small)."""
        service = self.data.service
        primary = service.primary if service is not None else None
        stops = count_stops(
            tasks.stopped, self.clock(), primary_deployment=primary.id if primary else None, complete=tasks.complete
        )
        self._update(SourceName.TASKS, task_stops=stops)

    def _got_errors(self, result: tuple[int, int, int]) -> None:
        errors, db_errors, end_ms = result
        self.error_tally.scanned(end_ms, errors)
        complete = getattr(errors, "complete", True)
        self._update(
            SourceName.ERRORS, errors_last_hour=self.error_tally.count, errors_complete=complete, db_connection_errors=db_errors
        )

    def _got_logs(self, lines: list[LogLine]) -> None:
        if self.log_feed.behind and self.poller is not None:  # stopped at its page limit: catch up now
            self.poller.poll_soon(SourceName.LOGS)
        if self.log_feed.pattern not in ("", ERRORS_PATTERN):  # a filtered feed does not see every ERROR line
            return
        changed = self.error_tally.follow((line.event_id, line.timestamp_ms, line.raw) for line in lines)
        if changed and self.error_tally.count is not None:
            self._update(SourceName.ERRORS, errors_last_hour=self.error_tally.count)

    # -- what the user changes -------------------------------------------------------------------

    def set_window(self, name: str) -> bool:
        """Chart over ``name`` (1h/3h/24h) from the next metrics poll; False when unknown or unchanged."""
        if name not in WINDOWS or name == self.window:
            return False
        self.window = name
        return True


def _since(series: MetricSeries, since: datetime) -> MetricSeries:
    """``series`` without the datapoints before ``since`` (the chart window of a longer answer)."""
    keep = [i for i, t in enumerate(series.timestamps) if t >= since]
    if len(keep) == len(series.timestamps):
        return series
    return replace(series, timestamps=tuple(series.timestamps[i] for i in keep), values=tuple(series.values[i] for i in keep))


def _ms(delta: timedelta) -> int:
    return int(delta.total_seconds() * 1000)
