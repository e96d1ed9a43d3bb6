"""Acknowledgements: "I'm on it" on an alert, by whom and until when, and how the alert bar words them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kojan_tui.core.i18n import tr

DEFAULT_ACK_MINUTES = 30
ACK_CHOICES_MINUTES = (15, 30, 60, 120)


@dataclass(frozen=True)
class Acknowledgement:
    alert_key: str  # ``Alert.key``
    who: str  # the caller identity's name, else the OS user
    at: datetime
    until: datetime

    def active(self, now: datetime) -> bool:
        return self.until > now


def acknowledge(alert_key: str, who: str, now: datetime, minutes: float = DEFAULT_ACK_MINUTES) -> Acknowledgement:
    return Acknowledgement(alert_key, who, now, now + timedelta(minutes=minutes))


def active_by_alert(acks: Iterable[Acknowledgement], now: datetime) -> dict[str, tuple[Acknowledgement, ...]]:
    """The acknowledgements still running, per alert key, the latest-ending first."""
    grouped: dict[str, list[Acknowledgement]] = {}
    for ack in acks:
        if ack.active(now):
            grouped.setdefault(ack.alert_key, []).append(ack)
    return {key: tuple(sorted(found, key=lambda a: a.until, reverse=True)) for key, found in grouped.items()}


def ack_label(acks: tuple[Acknowledgement, ...], language: str = "en") -> str:
    """``ack: alice until 14:30, bob until 14:45`` (local wall time of ``until`` as given)."""
    if not acks:
        return ""
    people = ", ".join(tr("{who} until {until:%H:%M}", language).format(who=a.who, until=a.until) for a in acks)
    return tr("ack: {people}", language).format(people=people)


def who_from_arn(arn: str) -> str:
    """The person in a caller ARN: ``…:assumed-role/OnCall/alice`` → ``alice``, ``…:user/bob`` → ``bob``."""
    return arn.rsplit("/", 1)[-1] if "/" in arn else arn
