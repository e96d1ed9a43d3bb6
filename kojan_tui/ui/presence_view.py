"""Presence (issue 25) in team mode: this console's item written every service refresh (who, which screen, the
rollout it watches), the others' read back; a line on every screen's top bar ("ALSO OPEN: alice (rollback)",
"ROLLOUT WATCHED BY bob: …"), and the deployment guard refuses to start a rollout while someone else watches one."""

from __future__ import annotations

import socket
import uuid
from typing import Any

from kojan_tui.core.acks import who_from_arn
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.presence import Presence, others, presence_line, rollout_blocked, screen_name
from kojan_tui.incidents.acks import local_user
from kojan_tui.store.presence import PresenceTable
from kojan_tui.ui.capabilities import Capability
from kojan_tui.ui.services import AppServices

EXTENSION = "presence"


class PresenceBoard:
    def __init__(self, table: PresenceTable, services: AppServices, screen: Any) -> None:
        self.table = table
        self.services = services
        self.screen = screen  # () -> the class name of the screen on top
        self.console = uuid.uuid4().hex[:12]
        self.host = socket.gethostname()
        self.present: list[Presence] = []  # the other consoles open now
        self.problem = ""  # the table's newest refusal ("" once it answers again)
        self._busy = False

    def mine(self) -> Presence:
        services = self.services
        identity = services.state.current.data.identity
        rollout = services.rollout
        now = services.clock()
        watching = rollout.status.line(now) if rollout is not None and rollout.active and rollout.status else ""
        return Presence(
            console=self.console,
            who=who_from_arn(identity.arn) if identity is not None else local_user(),
            host=self.host,
            screen=screen_name(self.screen()),
            at=now,
            watching=watching,
        )

    async def beat(self) -> None:
        """Write this console's item, read everyone's (a beat under way is not doubled)."""
        if self._busy:
            return
        self._busy = True
        try:
            await self.table.put(self.mine())
            everyone = await self.table.everyone()
            refresh = self.services.config.refresh.service_seconds
            self.present = others(everyone, self.console, self.services.clock(), refresh)
            self.problem = ""
        except AwsFailure as failure:  # said by the team line of the acks; presence keeps what it read last
            self.problem = str(failure)
        finally:
            self._busy = False

    def context_badge(self) -> str | None:
        return presence_line(self.present, self.services.config.ui.language)

    def blocked(self) -> str | None:
        return rollout_blocked(self.present, self.services.config.ui.language)


def install(app: Any) -> None:
    services: AppServices = app.services
    config = services.config
    if not config.team.table:
        return
    table = PresenceTable(services.gateway, config.team.table, config.service.cluster, config.service.name)
    board = PresenceBoard(table, services, lambda: type(app.screen).__name__)
    services.extensions[EXTENSION] = board
    if services.lifecycles is not None:
        services.lifecycles.others_watching = board.blocked  # the deployment guard asks before every rollout
    beat = lambda: app.run_worker(board.beat(), group="presence", exit_on_error=False)  # noqa: E731
    beat()
    app.set_interval(config.refresh.service_seconds, beat)


def presence_of(services: AppServices) -> PresenceBoard | None:
    return services.extensions.get(EXTENSION)


PRESENCE = Capability(
    name="presence",
    description="Presence",
    open=lambda app: None,
    enabled=lambda app: False,  # nothing to open: a line on the top bar and the deployment guard
    install=install,
)
