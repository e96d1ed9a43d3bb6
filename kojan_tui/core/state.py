"""What the app publishes to its screens: one frozen snapshot of everything the dashboard knows.

Screens depend on ``DashboardState`` (and ``SourceName``), never on the app class: the app builds a new
state whenever a source delivers, a poll ends or the context changes, and publishes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from types import MappingProxyType

from kojan_tui.core.alerts import AlertUpdate
from kojan_tui.core.dashboard import DashboardData, DashboardView, no_data_text
from kojan_tui.core.freshness import SourceFreshness


class SourceName(str, Enum):
    """The dashboard's polled sources (also the names they have on the poller)."""

    IDENTITY = "identity"
    SERVICE = "service"
    METRICS = "metrics"
    DATABASE = "database"
    ERRORS = "errors"
    LOGS = "logs"
    SCALING = "scaling"  # S16: the newest scaling activity, for the service panel
    SLO = "slo"  # issue 27: the error budget's long window at 1-hour periods, fetched every 5 minutes
    TASKS = "tasks"  # S08/S09: the stopped tasks, for the service panel's "N tasks stopped in the last hour"


# What the verdicts (the alert bar's, S25's) judge: unknown here means they cannot say "nothing holds".
JUDGED_SOURCES = (SourceName.SERVICE, SourceName.METRICS, SourceName.ERRORS, SourceName.DATABASE)


@dataclass(frozen=True)
class AppContext:
    """Where the app points: shown on every screen's top line."""

    profile: str | None
    account: str | None
    region: str
    cluster: str
    service: str
    read_only: bool
    demo_scenario: str | None  # None: not a demo
    window: str
    clock_text: str = ""
    badge: str | None = None  # e.g. "REPLAY ER-008 · 5/120": shown first, so a replay is never taken for live
    rollout: str | None = None  # the rollout watch's one line (S26/S09), while one runs and after it ended
    config_source: str = "<defaults>"  # the config file in use (issue 20: always shown)
    endpoint: str | None = None  # the endpoint when it is not AWS's own, with where it was set
    notices: tuple[str, ...] = ()  # what runs in the background and matters on every screen: "INCIDENT ER-042 open"
    environment: str = ""  # issue 26: the fleet service's environment (production, staging…); "": a single service


@dataclass(frozen=True)
class DashboardState:
    data: DashboardData
    view: DashboardView
    alerts: AlertUpdate
    context: AppContext
    freshness: Mapping[str, SourceFreshness] = field(default_factory=lambda: MappingProxyType({}))
    changed: str | None = None  # the source (or "context") whose news made this state

    @property
    def window(self) -> str:
        return self.context.window

    def stale_text(self, source: str, now: datetime) -> str | None:
        """``STALE 42s — throttled`` for a source whose newest poll failed (or is overdue), else None."""
        freshness = self.freshness.get(source)
        return freshness.stale_text(now) if freshness is not None else None

    def panel_stale_text(self, sources: tuple[str, ...], now: datetime) -> str | None:
        """The stale text of a panel fed by several ``sources``: the first failing one's (its own reason), else
        the first overdue one's (``waiting for AWS``), else None. A failure is never hidden behind a wait."""
        failing = [name for name in sources if name in self.freshness and self.freshness[name].stale]
        for name in failing or sources:
            text = self.stale_text(name, now)
            if text is not None:
                return text
        return None

    def stale_reasons(self, sources: tuple[str, ...], now: datetime) -> list[str]:
        """Why each of ``sources`` is not current, failures first (never hidden behind a ``waiting for AWS``)."""
        known = [self.freshness[name] for name in sources if name in self.freshness]
        ordered = [f for f in known if f.stale] + [f for f in known if not f.stale]
        return [reason for f in ordered if (reason := f.stale_reason(now)) is not None]

    def waiting(self, sources: tuple[str, ...]) -> bool:
        """Some of ``sources`` has not answered its first poll yet."""
        return any(name not in self.freshness or self.freshness[name].polls == 0 for name in sources)

    def unjudged_reason(self, now: datetime, sources: tuple[str, ...] = JUDGED_SOURCES) -> str:
        """Why a verdict on ``sources`` cannot be taken as current ("" when it can): a failing or overdue source,
        the first poll still running, or items without a current datapoint. Unknown is never "nothing holds"."""
        return no_data_text(self.view, self.stale_reasons(sources, now), self.waiting(sources))

    def measured(self, source: str) -> bool:
        freshness = self.freshness.get(source)
        return freshness is not None and freshness.measured


def freeze_freshness(freshness: Mapping[str, SourceFreshness]) -> Mapping[str, SourceFreshness]:
    """A read-only copy that later polls cannot change under a published state."""
    return MappingProxyType({name: _copy(f) for name, f in freshness.items()})


def _copy(freshness: SourceFreshness) -> SourceFreshness:
    from dataclasses import replace

    return replace(freshness)
