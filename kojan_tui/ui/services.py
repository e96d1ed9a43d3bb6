"""What the app hands to its screens and capabilities: no screen imports the app class.

``AppServices`` bundles the shared objects (config, gateway, clock, the log feed, the published state,
the event bus, the audited actions and the mutation lifecycles); ``StateChannel`` is the one published ``DashboardState``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from textual.dom import DOMNode
from textual.signal import Signal

from kojan_tui.actions.audited import AuditedActions
from kojan_tui.actions.lifecycle import Lifecycles
from kojan_tui.aws.protocol import Gateway
from kojan_tui.core.clock import Clock
from kojan_tui.core.config import Config
from kojan_tui.core.events import EventBus
from kojan_tui.core.localtime import clock
from kojan_tui.core.state import AppContext, DashboardState
from kojan_tui.sources.logs import LogFeed
from kojan_tui.sources.rollout import RolloutWatch
from kojan_tui.store.database import LazyDatabase


class StateChannel:
    """The newest ``DashboardState`` and a signal that carries each new one to subscribed screens."""

    def __init__(self, owner: DOMNode, initial: DashboardState) -> None:
        self.current = initial
        self.owner = owner
        self.signal: Signal[DashboardState] = Signal(owner, "dashboard-state")

    def publish(self, state: DashboardState) -> None:
        self.current = state
        self.signal.publish(state)

    def subscribe(self, node: DOMNode, callback: Callable[[DashboardState], Any]) -> None:
        self.signal.subscribe(node, callback)


@dataclass(frozen=True)
class AppServices:
    config: Config
    gateway: Gateway
    clock: Clock
    log_feed: LogFeed
    state: StateChannel
    events: EventBus
    actions: AuditedActions
    database: LazyDatabase | None = None  # the SQLite home of runs, incidents, recordings
    demo: Any = None  # the embedded AWS of --demo (None against real AWS)
    rollout: RolloutWatch | None = None  # the rollout watch after a rollback / forced deployment (on the poller)
    lifecycles: Lifecycles | None = None  # every mutation's lifecycle: the guard, the read back, the resume
    extensions: dict[str, Any] = field(default_factory=dict)  # what capabilities install (recorders, watches…)

    def replace_config(self, config: Config) -> None:
        """The one sanctioned change of these services: a new config (the UI language switched live, by the app).
        Screens read ``services.config`` when they draw, so they all see it."""
        object.__setattr__(self, "config", config)

    def context(self) -> AppContext:
        """The top line's context with the current time."""
        now = self.clock()
        watched = self.rollout.status if self.rollout is not None else None
        return replace(
            self.state.current.context,
            clock_text=clock(now, self.config.ui.timezone),  # HH:MM JST, to the minute: a ticking second repainted every second
            rollout=watched.line(now) if watched is not None else None,
            notices=tuple(
                notice
                for extension in self.extensions.values()
                if callable(badge := getattr(extension, "context_badge", None)) and (notice := badge())
            ),
        )
