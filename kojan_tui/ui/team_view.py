"""``--team`` (issue 25): the dashboard from the collector's frames, and a line on every screen's top bar saying
whether it reads frames or polls AWS itself (the collector silent). Installed on mount; off without ``--team``."""

from __future__ import annotations

from typing import Any

from kojan_tui.core.frames import refresh_of
from kojan_tui.sources.team_frames import FrameFeed
from kojan_tui.store.frames import FrameTable
from kojan_tui.ui.capabilities import Capability
from kojan_tui.ui.services import AppServices

EXTENSION = "team-view"


class TeamView:
    """The frame feed and its context-bar notice (``AppServices.context`` collects ``context_badge``)."""

    def __init__(self, feed: FrameFeed, services: AppServices) -> None:
        self.feed = feed
        self.services = services

    def context_badge(self) -> str:
        return self.feed.mode.line(self.services.clock(), self.services.config.ui.language)


def install(app: Any) -> None:
    services: AppServices = app.services
    config = services.config
    if not (config.team.frames and config.team.table):
        return
    table = FrameTable(services.gateway, config.team.table, config.service.cluster, config.service.name)
    refresh = refresh_of(config.refresh.service_seconds, config.refresh.metrics_seconds)
    feed = FrameFeed(table, app.sources, app.poller, clock=services.clock, refresh_s=refresh)
    feed.register()  # on mount, before the poller's first turn: the published sources never poll unasked
    services.extensions[EXTENSION] = TeamView(feed, services)


def team_view_of(services: AppServices) -> TeamView | None:
    return services.extensions.get(EXTENSION)


TEAM_VIEW = Capability(
    name="team-view",
    description="Team frames",
    open=lambda app: None,
    enabled=lambda app: False,  # nothing to open: it only feeds the dashboard
    install=install,
)
