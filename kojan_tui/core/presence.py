"""Presence (issue 25): who has the console open on which screen, and who is watching a rollout, so two people do
not roll back at once. Each team-mode console writes its own item every refresh (a TTL drops it minutes later);
an item older than a few refreshes is a console that closed or lost the table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kojan_tui.core.i18n import tr

PRESENCE_TTL = timedelta(minutes=10)
PRESENT_FOR_REFRESHES = 3.0  # an item newer than this many refreshes: that console is open


def presence_pk(cluster: str, service: str) -> str:
    return f"PRESENCE#{cluster}/{service}"


@dataclass(frozen=True)
class Presence:
    console: str  # this console's run (unique: one person may have two open)
    who: str  # the person (the caller identity's name, else the OS user)
    host: str
    screen: str  # "dashboard", "rollback", "incident"…
    at: datetime
    watching: str = ""  # the rollout watch's line while this console watches its own rollback or forced deployment

    def to_item(self) -> dict[str, Any]:
        return {
            "console": self.console,
            "who": self.who,
            "host": self.host,
            "screen": self.screen,
            "at": self.at.isoformat(),
            "watching": self.watching,
        }

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Presence:
        return cls(
            console=str(item["console"]),
            who=str(item["who"]),
            host=str(item.get("host", "")),
            screen=str(item.get("screen", "")),
            at=datetime.fromisoformat(item["at"]),
            watching=str(item.get("watching", "")),
        )


def screen_name(class_name: str) -> str:
    """``RollbackScreen`` → ``rollback``; ``DashboardScreen`` → ``dashboard``."""
    name = class_name.removesuffix("Screen") or class_name
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")


def others(items: Iterable[Presence], me: str, now: datetime, refresh_s: float) -> list[Presence]:
    """The other consoles open now (their item is recent), oldest first."""
    recent = [p for p in items if p.console != me and (now - p.at).total_seconds() <= PRESENT_FOR_REFRESHES * refresh_s]
    return sorted(recent, key=lambda p: p.at)


def presence_line(present: list[Presence], language: str) -> str | None:
    """The top line's notice: who watches a rollout (first), else who else has the console open; None: nobody."""
    watching = [p for p in present if p.watching]
    if watching:
        return "; ".join(
            tr("ROLLOUT WATCHED BY {who}: {rollout}", language).format(who=p.who, rollout=p.watching) for p in watching
        )
    if not present:
        return None
    people = ", ".join(f"{p.who} ({p.screen})" for p in present)
    return tr("ALSO OPEN: {people}", language).format(people=people)


def rollout_blocked(present: list[Presence], language: str) -> str | None:
    """Why this console may not start a deployment (someone else is watching one), or None."""
    watching = [p for p in present if p.watching]
    if not watching:
        return None
    p = watching[0]
    return tr(
        "{who} is watching a rollout on another console ({host}: {rollout}): wait for it to end, or talk to them first.",
        language,
    ).format(who=p.who, host=p.host, rollout=p.watching)
