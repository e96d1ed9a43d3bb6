"""What every per-service part of the gateway shares: one aiobotocore session, lazily opened clients,
the one place an API is called and its failure mapped, request counting, and credential recovery.

Only ``AwsFailure`` leaves a public method of any part: an answer that cannot be converted (a missing key,
``int("x")``, ``None`` where a dict belongs) becomes an UNAVAILABLE failure naming the operation.

A CREDENTIALS failure (expired SSO token, rotated keys) drops the cached clients: the next call opens new
ones from a new session, so `aws sso login` or new keys take effect without restarting the app.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import os
import time
from collections import Counter
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore import xform_name
from botocore.loaders import Loader, create_loader
from botocore.parsers import ResponseParserError
from botocore.utils import parse_timestamp

from kojan_tui import __version__
from kojan_tui.aws.errors import to_failure
from kojan_tui.aws.limits import RequestLimits
from kojan_tui.aws.shape import check_answer
from kojan_tui.core.config import AwsSettings
from kojan_tui.core.config_rules import endpoint_problem
from kojan_tui.core.endpoints import EndpointSetting, configured_endpoints
from kojan_tui.core.errors import AwsFailure, FailureKind

STREAM_READ_TIMEOUT_S = 30.0  # an event stream silent this long is dead (Live Tail sends an update every second)
CREDENTIAL_RESET_MIN_INTERVAL_S = 10.0  # re-resolve credentials at most this often while they keep failing
UNREADABLE_ANSWER_CODE = "UnreadableAnswer"
log = logging.getLogger(__name__)


def only_aws_failures(method: Any) -> Any:
    """Wrap a public gateway coroutine so that any non-``AwsFailure`` exception leaves as an ``AwsFailure``.

    Cancellation (a BaseException) passes through untouched.
    """

    @functools.wraps(method)
    async def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await method(self, *args, **kwargs)
        except AwsFailure:
            raise
        except Exception as exc:
            log.warning("%s: unreadable answer", method.__name__, exc_info=True)
            detail = f"{type(exc).__name__}: {exc}"
            raise AwsFailure(
                FailureKind.UNAVAILABLE,
                f"AWS answered but the answer could not be read ({detail[:200]})",
                code=UNREADABLE_ANSWER_CODE,
                operation=method.__name__,
            ) from exc

    guarded.__only_aws_failures__ = True  # type: ignore[attr-defined]
    return guarded


class AwsBase:
    """Build it anywhere (cheap, synchronous); clients are opened inside the running event loop on first
    use and belong to that loop; ``close()`` (idempotent) closes them. ``requests`` counts the HTTP
    requests actually sent per API operation (retries included), from botocore's ``before-send`` event,
    each after waiting for its slot in ``limits`` (one set of per-operation limits for every caller).
    Every public coroutine a part defines is wrapped by ``only_aws_failures`` when the part is declared.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if not name.startswith("_") and name != "close" and inspect.iscoroutinefunction(member):
                if not getattr(member, "__only_aws_failures__", False):
                    setattr(cls, name, only_aws_failures(member))

    def __init__(
        self,
        settings: AwsSettings,
        *,
        read_only: bool = False,
        static_credentials: tuple[str, str] | None = None,
        max_pool_connections: int = 10,
    ) -> None:
        self.settings = settings
        self.read_only = read_only
        self.requests: Counter[str] = Counter()
        self.limits = RequestLimits(settings.log_requests_per_second)
        self.credential_resets = 0
        self.service_regions: dict[str, str] = {}  # a service in another region than settings.region ([team] region)
        self._static_credentials = static_credentials
        self._session = self._new_session()
        self._client_config = AioConfig(
            retries={"mode": "adaptive", "total_max_attempts": settings.max_attempts},  # first try included
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            max_pool_connections=max_pool_connections,
            user_agent_extra=f"kojan-tui/{__version__}",
        )
        # Mutations are never retried by botocore: a retried UpdateService after a lost answer could
        # deploy twice. The caller (kojan_tui.actions) reports such an outcome as unknown instead.
        self._mutation_config = self._client_config.merge(AioConfig(retries={"mode": "standard", "total_max_attempts": 1}))
        self._clients: dict[str, Any] = {}
        self._stack: AsyncExitStack | None = None
        self._retired: AsyncExitStack | None = None  # the clients before the last credential reset
        self._last_reset = float("-inf")
        self._lock = asyncio.Lock()

    def _new_session(self) -> AioSession:
        session = _isolated_session() if self._static_credentials else AioSession(profile=self.settings.profile)
        session.register_component("data_loader", _shared_loader())
        session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=utc_timestamp)
        return session

    def endpoint_settings(self) -> tuple[EndpointSetting, ...]:
        """Every endpoint botocore would use instead of AWS's own: the explicit one, else the environment's
        and the profile's (``core.endpoints`` judges them)."""
        if self.settings.endpoint_url:
            return configured_endpoints(self.settings.endpoint_url, os.environ)
        if self._static_credentials:  # the isolated session reads no profile
            return configured_endpoints(None, os.environ)
        try:
            scoped = self._session.get_scoped_config()
            services = self._session.full_config.get("services", {}).get(scoped.get("services"), {})
        except Exception:  # noqa: BLE001 - a missing profile is reported by the first call, not here
            scoped, services = {}, {}
        label = f"profile {self.settings.profile or os.environ.get('AWS_PROFILE') or 'default'} in the AWS config file"
        return configured_endpoints(None, os.environ, scoped, services, profile_label=label)

    async def _client(self, service: str, *, mutation: bool = False, stream: bool = False) -> Any:
        """``stream``: a client of its own for a long-lived event stream (StartLiveTail), never retried by
        botocore (the caller reconnects), so it holds no connection of the shared pool for hours."""
        key = f"{service}!mutation" if mutation else f"{service}!stream" if stream else service
        client = self._clients.get(key)
        if client is not None:
            return client
        async with self._lock:
            if key not in self._clients:
                if self._stack is None:
                    self._stack = AsyncExitStack()
                config = self._mutation_config if mutation else self._stream_config() if stream else self._client_config
                region = self.service_regions.get(service, self.settings.region)
                kwargs: dict[str, Any] = {"region_name": region, "config": config}
                if self.settings.endpoint_url:
                    kwargs["endpoint_url"] = self.settings.endpoint_url
                if self._static_credentials:
                    kwargs["aws_access_key_id"], kwargs["aws_secret_access_key"] = self._static_credentials
                client = await self._stack.enter_async_context(self._session.create_client(service, **kwargs))
                if problem := endpoint_problem(client.meta.endpoint_url):  # however botocore chose it
                    raise AwsFailure(FailureKind.INVALID_REQUEST, f"{service} endpoint refused: {problem}")
                client.meta.events.register("before-send", self.limits.before_send)  # first: wait for the slot
                client.meta.events.register("before-send", self._count_request)
                client.meta.events.register("before-parse", _refuse_unparsable_json)
                self._clients[key] = client
            return self._clients[key]

    def _stream_config(self) -> AioConfig:
        # An operation with an endpoint host prefix (StartLiveTail's "stream-") would be sent to
        # stream-127.0.0.1 on an endpoint that is not AWS's own: prefix only AWS's hosts.
        return self._mutation_config.merge(
            AioConfig(inject_host_prefix=not self.endpoint_settings(), read_timeout=STREAM_READ_TIMEOUT_S, max_pool_connections=2)
        )

    def _count_request(self, event_name: str = "", **_: Any) -> None:
        self.requests[event_name.rsplit(".", 1)[-1]] += 1  # before-send.<service>.<Operation>

    async def _call(
        self, aws_service: str, operation: str, /, *, mutation: bool = False, stream: bool = False, **params: Any
    ) -> dict:
        """The one place an AWS API is called and its exceptions mapped (``mutation``: sent once, never retried;
        ``stream``: on the event-stream client)."""
        try:
            client = await self._client(aws_service, mutation=mutation, stream=stream)
            answer = await getattr(client, xform_name(operation))(**params)
        except Exception as exc:  # CancelledError is a BaseException and passes through untouched
            failure = to_failure(exc, operation)
            if failure.kind is FailureKind.CREDENTIALS:
                await self._reset_credentials()
            raise failure from exc
        return check_answer(operation, answer)

    async def _reset_credentials(self) -> None:
        """Forget the session and its clients (they cache credentials); at most every few seconds."""
        now = time.monotonic()
        if now - self._last_reset < CREDENTIAL_RESET_MIN_INTERVAL_S:
            return
        async with self._lock:
            self._last_reset = now
            self.credential_resets += 1
            previous, self._retired = self._retired, self._stack  # in-flight calls may still use the last set
            self._stack, self._clients = None, {}
            self._session = self._new_session()
        await _close_quietly(previous)

    async def close(self) -> None:
        stacks = (self._stack, self._retired)
        self._stack, self._retired, self._clients = None, None, {}
        self._lock = asyncio.Lock()  # a closed gateway may be reopened in another event loop
        self.limits.reset()
        for stack in stacks:
            await _close_quietly(stack)

    async def __aenter__(self) -> AwsBase:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def _refuse_unparsable_json(operation_model: Any, response_dict: dict, **_: Any) -> None:
    """botocore turns a 2xx JSON-protocol answer that is not JSON into an empty result instead of failing:
    refuse it here (``before-parse``), or every converter would build a result out of defaults (an empty
    service, no log lines) and present it as fresh."""
    if operation_model.service_model.resolved_protocol not in ("json", "rest-json") or operation_model.has_streaming_output:
        return
    body = response_dict.get("body")
    if response_dict.get("status_code", 0) >= 300 or not isinstance(body, bytes) or not body.strip():
        return
    try:
        json.loads(body)
    except ValueError:
        raise ResponseParserError(f"the answer to {operation_model.name} is not valid JSON ({len(body)} bytes)") from None


