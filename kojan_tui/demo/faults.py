"""A fault-injecting HTTP proxy on 127.0.0.1 between an AWS client and the embedded AWS (tests, benchmarks).

It forwards every request, or answers it with a fault the way AWS would encode it (throttling, 5xx,
expired credentials, slow, reset, truncated, malformed, partial GetMetricData), and counts both.
``kojan_tui.demo.fault_injector`` injects the same faults inside the client (botocore's ``before-send``),
with the same plan, answers and counts, where no socket needs to be involved.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from aiohttp import ClientError, ClientSession, ClientTimeout, web

# Fault kinds, as counted in ``FaultProxy.faults``.
THROTTLE_400 = "throttle-400"  # ThrottlingException (JSON/CBOR) or Throttling (query), HTTP 400
THROTTLE_429 = "throttle-429"  # TooManyRequestsException, HTTP 429
HTTP_500 = "http-500"
HTTP_503 = "http-503"
SLOW = "slow"  # answered only after the client's read timeout
RESET = "reset"  # the connection is dropped without an answer
TRUNCATED = "truncated"  # the real answer, cut short of its Content-Length, then the connection drops
MALFORMED = "malformed"  # HTTP 200 with a body that is not the protocol's encoding
PARTIAL = "partial"  # GetMetricData answered, every result marked StatusCode PartialData
EXPIRED = "expired-token"  # ExpiredTokenException at random
REFUSED_KEY = "refused-key"  # a rotated-out access key: every call signed with it is refused
QUOTA = "quota-throttle"  # over the per-operation rate quota (``quotas``): throttled like AWS does
# "Forward, then lose the answer": the request reaches the embedded AWS (and takes effect), the client never
# reads its answer. Never chosen at random (``ALL_RANDOM_KINDS``): a test asks for them by name.
FORWARD_RESET = "forward-reset"  # forwarded, then the connection is dropped without an answer
FORWARD_500 = "forward-500"  # forwarded, then answered HTTP 500 with an AWS error code
FORWARD_MALFORMED = "forward-malformed"  # forwarded, then answered HTTP 200 with a body that does not parse
FORWARD_HANG = "forward-hang"  # forwarded, then no answer for ``slow_seconds`` (the client's read timeout)
FORWARD_KINDS = (FORWARD_RESET, FORWARD_500, FORWARD_MALFORMED, FORWARD_HANG)

ALL_RANDOM_KINDS = (THROTTLE_400, THROTTLE_429, HTTP_500, HTTP_503, SLOW, RESET, TRUNCATED, MALFORMED, PARTIAL, EXPIRED)
# The quotas the issue names (requests per second per account and region).
AWS_QUOTAS = {"FilterLogEvents": 5.0, "GetMetricData": 50.0}

_CREDENTIAL_RE = re.compile(r"Credential=([^/,\s]+)/")
_CBOR_OPERATION_RE = re.compile(r"/operation/([A-Za-z0-9]+)$")
STREAMING_OPERATIONS = frozenset({"StartLiveTail"})  # answered by an event stream: relayed, never buffered
_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host", "upgrade"}


STOP_GRACE_S = 0.5  # what requests still in flight get to finish when the proxy stops


@dataclass
class FaultPlan:
    """Which calls fail and how: ``rate`` of the calls to ``operations`` (None: all) get one of ``kinds``.

    ``refused_keys``: access key ids whose every call is refused (a rotated or expired credential).
    ``quotas``: requests per second per operation above which calls are throttled, as AWS does.
    """

    rate: float = 0.0
    kinds: tuple[str, ...] = ALL_RANDOM_KINDS
    operations: frozenset[str] | None = None
    refused_keys: frozenset[str] = frozenset()
    quotas: dict[str, float] = field(default_factory=dict)
    slow_seconds: float = 2.0
    seed: int | None = None


class FaultCounts:
    """What both injectors share: the plan (change ``plan`` at any time), the choice of a fault per call, and the
    counts: ``requests`` per operation, ``forwarded`` per operation (reached the upstream), ``faults`` per kind,
    ``per_second[operation][unix second]`` (every request received, faulted or not), ``bytes_sent`` /
    ``bytes_received`` (bodies, client side)."""

    def __init__(self, plan: FaultPlan | None = None) -> None:
        self.plan = plan or FaultPlan()
        self.requests: Counter[str] = Counter()
        self.forwarded: Counter[str] = Counter()  # requests that reached the upstream (and may have taken effect)
        self.faults: Counter[str] = Counter()
        self.per_second: defaultdict[str, Counter[int]] = defaultdict(Counter)
        self.bytes_sent = 0  # request bodies from the client
        self.bytes_received = 0  # response bodies to the client
        self._random = random.Random(self.plan.seed)
        self._buckets: dict[str, tuple[float, float]] = {}  # operation -> (tokens, last refill)
        self._lock = threading.Lock()

    # -- counters --------------------------------------------------------------------------
    @property
    def total_faults(self) -> int:
        return sum(self.faults.values())

    def peak_rate(self, operation: str, *, since: float = 0.0) -> int:
        """The most requests for ``operation`` received within one wall-clock second (from ``since``)."""
        seconds = self.per_second.get(operation, Counter())
        return max((n for second, n in seconds.items() if second >= int(since)), default=0)

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.forwarded.clear()
            self.faults.clear()
            self.per_second.clear()
            self.bytes_sent = self.bytes_received = 0

    def _received(self, operation: str, authorization: str, body_bytes: int) -> str | None:
        """Count a request; the fault it gets (None: answered for real)."""
        fault = self._choose(operation, authorization)
        with self._lock:
            self.requests[operation] += 1
            self.per_second[operation][int(time.time())] += 1  # requests per wall-clock second: real time
            self.bytes_sent += body_bytes
            if fault is not None:
                self.faults[fault] += 1
        return fault

    def _answered(self, body_bytes: int) -> None:
        with self._lock:
            self.bytes_received += body_bytes

    def _choose(self, operation: str, authorization: str) -> str | None:
        plan = self.plan
        if plan.refused_keys:
            match = _CREDENTIAL_RE.search(authorization)
            if match and match.group(1) in plan.refused_keys:
                return REFUSED_KEY
        if operation in plan.quotas and not self._take_token(operation, plan.quotas[operation]):
            return QUOTA
        if plan.rate <= 0 or (plan.operations is not None and operation not in plan.operations):
            return None
        if self._random.random() >= plan.rate:
            return None
        kinds = [k for k in plan.kinds if k != PARTIAL or operation == "GetMetricData"] or [THROTTLE_400]
        return self._random.choice(kinds)

    def _take_token(self, operation: str, per_second: float) -> bool:
        """A token bucket per operation, of one second's capacity: AWS's request-rate quota."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(operation, (per_second, now))
            tokens = min(per_second, tokens + (now - last) * per_second)
            allowed = tokens >= 1
            self._buckets[operation] = (tokens - 1 if allowed else tokens, now)
        return allowed


