"""A compact, indexed store of CloudWatch datapoints and the statistics computed from them.

moto keeps one Python object per datapoint and scans them all for every period of every query;
this keeps each series as two float arrays sorted by time, so queries bisect and memory stays small.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kojan_tui.demo.percentiles import parse_percentile, percentile

SeriesKey = tuple[str, str, frozenset[tuple[str, str]]]  # namespace, metric name, dimensions
BASIC_STATS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")


def series_key(namespace: str, name: str, dimensions: Iterable[tuple[str, str]]) -> SeriesKey:
    return (namespace, name, frozenset(dimensions))


def is_supported_stat(stat: str) -> bool:
    return stat in BASIC_STATS or parse_percentile(stat) is not None


def compute_stat(
    stat: str, values: Sequence[float], aggregates: Sequence[tuple[float, float, float, float]] = ()
) -> float | None:
    """One statistic over raw ``values`` plus statistic sets ``(sum, count, min, max)``; None when empty."""
    count = len(values) + sum(a[1] for a in aggregates)
    if not count:
        return None
    if stat == "SampleCount":
        return float(count)
    if stat == "Sum":
        return float(sum(values) + sum(a[0] for a in aggregates))
    if stat == "Average":
        return float(sum(values) + sum(a[0] for a in aggregates)) / count
    if stat == "Minimum":
        return float(min([*values, *(a[2] for a in aggregates)]))
    if stat == "Maximum":
        return float(max([*values, *(a[3] for a in aggregates)]))
    p = parse_percentile(stat)
    if p is None:
        raise ValueError(f"unsupported statistic {stat!r}")
    return percentile(values, p)  # statistic sets carry no distribution (CloudWatch agrees)


@dataclass
class Series:
    times: array = field(default_factory=lambda: array("d"))  # epoch seconds, ascending
    values: array = field(default_factory=lambda: array("d"))
    aggregates: list[tuple[float, float, float, float, float]] = field(default_factory=list)  # (t, sum, n, min, max)
    unit: str | None = None

    def add(self, t: float, value: float) -> None:
        if not self.times or t >= self.times[-1]:
            self.times.append(t)
            self.values.append(value)
        else:  # out of order (a backfill or a hand-made put): keep the arrays sorted
            i = bisect_right(self.times, t)
            self.times.insert(i, t)
            self.values.insert(i, value)

    def window(self, start: float, end: float) -> tuple[array, list[tuple[float, float, float, float]]]:
        lo, hi = bisect_left(self.times, start), bisect_left(self.times, end)
        aggs = [a[1:] for a in self.aggregates if start <= a[0] < end]
        return self.values[lo:hi], aggs

    def prune(self, before: float) -> None:
        cut = bisect_left(self.times, before)
        if cut:
            del self.times[:cut]
            del self.values[:cut]
        if self.aggregates and self.aggregates[0][0] < before:
            self.aggregates = [a for a in self.aggregates if a[0] >= before]

    def __len__(self) -> int:
        return len(self.times) + len(self.aggregates)


class MetricStore:
    """Thread-safe: the simulator writes while the HTTP threads read."""

    def __init__(self) -> None:
        self._series: dict[SeriesKey, Series] = {}
        self._lock = threading.Lock()

    def put(self, key: SeriesKey, t: float, values: Iterable[float], unit: str | None = None) -> None:
        with self._lock:
            series = self._series.setdefault(key, Series())
            for value in values:
                series.add(t, float(value))
            if unit:
                series.unit = unit

    def put_statistic_set(
        self, key: SeriesKey, t: float, total: float, count: float, low: float, high: float, unit: str | None = None
    ) -> None:
        with self._lock:
            series = self._series.setdefault(key, Series())
            insort(series.aggregates, (t, total, count, low, high))
            if unit:
                series.unit = unit

    def buckets(
        self, key: SeriesKey, stats: Sequence[str], start: float, end: float, period: int, unit: str | None = None
    ) -> list[tuple[float, dict[str, float | None], str | None]]:
        """``(bucket start, {stat: value}, unit)`` for every period in [start, end) that holds data, oldest first."""
        with self._lock:
            series = self._series.get(key)
            if series is None or (unit and series.unit and unit != series.unit):
                return []
            out = []
            t = start
            while t < end:
                values, aggs = series.window(t, min(t + period, end))
                if len(values) or aggs:
                    out.append((t, {s: compute_stat(s, values, aggs) for s in stats}, series.unit))
                t += period
            return out

    def keys(self) -> list[SeriesKey]:
        with self._lock:
            return list(self._series)

    def prune(self, before: float) -> None:
        with self._lock:
            for series in self._series.values():
                series.prune(before)

    def clear(self) -> None:
        with self._lock:
            self._series.clear()

    def datapoint_count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._series.values())
