"""CloudWatch Logs fidelity: interleaved, paged FilterLogEvents; Logs Insights; bounded retention.

moto scans every event (building a filter object per event), groups results by stream unless
``interleaved`` is sent, and runs Insights queries without ``filter``/``stats``; these replace that.
"""

from __future__ import annotations

import heapq
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from datetime import UTC
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.logs import models as logs_models
from moto.logs import responses as logs_responses
from moto.logs.exceptions import InvalidParameterException, ResourceNotFoundException
from moto.moto_api._internal import mock_random

from kojan_tui.demo import insights, world_clock

MAX_LIMIT = 10_000


class MalformedQueryException(JsonRESTError):
    def __init__(self, message: str):
        super().__init__("MalformedQueryException", message)


_TERM = re.compile(r'([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))')
_JSON_CMP = re.compile(r'^\{\s*\$\.([\w.]+)\s*(=|!=|>=|<=|>|<)\s*(?:"([^"]*)"|([^\s}]+))\s*\}$')


def compile_filter(pattern: str | None) -> Callable[[str], bool]:
    """Term patterns (``ERROR``, ``"invalid token"``, ``?A ?B``, ``-X``) and one-comparison JSON patterns."""
    text = (pattern or "").strip()
    if not text:
        return lambda _m: True
    if m := _JSON_CMP.match(text):
        return _json_comparison(m.group(1), m.group(2), m.group(3) if m.group(3) is not None else m.group(4))
    if text[0] in "{[":
        raise InvalidParameterException(
            f"The filter pattern '{text}' is not supported by the kojan-tui demo "
            "(terms, quoted phrases and one-comparison JSON patterns are)."
        )
    required, optional, excluded = [], [], []
    for sign, quoted, bare in _TERM.findall(text):
        term = quoted.replace('\\"', '"') if quoted else bare
        (optional if sign == "?" else excluded if sign == "-" else required).append(term)
    return lambda m: (
        all(t in m for t in required) and (not optional or any(t in m for t in optional)) and not any(t in m for t in excluded)
    )


def _json_comparison(path: str, op: str, raw: str) -> Callable[[str], bool]:
    def matches(message: str) -> bool:
        try:
            value: Any = json.loads(message)
            for part in path.split("."):
                value = value[part]
        except (ValueError, KeyError, TypeError):
            return False
        if op in ("=", "!="):
            equal = str(value) == raw if not isinstance(value, (int, float)) else _num(raw) == value
            return equal if op == "=" else not equal
        number = _num(raw)
        if number is None or not isinstance(value, (int, float)):
            return False
        return {">": value > number, "<": value < number, ">=": value >= number, "<=": value <= number}[op]

    return matches


def _num(raw: str) -> float | None:
    try:
        return float(raw)
    except ValueError:
        return None


def _window(events: list[Any], start: int | None, end: int | None) -> list[Any]:
    lo = bisect_left(events, start, key=lambda e: e.timestamp) if start else 0
    hi = bisect_right(events, end, key=lambda e: e.timestamp) if end else len(events)
    return events[lo:hi]


def _keyed(stream_name: str, events: list[Any]) -> Iterator[tuple[int, int, str, Any]]:
    return ((e.timestamp, e.event_id, stream_name, e) for e in events)


def filter_log_events(
    self: Any,
    log_group_name: str,
    log_stream_names: list[str],
    start_time: int | None,
    end_time: int | None,
    limit: int | None,
    next_token: str | None,
    filter_pattern: str | None,
    interleaved: bool,
) -> tuple[list[dict[str, Any]], str | None, list[dict[str, Any]]]:
    """Events of all streams merged by (timestamp, event id); the token resumes after the last one returned."""
    limit = min(limit or MAX_LIMIT, MAX_LIMIT)
    matches = compile_filter(filter_pattern)
    after: tuple[int, int] | None = None
    if next_token:
        try:
            group, ts, event_id = next_token.rsplit("@", 2)
            if group != log_group_name:
                raise ValueError(next_token)
            after = (int(ts), int(event_id))
        except ValueError:
            raise InvalidParameterException("The specified nextToken is invalid.") from None
        start_time = max(start_time or 0, after[0])
    streams = [s for name, s in list(self.streams.items()) if not log_stream_names or name in log_stream_names]
    per_stream = [_keyed(s.log_stream_name, _window(s.events, start_time, end_time)) for s in streams]
    page: list[dict[str, Any]] = []
    token = None
    for ts, event_id, stream_name, event in heapq.merge(*per_stream, key=lambda item: (item[0], item[1])):
        if after is not None and (ts, event_id) <= after:
            continue
        if not matches(event.message):
            continue
        if len(page) == limit:
            last = page[-1]
            token = f"{log_group_name}@{last['timestamp']}@{last['eventId']}"
            break
        page.append(
            {
                "logStreamName": stream_name,
                "timestamp": ts,
                "message": event.message,
                "ingestionTime": event.ingestion_time,
                "eventId": str(event_id),
            }
        )
    return page, token, []


