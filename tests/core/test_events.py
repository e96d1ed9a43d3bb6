"""The event bus and the events one dashboard rebuild implies (S25 raised/cleared, alerts fired/cleared)."""

from kojan_tui.core.alerts import AlertInput, AlertTracker
from kojan_tui.core.events import AlertCleared, AlertFired, EventBus, RollbackCleared, RollbackRaised, alert_events
from kojan_tui.core.levels import Level
from kojan_tui.core.rollback_rules import RollbackReason
from tests.fixtures.builders import NOW

MEMORY = RollbackReason("memory", "ECS memory 97.0 % > 95 %")
CPU = RollbackReason("cpu", "ECS CPU ≥ 99 % for 6 min")


def test_listeners_get_their_type_and_a_failing_listener_does_not_silence_the_others():
    errors: list[BaseException] = []
    bus = EventBus(on_error=errors.append)
    seen: list[object] = []
    bus.subscribe(RollbackRaised, lambda event: 1 / 0)
    bus.subscribe(RollbackRaised, seen.append)
    bus.subscribe(AlertFired, lambda event: seen.append("wrong type"))
    bus.publish(RollbackRaised(MEMORY, NOW))
    assert seen == [RollbackRaised(MEMORY, NOW)] and isinstance(errors[0], ZeroDivisionError)


def test_unsubscribe_stops_delivery():
    bus = EventBus()
    seen: list[object] = []
    unsubscribe = bus.subscribe(RollbackCleared, seen.append)
    unsubscribe()
    bus.publish(RollbackCleared(MEMORY, NOW))
    assert seen == []


def test_a_rebuild_raises_new_reasons_clears_gone_ones_and_reports_fired_and_cleared_alerts():
    tracker = AlertTracker()
    cpu_alert = AlertInput("ecs_cpu_percent", "ECS CPU", Level.ALERT, "90.0 %", "consider scaling")
    fired = tracker.update([cpu_alert], NOW)
    events = alert_events((CPU,), (MEMORY,), fired, NOW)
    assert RollbackRaised(MEMORY, NOW) in events and RollbackCleared(CPU, NOW) in events
    assert [type(e) for e in events if isinstance(e, AlertFired)] == [AlertFired]
    cleared = tracker.update([AlertInput("ecs_cpu_percent", "ECS CPU", Level.OK, "30.0 %", "")], NOW)
    assert alert_events((MEMORY,), (MEMORY,), cleared, NOW) == [AlertCleared("ecs_cpu_percent", "ECS CPU", NOW)]