class FaultProxy(FaultCounts):
    """``with FaultProxy(upstream) as proxy:`` … ``proxy.endpoint_url``; change ``proxy.plan`` at any time.

    Runs its own event loop in a thread, so the client under test shares nothing with it. Counts: see
    ``FaultCounts``.
    """

    def __init__(self, upstream: str, plan: FaultPlan | None = None) -> None:
        super().__init__(plan)
        self.upstream = upstream.rstrip("/")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None
        self._port = 0

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> str:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="fault-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fault proxy did not start within 10 s")
        return self.endpoint_url

    def _serve(self, ready: threading.Event) -> None:
        loop = self._loop  # ``stop`` may forget it before this thread has finished closing
        assert loop is not None
        asyncio.set_event_loop(loop)
        loop.run_until_complete(self._open())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(self._close())
        loop.close()

    async def _open(self) -> None:
        self._session = ClientSession(timeout=ClientTimeout(total=60), auto_decompress=False)
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # stop() cancels what is still in flight (a forward-hang answer that never comes) after a moment,
        # instead of aiohttp's 60 s wait that outlasted stop()'s 10 s join and left the thread running
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=STOP_GRACE_S)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop = self._thread = None

    def __enter__(self) -> FaultProxy:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    # -- the handler -----------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        operation, protocol = identify(request.headers, request.path, body)
        fault = self._received(operation, request.headers.get("Authorization", ""), len(body))
        if (answer := error_answer(fault, protocol)) is not None:
            return self._answer(*answer)
        if fault == SLOW:
            await asyncio.sleep(self.plan.slow_seconds)
            return self._answer(*error_body(protocol, 503, "ServiceUnavailable", "too late"))
        if fault == RESET:
            assert request.transport is not None
            request.transport.abort()
            raise asyncio.CancelledError  # aiohttp drops the half-open exchange quietly
        if fault == MALFORMED:
            return self._answer(*malformed_answer(protocol))
        if operation in STREAMING_OPERATIONS and fault is None:
            with self._lock:
                self.forwarded[operation] += 1
            return await self._relay_stream(request, body)
        status, headers, answer = await self._forward(request, body)
        with self._lock:
            self.forwarded[operation] += 1
        if fault in FORWARD_KINDS:
            return await self._lose_answer(request, protocol, fault)
        if fault == PARTIAL:
            answer = marked_partial(answer)
        if fault == TRUNCATED and len(answer) > 2:
            response = web.StreamResponse(status=status, headers=headers)
            response.content_length = len(answer)
            try:
                await response.prepare(request)
                await response.write(answer[: len(answer) // 2])
            except ConnectionError:
                pass  # the client gave up first (its read timeout): it saw a broken answer all the same
            if request.transport is not None:
                request.transport.abort()
            return response
        return self._answer(status, headers, answer)

    async def _lose_answer(self, request: web.Request, protocol: str, fault: str) -> web.StreamResponse:
        """The request took effect upstream; the client gets no readable answer."""
        if fault == FORWARD_500:
            return self._answer(*error_body(protocol, *_ERRORS[HTTP_500]))
        if fault == FORWARD_MALFORMED:
            return self._answer(200, {"Content-Type": _CONTENT_TYPES[protocol]}, b'{"service": {"serviceArn\x00<<cut')
        if fault == FORWARD_HANG:
            await asyncio.sleep(self.plan.slow_seconds)
        if request.transport is None:  # the client gave up first (its read timeout)
            raise asyncio.CancelledError
        request.transport.abort()
        raise asyncio.CancelledError  # aiohttp drops the half-open exchange quietly

    async def _forward(self, request: web.Request, body: bytes) -> tuple[int, dict[str, str], bytes]:
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        async with self._session.request(
            request.method, self.upstream + request.path_qs, headers=headers, data=body, allow_redirects=False
        ) as upstream:
            answer = await upstream.read()
            out = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP_HEADERS}
            return upstream.status, out, answer

    async def _relay_stream(self, request: web.Request, body: bytes) -> web.StreamResponse:
        """An event stream (StartLiveTail) relayed frame by frame as it comes, until either side closes."""
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        async with self._session.request(
            request.method, self.upstream + request.path_qs, headers=headers, data=body, allow_redirects=False,
            timeout=ClientTimeout(total=None, sock_read=60),
        ) as upstream:  # fmt: skip
            out = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP_HEADERS}
            response = web.StreamResponse(status=upstream.status, headers=out)
            try:
                await response.prepare(request)
                async for chunk in upstream.content.iter_any():
                    with self._lock:
                        self.bytes_received += len(chunk)
                    await response.write(chunk)
            except (ConnectionError, ClientError, TimeoutError):
                pass  # either side went away: the stream ends, as it would between the app and AWS
            return response

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> web.Response:
        self._answered(len(body))
        return web.Response(status=status, headers=headers, body=body)


