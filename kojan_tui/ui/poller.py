"""The one scheduler for every polled source (service, metrics, logs, checks): plain asyncio, no Textual.

Each source runs one loop: poll, deliver, then wait its interval (or a "refresh now"). A poll is never
started while the previous one of the same source runs, and nothing cancels a slow one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.freshness import SourceFreshness, next_delay

T = TypeVar("T")
FreshnessListener = Callable[[str, SourceFreshness], None]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(eq=False)
class Source(Generic[T]):
    name: str
    interval_s: float
    fetch: Callable[[], Awaitable[T]]
    deliver: Callable[[T], None]
    freshness: SourceFreshness
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Condition = field(default_factory=asyncio.Condition)
    completed: int = 0  # polls finished (success or failure)
    in_flight: bool = False
    task: asyncio.Task[None] | None = None


class Poller:
    """Register sources, ``start()`` inside the running loop, ``await stop()`` on exit.

    ``fetch`` does the I/O and may raise ``AwsFailure``; ``deliver`` gets the result on the event loop
    (so it may touch widgets). Failures only mark that source stale, via ``on_freshness``.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = utc_now,
        on_freshness: FreshnessListener | None = None,
        on_internal_error: Callable[[str, BaseException], None] | None = None,
    ) -> None:
        self.clock = clock
        self.on_freshness = on_freshness
        self.on_internal_error = on_internal_error
        self.sources: dict[str, Source[Any]] = {}
        self._running = False

    def register(
        self, name: str, interval_s: float, fetch: Callable[[], Awaitable[T]], deliver: Callable[[T], None]
    ) -> Source[T]:
        """Add a source; it starts polling at once if the poller runs. Names are unique."""
        if name in self.sources:
            raise ValueError(f"source {name!r} is already registered")
        source = Source(name, interval_s, fetch, deliver, SourceFreshness(name))
        self.sources[name] = source
        if self._running:
            source.task = asyncio.create_task(self._run(source), name=f"poll:{name}")
        return source

    async def unregister(self, name: str) -> None:
        source = self.sources.pop(name, None)
        if source is not None and source.task is not None:
            source.task.cancel()
            await asyncio.gather(source.task, return_exceptions=True)

    def set_interval(self, name: str, interval_s: float) -> None:
        self.sources[name].interval_s = interval_s

    def freshness(self, name: str) -> SourceFreshness:
        return self.sources[name].freshness

    def start(self) -> None:
        self._running = True
        for source in self.sources.values():
            if source.task is None:
                source.task = asyncio.create_task(self._run(source), name=f"poll:{source.name}")

    async def stop(self) -> None:
        self._running = False
        tasks = [s.task for s in self.sources.values() if s.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for source in self.sources.values():
            source.task = None

    def poll_soon(self, name: str) -> None:
        """Cut the source's wait short: it polls again as soon as its current poll (if any) ends."""
        self.sources[name].wake.set()

    async def refresh_now(self, names: Iterable[str] | None = None, *, wait: bool = False) -> None:
        """Poll the named sources (all by default) as soon as each is free; with ``wait``, until they did.

        A source busy polling finishes that poll, then polls once more at once (its data may predate
        the request, e.g. a chart window change), never twice in parallel.
        """
        if wait and not self._running:
            raise RuntimeError("refresh_now(wait=True) before start(): nothing would ever poll")
        chosen = [self.sources[n] for n in (names if names is not None else list(self.sources))]
        targets = {s.name: s.completed + (2 if s.in_flight else 1) for s in chosen}
        for source in chosen:
            self.poll_soon(source.name)
        if wait:
            for source in chosen:
                async with source.done:
                    await source.done.wait_for(lambda s=source: s.completed >= targets[s.name])

    async def _run(self, source: Source[Any]) -> None:
        while True:
            source.wake.clear()
            await self._poll(source)
            delay = next_delay(source.interval_s, source.freshness)
            try:
                await asyncio.wait_for(source.wake.wait(), timeout=delay)
            except TimeoutError:
                pass

    async def _poll(self, source: Source[Any]) -> None:
        source.in_flight = True
        try:
            result = await source.fetch()
            source.deliver(result)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # AwsFailure: stale; anything else is a bug, reported but survived
            source.freshness.record_failure(self.clock(), error)
            if not isinstance(error, AwsFailure) and self.on_internal_error is not None:
                self.on_internal_error(source.name, error)
        else:
            source.freshness.record_success(self.clock())
        finally:
            source.in_flight = False
        source.completed += 1
        async with source.done:
            source.done.notify_all()
        if self.on_freshness is not None:
            self.on_freshness(source.name, source.freshness)
