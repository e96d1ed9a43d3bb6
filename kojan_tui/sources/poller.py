"""The one scheduler for every polled source (service, metrics, logs, checks): plain asyncio, no Textual.

Each source runs one loop: poll, deliver, then wait its interval (or a "refresh now"). A poll is never
started while the previous one of the same source runs. A poll that outlives its deadline is cancelled,
recorded as a timeout (the source's panels go stale with their age) and the next one is armed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from kojan_tui.core.clock import Clock, utc_now
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.freshness import POLLING_SOURCE, SourceFreshness, next_delay

T = TypeVar("T")
FreshnessListener = Callable[[str, SourceFreshness], None]

DEADLINE_FACTOR = 4.0  # a poll may take this many intervals...
MIN_DEADLINE_S = 30.0  # ...but never less than this (botocore's own timeouts and retries come first)


def default_deadline(interval_s: float) -> float:
    return max(DEADLINE_FACTOR * interval_s, MIN_DEADLINE_S)


@dataclass(eq=False)
class Source(Generic[T]):
    name: str
    interval_s: float
    fetch: Callable[[], Awaitable[T]]
    deliver: Callable[[T], None]
    freshness: SourceFreshness
    deadline_s: float
    on_failure: Callable[[AwsFailure], None] | None = None  # told of every failure recorded, deadline cuts included
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Condition = field(default_factory=asyncio.Condition)
    completed: int = 0  # polls finished (success, failure or timeout)
    paused: bool = False  # polls nothing until resumed (team mode: the collector's frames feed it instead)
    task: asyncio.Task[None] | None = None

    @property
    def in_flight(self) -> bool:
        return self.freshness.in_flight_since is not None


class Poller:
    """Register sources, ``start()`` inside the running loop, ``await stop()`` on exit.

    ``fetch`` does the I/O and may raise ``AwsFailure``; ``deliver`` gets the result on the event loop
    (so it may touch widgets). Failures only mark that source stale, via ``on_freshness``; an exception
    that is not an ``AwsFailure`` (a bug, in fetch or deliver) is reported to ``on_internal_error`` and
    the source keeps polling.
    """

    def __init__(
        self,
        *,
        clock: Clock = utc_now,
        on_freshness: FreshnessListener | None = None,
        on_internal_error: Callable[[str, BaseException], None] | None = None,
    ) -> None:
        self.clock = clock
        self.on_freshness = on_freshness
        self.on_internal_error = on_internal_error
        self.sources: dict[str, Source[Any]] = {}
        self._running = False

    def register(
        self,
        name: str,
        interval_s: float,
        fetch: Callable[[], Awaitable[T]],
        deliver: Callable[[T], None],
        *,
        deadline_s: float | None = None,
        on_failure: Callable[[AwsFailure], None] | None = None,
    ) -> Source[T]:
        """Add a source; it starts polling at once if the poller runs. Names are unique.

        ``on_failure`` hears of each ``AwsFailure`` the source is marked stale with, including a poll cut off at
        its deadline (its fetch was cancelled, so it could not tell anyone itself)."""
        if name in self.sources:
            raise ValueError(f"source {name!r} is already registered")
        deadline = deadline_s if deadline_s is not None else default_deadline(interval_s)
        source = Source(name, interval_s, fetch, deliver, SourceFreshness(name, interval_s=interval_s), deadline, on_failure)
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
        source = self.sources[name]
        source.interval_s = source.freshness.interval_s = interval_s

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

    def pause(self, names: Iterable[str]) -> None:
        """The named sources poll nothing (a poll running ends as usual) until ``resume``."""
        for name in names:
            self.sources[name].paused = True

    def resume(self, names: Iterable[str]) -> None:
        """The named sources poll again, at once."""
        for name in names:
            source = self.sources[name]
            if source.paused:
                source.paused = False
                source.wake.set()

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
        chosen = [s for s in chosen if not s.paused]  # a paused source would never answer
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
            if source.paused:
                await source.wake.wait()
                continue
            await self._poll(source)
            delay = next_delay(source.interval_s, source.freshness)
            try:
                await asyncio.wait_for(source.wake.wait(), timeout=delay)
            except TimeoutError:
                pass

    async def _poll(self, source: Source[Any]) -> None:
        source.freshness.in_flight_since = self.clock()
        polling = POLLING_SOURCE.set(source.freshness)  # the request limiter marks it while a request waits
        try:
            try:
                # In this task, not one wait_for would make: what the fetch changed (the log feed's failure line)
                # and the freshness recorded below reach listeners in the same turn of the loop, never apart.
                async with asyncio.timeout(source.deadline_s):
                    result = await source.fetch()
            except TimeoutError:
                raise AwsFailure(
                    FailureKind.TIMEOUT, f"no answer within {source.deadline_s:g} s (poll cancelled)", operation=source.name
                ) from None
            source.deliver(result)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # AwsFailure: stale; anything else is a bug, reported but survived
            source.freshness.record_failure(self.clock(), error)
            if not isinstance(error, AwsFailure):
                self._report(source.name, error)
            elif source.on_failure is not None:
                try:
                    source.on_failure(error)
                except Exception as listener_error:  # a listener's bug must not stop the source
                    self._report(source.name, listener_error)
        else:
            source.freshness.record_success(self.clock())
        finally:
            source.freshness.in_flight_since = None
            source.freshness.waiting_for_limit = ""
            POLLING_SOURCE.reset(polling)
        source.completed += 1
        async with source.done:
            source.done.notify_all()
        if self.on_freshness is not None:
            try:
                self.on_freshness(source.name, source.freshness)
            except Exception as error:  # a listener's bug must not stop the source
                self._report(source.name, error)

    def _report(self, name: str, error: BaseException) -> None:
        if self.on_internal_error is not None:
            try:
                self.on_internal_error(name, error)
            except Exception:  # noqa: S110 - reporting must never take the source down with it
                pass
