"""The shared part of the in-memory gateway: call counting, injected failures and delays."""

from __future__ import annotations

import asyncio
from collections import Counter

from kojan_tui.core.errors import AwsFailure


class FakeBase:
    """State is public: tests assign what AWS "has" (per service part) and ``failures``/``delays``."""

    def __init__(self, *, read_only: bool = False) -> None:
        self.read_only = read_only
        # method name -> failure raised by the next calls of it (until removed); an AwsFailure as the protocol
        # says, or any other exception to prove a caller survives a bug
        self.failures: dict[str, AwsFailure | Exception] = {}
        # method name -> seconds each call takes (to test slow AWS, overlapping polls...)
        self.delays: dict[str, float] = {}
        self.calls: Counter[str] = Counter()
        super().__init__()

    async def _enter(self, method: str) -> None:
        self.calls[method] += 1
        delay = self.delays.get(method)
        if delay:
            await asyncio.sleep(delay)
        failure = self.failures.get(method)
        if failure is not None:
            raise failure

    def endpoint_settings(self) -> tuple:
        return ()  # a fake sends nothing anywhere

    async def close(self) -> None:
        self.calls["close"] += 1
