"""Local time (``[ui] timezone``): one conversion for the screens, the zone's abbreviation or offset, the machine's
zone by default, zones found without a system tz database (the tzdata package), unknown names refused."""

from __future__ import annotations

import os
import time
import zoneinfo
from datetime import UTC, datetime

import pytest

from kojan_tui.core.localtime import clock, local_time, zone_of, zone_problem

AT = datetime(2026, 12, 1, 0, 15, 30, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "moment", "shown"),
    [
        ("Asia/Tokyo", AT, "09:15 JST"),
        ("UTC", AT, "00:15 UTC"),
        ("utc", AT, "00:15 UTC"),
        ("Etc/UTC", AT, "00:15 UTC"),
        ("America/New_York", AT, "19:15 EST"),  # the day before, and daylight saving time followed
        ("America/New_York", SUMMER, "08:00 EDT"),
        ("Asia/Kolkata", AT, "05:45 IST"),
        ("Asia/Dubai", AT, "04:15 +04:00"),  # a zone whose abbreviation is only a number: its offset
    ],
)
def test_clock_in_a_zone_with_its_abbreviation_or_offset(zone, moment, shown):
    assert clock(moment, zone) == shown


def test_local_time_keeps_the_instant_and_a_naive_time_is_utc():
    tokyo = local_time(AT, "Asia/Tokyo")
    assert tokyo == AT and (tokyo.hour, tokyo.day) == (9, 1)
    assert local_time(AT.replace(tzinfo=None), "Asia/Tokyo") == AT
    assert clock(AT, "Asia/Tokyo", "%Y-%m-%d %H:%M:%S") == "2026-12-01 09:15:30 JST"


@pytest.fixture
def machine_zone():
    """Sets the machine's zone (TZ) for one test, then puts back the suite's UTC."""
    before = os.environ.get("TZ")

    def use(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield use
    os.environ["TZ"] = before or "UTC"
    time.tzset()


@pytest.mark.parametrize("name", ["", "local", "  "])
def test_the_default_is_the_machines_zone(machine_zone, name):
    machine_zone("Asia/Tokyo")
    assert zone_of(name) is None and clock(AT, name) == "09:15 JST"
    machine_zone("UTC")
    assert clock(AT, name) == "00:15 UTC"


@pytest.mark.parametrize("name", ["Mars/Olympus", "Tokyo", "../etc/passwd", "Asia/Tokyo/"])
def test_an_unknown_zone_is_named(name):
    problem = zone_problem(name)
    assert problem is not None and repr(name) in problem and "Asia/Tokyo" in problem
    assert clock(AT, name) == "00:15 UTC"  # never raised on screen (the config refuses it first)


def test_zones_are_found_without_a_system_tz_database():
    """On a machine without /usr/share/zoneinfo (Windows, slim images) zoneinfo falls back to the tzdata package."""
    try:
        zoneinfo.reset_tzpath(to=[])
        tokyo = zoneinfo.ZoneInfo.no_cache("Asia/Tokyo")
        assert AT.astimezone(tokyo).strftime("%H:%M %Z") == "09:15 JST"
    finally:
        zoneinfo.reset_tzpath()