_CONTENT_TYPES = {"json": "application/x-amz-json-1.1", "cbor": "application/cbor", "query": "text/xml"}
# The faults answered at once with an AWS error: (HTTP status, error code, message).
_ERRORS = {
    THROTTLE_400: (400, "ThrottlingException", "Rate exceeded"),  # "Throttling" in the query protocol
    QUOTA: (400, "ThrottlingException", "Rate exceeded"),
    THROTTLE_429: (429, "TooManyRequestsException", "Too many requests"),
    HTTP_500: (500, "InternalFailure", "The request processing has failed"),
    HTTP_503: (503, "ServiceUnavailable", "Service is unavailable, try again later"),
    EXPIRED: (400, "ExpiredTokenException", "The security token included in the request is expired"),
    REFUSED_KEY: (400, "ExpiredTokenException", "The security token included in the request is expired"),
}
Answer = tuple[int, dict[str, str], bytes]  # HTTP status, headers, body


def error_answer(fault: str | None, protocol: str) -> Answer | None:
    """The AWS error answer of a fault answered at once (throttling, 5xx, expired token), else None."""
    if fault not in _ERRORS:
        return None
    status, code, message = _ERRORS[fault]
    if protocol == "query" and code == "ThrottlingException":
        code = "Throttling"
    return error_body(protocol, status, code, message)


