"""CloudWatch fidelity: datapoints in a ``MetricStore``, percentiles in GetMetricData and GetMetricStatistics.

Patches moto's CloudWatch backend (and the GetMetricStatistics handler, which drops ExtendedStatistics)
after request parsing, so it works the same for every wire protocol botocore speaks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from moto.cloudwatch import models as cw_models
from moto.cloudwatch import responses as cw_responses
from moto.cloudwatch.exceptions import InvalidParameterCombination, InvalidParameterValue, ValidationError
from moto.cloudwatch.metric_data_expression_parser import parse_expression
from moto.core.responses import ActionResult

from kojan_tui.demo import world_clock
from kojan_tui.demo.metric_store import MetricStore, is_supported_stat, series_key


def to_epoch(value: datetime | None) -> float:
    if value is None:
        return world_clock.now()
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def to_naive_utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)


def store_of(backend: Any) -> MetricStore:
    """The backend's store, created on first use (and again after a moto reset)."""
    store = backend.__dict__.get("_kojan_store")
    if store is None:
        store = backend.__dict__["_kojan_store"] = MetricStore()
    return store


def _dims(items: Any) -> tuple[tuple[str, str], ...]:
    return tuple((d["Name"], d["Value"]) for d in items or ())


def put_metric_data(self: Any, namespace: str, metric_data: list[dict[str, Any]]) -> None:
    for i, member in enumerate(metric_data):
        self._validate_parameters_put_metric_data(member, i + 1)
    store = store_of(self)
    known = set(store.keys())
    for member in metric_data:
        dims = member.get("Dimensions") or []
        key = series_key(namespace, member["MetricName"], _dims(dims))
        t, unit = to_epoch(member.get("Timestamp")), member.get("Unit")
        if member.get("Values"):
            counts = member.get("Counts") or [1] * len(member["Values"])
            values = [float(v) for v, n in zip(member["Values"], counts, strict=True) for _ in range(int(float(n)))]
            store.put(key, t, values, unit)
        elif member.get("StatisticValues"):
            s = member["StatisticValues"]
            store.put_statistic_set(
                key, t, float(s["Sum"]), float(s["SampleCount"]), float(s["Minimum"]), float(s["Maximum"]), unit
            )
        else:
            store.put(key, t, [float(member.get("Value", 0))], unit)
        if key not in known:  # one representative datum per series keeps moto's ListMetrics working
            known.add(key)
            self.metric_data.append(cw_models.MetricDatum(namespace, member["MetricName"], 0.0, dims, None, unit))


def _query_start(start: datetime, period: int) -> float:
    """CloudWatch rounds a recent StartTime down to the whole minute (to the second for high resolution)."""
    epoch = int(to_epoch(start))
    return float(epoch - epoch % 60) if period >= 60 else float(epoch)


def get_metric_data(
    self: Any, queries: list[dict[str, Any]], start_time: datetime, end_time: datetime, scan_by: str = "TimestampAscending"
) -> list[dict[str, Any]]:
    if start_time >= end_time:
        raise ValidationError("The parameter StartTime must be less than the parameter EndTime.")
    store, end = store_of(self), to_epoch(end_time)
    results, returned = [], []
    for n, query in enumerate(queries, start=1):
        if "MetricStat" not in query:
            continue
        stat_spec = query["MetricStat"]
        stat, period = stat_spec["Stat"], int(stat_spec["Period"])
        if not is_supported_stat(stat):
            raise InvalidParameterValue(
                f"The value {stat} for parameter MetricDataQueries.member.{n}.MetricStat.Stat is not valid."
            )
        metric = stat_spec["Metric"]
        key = series_key(metric["Namespace"], metric["MetricName"], _dims(metric.get("Dimensions")))
        buckets = store.buckets(key, [stat], _query_start(start_time, period), end, period, stat_spec.get("Unit"))
        pairs = [(to_naive_utc(t), v[stat]) for t, v, _unit in buckets if v[stat] is not None]
        if scan_by == "TimestampDescending":
            pairs.reverse()
        result = {
            "id": query["Id"],
            "label": query.get("Label") or f"{metric['MetricName']} {stat}",
            "values": [v for _, v in pairs],
            "timestamps": [t for t, _ in pairs],
            "status_code": "Complete",
        }
        results.append(result)
        if query.get("ReturnData", True):
            returned.append(result)
    for query in queries:
        if "Expression" not in query:
            continue
        if query["Expression"].lstrip().upper().startswith("SELECT"):
            raise InvalidParameterValue("Metrics Insights queries are not supported by the kojan-tui demo.")
        values, timestamps = parse_expression(query["Expression"], results)
        returned.append(
            {
                "id": query["Id"],
                "label": query.get("Label") or query["Id"],
                "values": values,
                "timestamps": timestamps,
                "status_code": "Complete",
            }
        )
    return returned


def get_metric_statistics_with_extended(
    backend: Any,
    namespace: str,
    metric_name: str,
    start_time: datetime,
    end_time: datetime,
    period: int,
    statistics: list[str],
    extended: list[str],
    dimensions: list[dict[str, str]],
    unit: str | None = None,
) -> list[dict[str, Any]]:
    if start_time >= end_time:
        raise InvalidParameterValue("The parameter StartTime must be less than the parameter EndTime.")
    for stat in extended:
        if not stat.startswith("p") or not is_supported_stat(stat):
            raise InvalidParameterValue(f"The value {stat} for parameter ExtendedStatistics is not valid.")
    key = series_key(namespace, metric_name, _dims(dimensions))
    datapoints = []
    for t, values, series_unit in store_of(backend).buckets(
        key, [*statistics, *extended], _query_start(start_time, period), to_epoch(end_time), period, unit
    ):
        point: dict[str, Any] = {"Timestamp": to_naive_utc(t), "Unit": series_unit or "None"}
        point.update({s: values[s] for s in statistics})
        if extended:
            point["ExtendedStatistics"] = {s: values[s] for s in extended if values[s] is not None}
        datapoints.append(point)
    return datapoints


def get_metric_statistics_handler(self: Any) -> ActionResult:
    statistics = self._get_param("Statistics", [])
    extended = self._get_param("ExtendedStatistics", [])
    if not statistics and not extended:
        raise InvalidParameterCombination("Must specify either Statistics or ExtendedStatistics")
    datapoints = get_metric_statistics_with_extended(
        self.cloudwatch_backend,
        self._get_param("Namespace"),
        self._get_param("MetricName"),
        self._get_param("StartTime"),
        self._get_param("EndTime"),
        self._get_int_param("Period"),
        statistics,
        extended,
        self._get_param("Dimensions", []),
        self._get_param("Unit"),
    )
    return ActionResult({"Label": self._get_param("MetricName"), "Datapoints": datapoints})


def clear(backend: Any) -> None:
    """Every datapoint and every series ListMetrics lists (a reset: a test's own metrics must not outlive it)."""
    store_of(backend).clear()
    backend.metric_data = []


def apply() -> None:
    cw_models.CloudWatchBackend.put_metric_data = put_metric_data
    cw_models.CloudWatchBackend.get_metric_data = get_metric_data
    cw_responses.CloudWatchResponse.get_metric_statistics = get_metric_statistics_handler


def prune_before(backend: Any, epoch: float) -> None:
    """Drop every datapoint older than ``epoch`` (the simulator keeps ~25 h)."""
    store_of(backend).prune(epoch)
