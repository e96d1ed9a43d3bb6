"""StartLiveTail that streams, as AWS does: sessionStart, then a sessionUpdate every second with what was
ingested meanwhile (empty when nothing was), sampled down to 500 events per update above that, in the AWS
event-stream binary encoding (moto's own encoder). moto answers every event once and closes the stream.

A session ends when the client goes away (the next update's write fails), after ``MAX_SESSION_S`` with a
``SessionTimeoutException`` frame (AWS: 3 h; here short, so no moto server thread is held for long), or when
the server closes. The filter pattern is the one the embedded FilterLogEvents uses (``logs_patch``).
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from moto.core.eventstream import EventStreamEncoder
from moto.logs import models as logs_models
from moto.logs import responses as logs_responses
from moto.logs.exceptions import InvalidParameterException, LimitExceededException, ResourceNotFoundException

from kojan_tui.demo import world_clock
from kojan_tui.demo.logs_patch import compile_filter

UPDATE_INTERVAL_S = 1.0  # AWS sends an update every second, empty or not
MAX_EVENTS_PER_UPDATE = 500  # above this AWS samples the update down to 500 events
MAX_PENDING = 5_000  # AWS buffers up to 5,000 events for a slow client, then drops the oldest
MAX_SESSION_S = 15 * 60.0  # AWS: 3 hours; the demo's sessions end sooner (the client reconnects)
MAX_SESSIONS = 15  # concurrent sessions per account (AWS's default quota)


class Session:
    """One open Live Tail: the group it follows, its filter, and what was ingested since the last update."""

    def __init__(self, group_name: str, matches: Callable[[str], bool], group_arn: str) -> None:
        self.group_name, self.matches, self.group_arn = group_name, matches, group_arn
        self.pending: deque[dict[str, Any]] = deque()
        self.dropped = 0  # events that fell off ``pending`` (a slow client): the next update says sampled

    def offer(self, stream_name: str, events: list[dict[str, Any]], ingestion_ms: int) -> None:
        for event in events:
            if self.matches(event["message"]):
                if len(self.pending) == MAX_PENDING:
                    self.pending.popleft()
                    self.dropped += 1
                self.pending.append(
                    {
                        "logStreamName": stream_name,
                        "logGroupIdentifier": self.group_arn,
                        "message": event["message"],
                        "timestamp": event["timestamp"],
                        "ingestionTime": ingestion_ms,
                    }
                )


_lock = threading.Lock()
_sessions: set[Session] = set()
_encoder = EventStreamEncoder()


def open_sessions() -> int:
    with _lock:
        return len(_sessions)


def _event_frame(event_type: str, body: dict[str, Any]) -> bytes:
    headers = {":message-type": "event", ":event-type": event_type, ":content-type": "application/json"}
    return _encoder.encode_message(headers, json.dumps(body).encode())


def _exception_frame(exception_type: str, message: str) -> bytes:
    headers = {":message-type": "exception", ":exception-type": exception_type, ":content-type": "application/json"}
    return _encoder.encode_message(headers, json.dumps({"message": message}).encode())


def _take_update(session: Session) -> dict[str, Any]:
    """What the next sessionUpdate carries (called under ``_lock``): everything pending, sampled to 500."""
    results = list(session.pending)
    session.pending.clear()
    sampled = len(results) > MAX_EVENTS_PER_UPDATE or session.dropped > 0
    if len(results) > MAX_EVENTS_PER_UPDATE:
        keep = sorted(random.sample(range(len(results)), MAX_EVENTS_PER_UPDATE))  # noqa: S311 - not crypto
        results = [results[i] for i in keep]
    session.dropped = 0
    return {"sessionMetadata": {"sampled": sampled}, "sessionResults": results}


def _stream(session: Session, start: dict[str, Any], max_session_s: float) -> Iterator[bytes]:
    try:
        yield _event_frame("initial-response", {})  # the JSON protocol's first frame: the output's other members
        yield _event_frame("sessionStart", start)
        ends = time.monotonic() + max_session_s
        while True:
            left = ends - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(UPDATE_INTERVAL_S, left))
            with _lock:
                update = _take_update(session)
            yield _event_frame("sessionUpdate", update)  # raises when the client went away: the finally ends it
        yield _exception_frame("SessionTimeoutException", f"Live Tail session ended after {max_session_s:g} s")
    finally:
        with _lock:
            _sessions.discard(session)


def _group_name(backend: Any, identifier: str) -> tuple[str, str]:
    """(group name, its ARN) for a log group ARN, as StartLiveTail wants it (no trailing ``:*``)."""
    if identifier.endswith("*"):
        raise InvalidParameterException(f"logGroupIdentifier {identifier} must be an ARN without a trailing :*")
    for group in list(backend.groups.values()):
        arn = group.arn.removesuffix(":*")
        if identifier in (arn, group.name):
            return group.name, arn
    raise ResourceNotFoundException()


def start_live_tail_handler(self: Any) -> tuple[int, dict[str, str], Iterator[bytes]]:
    identifiers = self._get_param("logGroupIdentifiers") or []
    if len(identifiers) != 1:
        raise InvalidParameterException("the kojan-tui demo tails exactly one log group per session")
    if self._get_param("logStreamNames") or self._get_param("logStreamNamePrefixes"):
        raise InvalidParameterException("the kojan-tui demo tails whole log groups only")
    pattern = self._get_param("logEventFilterPattern") or ""
    matches = compile_filter(pattern)  # InvalidParameterException for what the demo cannot match
    name, arn = _group_name(self.logs_backend, identifiers[0])
    session = Session(name, matches, arn)
    with _lock:
        if len(_sessions) >= MAX_SESSIONS:
            raise LimitExceededException()
        _sessions.add(session)
    start = {
        "requestId": str(uuid.uuid4()),
        "sessionId": str(uuid.uuid4()),
        "logGroupIdentifiers": [arn],
        "logStreamNames": [],
        "logStreamNamePrefixes": [],
        "logEventFilterPattern": pattern,
    }
    return 200, {"Content-Type": "application/vnd.amazon.eventstream"}, _stream(session, start, MAX_SESSION_S)


def put_log_events(original: Callable[..., str]) -> Callable[..., str]:
    def put(self: Any, log_events: list[dict[str, Any]]) -> str:
        result = original(self, log_events)  # raises for a refused put: nothing was ingested, nothing streams
        with _lock:
            for session in [s for s in _sessions if s.group_name == self.log_group.name]:
                session.offer(self.log_stream_name, log_events, int(world_clock.now() * 1000))  # ingestion: world time
        return result

    return put


def apply() -> None:
    """After ``logs_patch.apply()`` (it wraps the put that keeps each stream sorted)."""
    logs_models.LogStream.put_log_events = put_log_events(logs_models.LogStream.put_log_events)
    logs_responses.LogsResponse.start_live_tail = start_live_tail_handler
