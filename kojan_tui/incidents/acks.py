"""``AckBoard``: the acknowledgements every console shows on the alert bar, read from the store at each
refresh, and the line that says when the team table cannot be read or written (the board then keeps
showing what it read last, with its age)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import datetime

from kojan_tui.core.acks import Acknowledgement, ack_label, acknowledge, active_by_alert, who_from_arn
from kojan_tui.core.clock import Clock
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.freshness import format_age
from kojan_tui.core.i18n import tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.store.acks import AckStore
from kojan_tui.store.team import TeamHealth


def local_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return "unknown"


class AckBoard:
    def __init__(self, store: AckStore, clock: Clock, *, who: Callable[[], str | None], team: TeamHealth | None = None) -> None:
        self.store = store
        self.clock = clock
        self.who = who  # the caller identity's ARN once known
        self.team = team
        self.acks: list[Acknowledgement] = []
        self.read_at: datetime | None = None
        self.problem: str = ""  # SQLite's refusal (team mode reports through ``team``)
        self._reading = False

    def person(self) -> str:
        arn = self.who()
        return who_from_arn(arn) if arn else local_user()

    async def refresh(self) -> None:
        """Read the acknowledgements still running (a refresh already under way is not doubled)."""
        if self._reading:
            return
        self._reading = True
        try:
            self.acks = await self.store.acknowledgements(self.clock())
            self.read_at, self.problem = self.clock(), ""
        except (AwsFailure, OSError) as error:  # shown by problem_line; the last acks read stay
            self.problem = str(error)
        finally:
            self._reading = False

    async def acknowledge(self, alert_key: str, minutes: float) -> Acknowledgement:
        """Record "I'm on it" on ``alert_key``; raises ``AwsFailure`` / ``OSError`` when the store refuses."""
        ack = acknowledge(alert_key, self.person(), self.clock(), minutes)
        await self.store.acknowledge(ack)
        self.acks = [a for a in self.acks if (a.alert_key, a.who) != (ack.alert_key, ack.who)] + [ack]
        return ack

    def labels(self, language: str) -> dict[str, str]:
        """``alert key → "ack: alice until 14:30"`` for the alerts acknowledged now."""
        return {key: ack_label(acks, language) for key, acks in active_by_alert(self.acks, self.clock()).items()}

    def problem_line(self, language: str) -> str:
        """One line when the store failed last, else ""."""
        now = self.clock()
        read = (
            tr("last read {age} ago", language).format(age=format_age((now - self.read_at).total_seconds()))
            if self.read_at
            else tr("never read", language)
        )
        if self.team is not None and self.team.failure is not None:
            failure, at = self.team.failure, self.team.failed_at
            when = f" {at:%H:%M:%S}" if at else ""
            what = make_visible(str(failure))
            return tr(
                "team table {table}: {what}{when} — carrying on with what this console has (acks: {read})", language
            ).format(table=self.team.table, what=what, when=when, read=read)
        if self.problem:
            what = make_visible(self.problem)
            return tr("acknowledgements unreadable: {what}", language).format(what=what)
        return ""
