"""Local time: ``[ui] timezone`` (an IANA name such as ``Asia/Tokyo`` or ``UTC``; empty or ``local``: the machine's
zone) for the times people read on screen. Audit records, exports and stored times stay UTC, with the offset stated.

Zones come from the stdlib ``zoneinfo``: the system's tz database, else the ``tzdata`` package (a dependency, for
machines without one). ``local_time(dt, zone)`` is the one conversion; ``clock(dt, zone)`` the ``HH:MM JST`` the
screens show (the zone's abbreviation, or its offset when the zone has only a numeric one, e.g. ``+05``).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MACHINE = ("", "local")  # the values that mean the machine's own zone
COMMON = ("Asia/Tokyo", "UTC")


def zone_problem(name: str) -> str | None:
    """Why ``name`` is not a zone ``[ui] timezone`` accepts, or None."""
    if name.strip() in MACHINE:
        return None
    try:
        zone_of(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"{name!r} is not a time zone; use an IANA name such as {' or '.join(COMMON)} (or local: the machine's)"
    return None


@cache
def zone_of(name: str) -> tzinfo | None:
    """The zone named ``name``; None for the machine's own (``""``/``local``). Raises ``ZoneInfoNotFoundError``
    (or ``ValueError`` for a malformed name) for an unknown one."""
    name = name.strip()
    if name in MACHINE:
        return None
    if name.upper() == "UTC":
        return UTC
    return ZoneInfo(name)


def local_time(dt: datetime, zone: str | tzinfo | None) -> datetime:
    """``dt`` (aware; a naive one is taken as UTC) in ``zone``: a name as configured, a tzinfo, or None for the
    machine's zone. An unknown name falls back to UTC (the config refused it already)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    if isinstance(zone, str):
        try:
            zone = zone_of(zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = UTC
    return dt.astimezone(zone) if zone is not None else dt.astimezone()


def zone_label(dt: datetime) -> str:
    """The abbreviation of an aware ``dt``'s zone (``JST``, ``UTC``), or its offset (``+05:30``) when the zone's
    abbreviation is only a number."""
    name = dt.tzname() or ""
    if name and name[0].isalpha():
        return name
    offset = dt.strftime("%z") or "+0000"
    return f"{offset[:3]}:{offset[3:5]}"


def clock(dt: datetime, zone: str | tzinfo | None, fmt: str = "%H:%M") -> str:
    """``HH:MM JST``: ``dt`` in ``zone``, formatted, with the zone's label."""
    shown = local_time(dt, zone)
    return f"{shown.strftime(fmt)} {zone_label(shown)}"
