"""Alerts remember since when an item is breached and report only newly fired alerts."""

from datetime import timedelta

from kojan_tui.core.alerts import AlertInput, AlertTracker
from kojan_tui.core.levels import Level
from tests.fixtures.builders import NOW


def item(level: Level, key: str = "ecs_cpu_percent") -> AlertInput:
    return AlertInput(key, "ECS CPU", level, "91.0 %", "consider scaling")


def test_fires_once_and_keeps_since():
    tracker = AlertTracker()
    first = tracker.update([item(Level.ALERT)], NOW)
    assert [a.key for a in first.fired] == ["ecs_cpu_percent"]
    assert first.active[0].since == NOW and first.active[0].action == "consider scaling"
    later = tracker.update([item(Level.ALERT)], NOW + timedelta(minutes=1))
    assert later.fired == () and later.active[0].since == NOW


def test_warning_is_active_but_does_not_fire_then_escalates():
    tracker = AlertTracker()
    warn = tracker.update([item(Level.WARNING)], NOW)
    assert warn.fired == () and warn.active[0].level is Level.WARNING
    escalated = tracker.update([item(Level.ALERT)], NOW + timedelta(minutes=2))
    assert len(escalated.fired) == 1 and escalated.active[0].since == NOW + timedelta(minutes=2)


def test_recovery_clears_and_refires():
    tracker = AlertTracker()
    tracker.update([item(Level.ALERT)], NOW)
    assert tracker.update([item(Level.OK)], NOW + timedelta(minutes=1)).active == ()
    again = tracker.update([item(Level.ALERT)], NOW + timedelta(minutes=2))
    assert len(again.fired) == 1


def test_alerts_sort_before_warnings():
    tracker = AlertTracker()
    update = tracker.update([item(Level.WARNING, "a"), item(Level.ALERT, "b")], NOW)
    assert [a.key for a in update.active] == ["b", "a"]