def error_body(protocol: str, status: int, code: str, message: str) -> Answer:
    """An AWS error as each protocol encodes it (JSON 1.1, rpc-v2-CBOR, query XML)."""
    headers = {"Content-Type": _CONTENT_TYPES[protocol], "x-amzn-RequestId": "fault-proxy"}
    if protocol == "query":
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
            "<RequestId>fault-proxy</RequestId></ErrorResponse>"
        ).encode()
    elif protocol == "cbor":
        headers["smithy-protocol"] = "rpc-v2-cbor"
        body = cbor_text_map({"__type": code, "message": message})
    else:
        headers["x-amzn-ErrorType"] = code
        body = f'{{"__type": "{code}", "message": "{message}"}}'.encode()
    return status, headers, body


def malformed_answer(protocol: str) -> Answer:
    """HTTP 200 with a body that is not the protocol's encoding."""
    return 200, {"Content-Type": _CONTENT_TYPES[protocol]}, b'{"events": [{"timest\x00<<not the format'


def marked_partial(answer: bytes) -> bytes:
    """A GetMetricData answer (CBOR or JSON) with every result's StatusCode ``PartialData``."""
    return answer.replace(b"\x68Complete", b"\x6bPartialData").replace(b'"Complete"', b'"PartialData"')


def identify(headers: object, path: str, body: bytes) -> tuple[str, str]:
    """(operation, protocol) of an AWS request: ``X-Amz-Target`` (JSON), ``/operation/X`` (CBOR), ``Action=`` (query)."""
    target = headers.get("X-Amz-Target", "")  # type: ignore[attr-defined]
    if target:
        return target.rsplit(".", 1)[-1], "json"
    if match := _CBOR_OPERATION_RE.search(path):
        return match.group(1), "cbor"
    action = parse_qs(body.decode(errors="replace")).get("Action", [""])[0]
    return action or "unknown", "query"


def cbor_text_map(values: dict[str, str]) -> bytes:
    """A CBOR map of short text keys and values (what an rpc-v2-cbor error body needs)."""

    def text(value: str) -> bytes:
        raw = value.encode()
        if len(raw) < 24:
            return bytes([0x60 + len(raw)]) + raw
        if len(raw) < 256:
            return bytes([0x78, len(raw)]) + raw
        return bytes([0x79]) + len(raw).to_bytes(2, "big") + raw

    assert len(values) < 24
    return bytes([0xA0 + len(values)]) + b"".join(text(k) + text(v) for k, v in values.items())


def summary(counts: Counter[str], order: Iterable[str] = (*ALL_RANDOM_KINDS, REFUSED_KEY, QUOTA)) -> str:
    """``throttle-400 1234, http-500 567, …`` in a fixed order, kinds never seen left out."""
    return ", ".join(f"{kind} {counts[kind]}" for kind in order if counts[kind])
