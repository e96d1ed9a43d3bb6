"""The simulated world's one clock, as moto and the fidelity patches read it (in the server process).

``install(clock)`` makes moto's own ``utcnow`` (log stream and ingestion times, ECS service dates, …) read the
world's clock, so every timestamp the embedded AWS keeps is simulated time; moto's HTTP ``Date`` header stays
real (it is the time of the request, not of the world). A patch without a ``World`` at hand asks ``now()``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from kojan_tui.core.clock import ShiftedClock

_clock = ShiftedClock()  # until install(): the wall clock


def now() -> float:
    """The world's time, in epoch seconds."""
    return _clock().timestamp()


def naive_utc(epoch: float | None = None) -> datetime:
    """``epoch`` (default: the world's now) as moto keeps times: a naive UTC ``datetime``."""
    return datetime.fromtimestamp(now() if epoch is None else epoch, UTC).replace(tzinfo=None)


def install(clock: ShiftedClock) -> None:
    global _clock
    _clock = clock
    from moto.core import responses, utils

    original = getattr(utils, "_kojan_wall_utcnow", utils.utcnow)
    utils._kojan_wall_utcnow = original  # type: ignore[attr-defined]

    def world_utcnow() -> datetime:
        return naive_utc()

    utils.utcnow = world_utcnow  # modules imported from now on bind this one
    for name, module in list(sys.modules.items()):  # those imported already bound the original
        if name.startswith("moto.") and getattr(module, "utcnow", None) is original:
            module.utcnow = world_utcnow  # type: ignore[attr-defined]
    responses.utcnow = original  # type: ignore[attr-defined]  # the Date header: real time
