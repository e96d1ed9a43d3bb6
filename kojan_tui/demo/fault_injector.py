"""The fault proxy's faults injected inside the client, at its HTTP layer: a botocore ``before-send`` handler.

``FaultInjector(plan)`` chooses and counts exactly like ``FaultProxy`` (the
same ``FaultPlan``, the same seeded choice, the same counters) and hands a faulted call what the client would
have read from the wire, so botocore still parses, retries and classifies it as it would a real answer:

- throttling 400/429, 500, 503, expired token, refused key, quota: the proxy's own AWS error answer (status,
  headers, body in the call's protocol: JSON 1.1, rpc-v2-CBOR, query XML);
- malformed: HTTP 200 with the proxy's body that is not the protocol's encoding;
- partial: the request sent for real (aiobotocore's own HTTP session), its answer's StatusCode marked;
- slow: the client's read timeout passes, then the ``ReadTimeoutError`` aiobotocore raises when an answer is
  later than that (an answer within it: the proxy's late 503);
- reset, truncated: the ``ConnectionClosedError`` aiobotocore raises when the connection drops before the
  answer (``ServerDisconnectedError``) or in the middle of its body (``ClientPayloadError``). Unlike the
  proxy's, a truncated call never reaches the embedded AWS (a read: nothing there changes).

A call with no fault goes out over HTTP as usual (counted in ``forwarded``; its answer is not counted in
``bytes_received``). The forward-then-lose kinds and the event streams need a socket: the proxy's.
``tests/proof/test_fault_kinds.py`` proves each kind reaches the gateway's caller as the same failure from
this injector as from the proxy. ``install(session)`` registers it on a session's ``before-send`` last, after
the gateway's own handlers (its request limits, its count): a faulted call still waits for its slot.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiobotocore.awsrequest import AioAWSResponse
from aiobotocore.httpsession import AIOHTTPSession
from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

from kojan_tui.demo.faults import (
    FORWARD_KINDS,
    MALFORMED,
    PARTIAL,
    RESET,
    SLOW,
    TRUNCATED,
    Answer,
    FaultCounts,
    FaultPlan,
    error_answer,
    error_body,
    identify,
    malformed_answer,
    marked_partial,
)


class FaultInjector(FaultCounts):
    """``injector.install(session, ...)`` (an aiobotocore session, before its clients are made); change ``plan``
    at any time; ``await injector.aclose()`` when done (the HTTP session of the partial answers)."""

    def __init__(self, plan: FaultPlan | None = None) -> None:
        super().__init__(plan)
        self.connect_timeout = self.read_timeout = 60.0  # botocore's defaults, until install() is told the client's
        self._http: AIOHTTPSession | None = None

    def install(self, session: Any, *, connect_timeout: float, read_timeout: float) -> Any:
        """Register on ``session`` (its clients copy its handlers when they are made), whose clients have these
        timeouts (a slow answer outlasts the read timeout); the session."""
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        session.get_component("event_emitter").register_last("before-send", self.before_send)
        return session

    async def aclose(self) -> None:
        http, self._http = self._http, None
        if http is not None:
            await http.__aexit__(None, None, None)

    async def before_send(self, request: Any, event_name: str = "", **_: Any) -> AioAWSResponse | None:
        """botocore's ``before-send.<service>.<Operation>``: None sends the request; an answer replaces it."""
        body = _body_bytes(request.body)
        headers = {name: _text(value) for name, value in request.headers.items()}  # botocore keeps str or bytes
        _, protocol = identify(headers, urlsplit(request.url).path, body)
        operation = event_name.rsplit(".", 1)[-1]
        fault = self._received(operation, headers.get("Authorization", ""), len(body))
        if fault in FORWARD_KINDS:
            raise ValueError(f"{fault}: the forward-then-lose kinds need the proxy (FaultProxy)")
        if (answer := error_answer(fault, protocol)) is not None:
            return self._response(request, answer)
        if fault == MALFORMED:
            return self._response(request, malformed_answer(protocol))
        if fault == SLOW:
            if self.plan.slow_seconds < self.read_timeout:
                await asyncio.sleep(self.plan.slow_seconds)
                return self._response(request, error_body(protocol, 503, "ServiceUnavailable", "too late"))
            await asyncio.sleep(self.read_timeout)
            cause = aiohttp.SocketTimeoutError("Timeout on reading data from socket")
            raise ReadTimeoutError(endpoint_url=request.url, error=cause) from cause
        if fault in (RESET, TRUNCATED):
            dropped: Exception = (
                aiohttp.ServerDisconnectedError()
                if fault == RESET
                else aiohttp.ClientPayloadError("Response payload is not completed: <ContentLengthError: 400>")
            )
            raise ConnectionClosedError(error=dropped, request=request, endpoint_url=request.url) from dropped
        with self._lock:
            self.forwarded[operation] += 1
        if fault != PARTIAL:
            return None  # sent over HTTP by the client itself
        response = await (await self._session()).send(request)
        marked = marked_partial(await response.content)
        response._content = marked
        response.headers["content-length"] = str(len(marked))
        self._answered(len(marked))
        return response

    def _response(self, request: Any, answer: Answer) -> AioAWSResponse:
        status, headers, body = answer
        self._answered(len(body))
        headers = {k.lower(): v for k, v in headers.items()} | {"content-length": str(len(body))}
        return AioAWSResponse(request.url, status, headers, _Body(body))

    async def _session(self) -> AIOHTTPSession:
        if self._http is None:
            self._http = AIOHTTPSession(timeout=(self.connect_timeout, self.read_timeout))
            await self._http.__aenter__()
        return self._http


class _Body:
    """The raw stream of an answer made here: all of it at once, as aiobotocore reads a whole answer."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def read(self) -> bytes:
        return self._body


def _body_bytes(body: object) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return b""  # a stream (an upload): never one of the polled calls


def _text(value: object) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
