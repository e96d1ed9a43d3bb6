"""Where deployments fall on a chart: each deployment's createdAt as a fraction of the chart's time span,
so "did it start with the deploy?" reads at a glance. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from kojan_tui.core.models import ServiceSnapshot


def deploy_times(service: ServiceSnapshot | None, extra: Iterable[datetime | None] = ()) -> tuple[datetime, ...]:
    """The createdAt of every deployment the service lists (PRIMARY and ACTIVE), and ``extra`` ones, sorted."""
    times = {d.created_at for d in (service.deployments if service else ()) if d.created_at is not None}
    times.update(t for t in extra if t is not None)
    return tuple(sorted(times))


def marker_fractions(timestamps: Sequence[datetime], deploys: Iterable[datetime], period_s: float = 60.0) -> tuple[float, ...]:
    """0.0 (first datapoint) … 1.0 (newest) for each deploy inside the charted span (the last period included)."""
    if len(timestamps) < 2:
        return ()
    first, last = timestamps[0], timestamps[-1]
    span = (last - first).total_seconds()
    if span <= 0:
        return ()
    fractions = []
    for deploy in deploys:
        offset = (deploy - first).total_seconds()
        if 0 <= offset <= span + period_s:
            fractions.append(min(1.0, offset / span))
    return tuple(fractions)