_original_put = logs_models.LogStream.put_log_events


def put_log_events(self: Any, log_events: list[dict[str, Any]]) -> str:
    """moto appends as given; keep each stream sorted by time so windows can bisect."""
    result = _original_put(self, log_events)
    events = self.events
    if len(events) > len(log_events) and any(
        events[i].timestamp > events[i + 1].timestamp for i in range(len(events) - len(log_events) - 1, len(events) - 1)
    ):
        self.events = sorted(events, key=lambda e: e.timestamp)
    return result


class InsightsQuery:
    """What StartQuery stores and GetQueryResults returns (the whole query runs at start)."""

    def __init__(self, query_id: str, start_s: int, end_s: int, query: str, groups: list[Any]):
        plan = insights.parse(query)
        self.query_id, self.query, self.start_time, self.end_time = query_id, query, start_s, end_s
        self.log_group_names = [g.name for g in groups]
        self.status = "Complete"
        self.create_time = world_clock.naive_utc()
        start_ms, end_ms = start_s * 1000, end_s * 1000 + 999
        records = (
            insights.Record(e.timestamp, s.log_stream_name, e.message, g.name)
            for g in groups
            for s in list(g.streams.values())
            for e in _window(s.events, start_ms, end_ms)
        )
        self.outcome = insights.execute(plan, records)

    def to_json(self, log_group_name: str) -> dict[str, Any]:
        return {
            "queryId": self.query_id,
            "queryString": self.query,
            "status": self.status,
            "createTime": int(self.create_time.replace(tzinfo=UTC).timestamp() * 1000),  # naive UTC, as moto keeps it
            "logGroupName": log_group_name,
        }

    def to_result_json(self) -> dict[str, Any]:
        o = self.outcome
        return {
            "results": [[{"field": f, "value": v} for f, v in row] for row in o.rows],
            "statistics": {
                "recordsMatched": float(o.records_matched),
                "recordsScanned": float(o.records_scanned),
                "bytesScanned": float(o.bytes_scanned),
            },
            "status": self.status,
        }


def start_query(self: Any, log_group_names: list[str], start_time: int, end_time: int, query_string: str) -> str:
    for name in log_group_names:
        if name not in self.groups:
            raise ResourceNotFoundException()
    query_id = str(mock_random.uuid4())
    try:
        query = InsightsQuery(query_id, start_time, end_time, query_string, [self.groups[n] for n in log_group_names])
    except (insights.UnsupportedQuery, re.error) as exc:
        raise MalformedQueryException(str(exc)) from None
    self.queries[query_id] = query
    while len(self.queries) > 200:  # bounded: the oldest results go first
        self.queries.pop(next(iter(self.queries)))
    return query_id


def get_query_results_handler(self: Any) -> str:
    query_id = self._get_param("queryId")
    if query_id not in self.logs_backend.queries:
        raise ResourceNotFoundException("Query does not exist.")
    return json.dumps(self.logs_backend.queries[query_id].to_result_json())


def stop_query_handler(self: Any) -> str:
    """StopQuery: the demo runs each query to completion at StartQuery, so there is never one to stop."""
    query_id = self._get_param("queryId")
    if query_id not in self.logs_backend.queries:
        raise ResourceNotFoundException("Query does not exist.")
    return json.dumps({"success": False})


def prune_group(group: Any, before_ms: int, keep_streams: set[str]) -> int:
    """Drop events older than ``before_ms`` and emptied streams not in ``keep_streams``; returns events dropped."""
    dropped = 0
    for name, stream in list(group.streams.items()):
        cut = bisect_left(stream.events, before_ms, key=lambda e: e.timestamp)
        if cut:
            dropped += cut
            stream.stored_bytes -= sum(len(e.message) for e in stream.events[:cut])
            stream.events = stream.events[cut:]
        if cut and not stream.events and name not in keep_streams:
            del group.streams[name]
    return dropped


def apply() -> None:
    logs_models.LogGroup.filter_log_events = filter_log_events
    logs_models.LogStream.put_log_events = put_log_events
    logs_models.LogsBackend.start_query = start_query
    logs_responses.LogsResponse.get_query_results = get_query_results_handler
    logs_responses.LogsResponse.stop_query = stop_query_handler
