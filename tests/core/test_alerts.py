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


def test_a_value_hovering_at_the_threshold_fires_once_and_does_not_flap():
    tracker = AlertTracker(clear_after_seconds=90)
    fired = 0
    for i in range(10):  # alert, ok, alert, ok... every 30 s refresh
        update = tracker.update([item(Level.ALERT if i % 2 == 0 else Level.OK)], NOW + timedelta(seconds=30 * i))
        fired += len(update.fired)
        assert [a.level for a in update.active] == [Level.ALERT]
        assert update.active[0].since == NOW
    assert fired == 1


def test_clears_only_after_staying_below_for_the_configured_time():
    tracker = AlertTracker(clear_after_seconds=90)
    tracker.update([item(Level.ALERT)], NOW)
    held = tracker.update([item(Level.OK)], NOW + timedelta(seconds=30))
    assert held.active[0].level is Level.ALERT and held.active[0].clearing
    assert tracker.update([item(Level.OK)], NOW + timedelta(seconds=90)).active[0].clearing
    assert tracker.update([item(Level.OK)], NOW + timedelta(seconds=120)).active == ()


def test_alert_lowers_to_warning_only_after_the_hold_off_and_escalates_at_once():
    tracker = AlertTracker(clear_after_seconds=60)
    tracker.update([item(Level.ALERT)], NOW)
    assert tracker.update([item(Level.WARNING)], NOW + timedelta(seconds=10)).active[0].level is Level.ALERT
    lowered = tracker.update([item(Level.WARNING)], NOW + timedelta(seconds=70))
    assert lowered.active[0].level is Level.WARNING and not lowered.active[0].clearing
    again = tracker.update([item(Level.ALERT)], NOW + timedelta(seconds=80))
    assert again.active[0].level is Level.ALERT and len(again.fired) == 1