async def _close_quietly(stack: AsyncExitStack | None) -> None:
    if stack is not None:
        try:
            await stack.aclose()
        except Exception:  # noqa: S110 - closing must never mask why we are closing
            pass


_LOADER: Loader | None = None


def _shared_loader() -> Loader:
    """One cache of botocore's service models for every gateway in the process (each costs ~60 ms to load)."""
    global _LOADER
    if _LOADER is None:
        _LOADER = create_loader(os.environ.get("AWS_DATA_PATH"))
    return _LOADER


def utc_timestamp(value: object) -> datetime:
    """botocore's timestamp parser without its local time zone: epoch seconds (JSON protocols' timestamps, as
    GetMetricData's thousands of datapoints) become UTC datetimes at once. botocore's own gives each one dateutil's
    ``tzlocal()`` (about 11 µs a timestamp: 3,500 a minute at the default refresh, a tenth of the idle app's CPU);
    every answer goes through ``convert.utc`` anyway. Anything else (ISO 8601, RFC 822): botocore's parser."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            pass
    return parse_timestamp(value)


def _isolated_session() -> AioSession:
    """A session that ignores the user's AWS profiles and config files (for the demo's dummy credentials)."""
    return AioSession(
        session_vars={
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
            "credentials_file": (None, None, os.devnull, None),
        }
    )
