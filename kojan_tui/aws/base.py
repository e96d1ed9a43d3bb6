"""What every per-service part of the gateway shares: one aiobotocore session, lazily opened clients,
the one place an API is called and its failure mapped, request counting, and credential recovery.

A CREDENTIALS failure (expired SSO token, rotated keys) drops the cached clients: the next call opens new
ones from a new session, so `aws sso login` or new keys take effect without restarting the app.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from contextlib import AsyncExitStack
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore import xform_name
from botocore.loaders import Loader, create_loader

from kojan_tui import __version__
from kojan_tui.aws.errors import to_failure
from kojan_tui.aws.shape import check_answer
from kojan_tui.core.config import AwsSettings
from kojan_tui.core.errors import FailureKind

CREDENTIAL_RESET_MIN_INTERVAL_S = 10.0  # re-resolve credentials at most this often while they keep failing


class AwsBase:
    """Build it anywhere (cheap, synchronous); clients are opened inside the running event loop on first
    use and belong to that loop; ``close()`` (idempotent) closes them. ``requests`` counts the HTTP
    requests actually sent per API operation (retries included), from botocore's ``before-send`` event.
    """

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
        self.credential_resets = 0
        self._static_credentials = static_credentials
        self._session = self._new_session()
        self._client_config = AioConfig(
            retries={"mode": "adaptive", "total_max_attempts": settings.max_attempts},  # first try included
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            max_pool_connections=max_pool_connections,
            user_agent_extra=f"kojan-tui/{__version__}",
        )
        self._clients: dict[str, Any] = {}
        self._stack: AsyncExitStack | None = None
        self._retired: AsyncExitStack | None = None  # the clients before the last credential reset
        self._last_reset = float("-inf")
        self._lock = asyncio.Lock()

    def _new_session(self) -> AioSession:
        session = _isolated_session() if self._static_credentials else AioSession(profile=self.settings.profile)
        session.register_component("data_loader", _shared_loader())
        return session

    async def _client(self, service: str) -> Any:
        client = self._clients.get(service)
        if client is not None:
            return client
        async with self._lock:
            if service not in self._clients:
                if self._stack is None:
                    self._stack = AsyncExitStack()
                kwargs: dict[str, Any] = {"region_name": self.settings.region, "config": self._client_config}
                if self.settings.endpoint_url:
                    kwargs["endpoint_url"] = self.settings.endpoint_url
                if self._static_credentials:
                    kwargs["aws_access_key_id"], kwargs["aws_secret_access_key"] = self._static_credentials
                client = await self._stack.enter_async_context(self._session.create_client(service, **kwargs))
                client.meta.events.register("before-send", self._count_request)
                self._clients[service] = client
            return self._clients[service]

    def _count_request(self, event_name: str = "", **_: Any) -> None:
        self.requests[event_name.rsplit(".", 1)[-1]] += 1  # before-send.<service>.<Operation>

    async def _call(self, aws_service: str, operation: str, /, **params: Any) -> dict:
        """The one place an AWS API is called and its exceptions mapped."""
        try:
            client = await self._client(aws_service)
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
        for stack in stacks:
            await _close_quietly(stack)

    async def __aenter__(self) -> AwsBase:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


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


def _isolated_session() -> AioSession:
    """A session that ignores the user's AWS profiles and config files (for the demo's dummy credentials)."""
    return AioSession(
        session_vars={
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
            "credentials_file": (None, None, os.devnull, None),
        }
    )
