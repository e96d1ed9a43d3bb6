"""S01/S16: the service's deployments and events in full (the service panel cuts them to its width): key ``v``,
palette ``Service events``. AWS's text is shown literally."""

from __future__ import annotations

from typing import Any

from kojan_tui.core.models import ServiceSnapshot
from kojan_tui.core.verdict import task_definition_label
from kojan_tui.ui.capabilities import Capability, one_command
from kojan_tui.ui.screens.detail import TextDetailScreen


def events_text(service: ServiceSnapshot | None) -> str:
    """Every deployment, then every event (newest first, as ECS lists them), one per line, nothing cut."""
    if service is None:
        return "No service data yet: the first DescribeServices has not answered (see the service panel)."
    lines = ["Deployments"]
    for d in service.deployments:
        reason = f" — {d.rollout_reason}" if d.rollout_reason else ""
        created = f" created {d.created_at:%Y-%m-%d %H:%M:%S} UTC" if d.created_at else ""
        lines.append(
            f"  {d.status} {task_definition_label(d.task_definition)} {d.running}/{d.desired} running,"
            f" {d.pending} pending, {d.rollout_state or 'no rollout state'}{reason}{created}"
        )
    lines += ["", f"Events ({len(service.events)}, newest first)"]
    lines += [f"  {e.created_at:%Y-%m-%d %H:%M:%S} UTC  {e.message}" for e in service.events] or ["  none"]
    return "\n".join(lines)


def open_service_events(app: Any) -> None:
    if isinstance(app.screen, TextDetailScreen):
        return
    service = app.services.state.current.data.service
    title = f"Service events: {app.services.config.service.cluster}/{app.services.config.service.name}"
    app.push_screen(TextDetailScreen(title, events_text(service)))


SERVICE_EVENTS = Capability(
    name="service-events",
    description="Service events",
    key="v",
    show_in_footer=False,
    tooltip="S01/S16: the service's deployments and events in full",
    open=open_service_events,
    commands=one_command("Service events", "The service's deployments and events in full (S01, S16)", open_service_events),
)
