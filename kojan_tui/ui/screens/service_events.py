"""S01/S16: the service's deployments and events in full (the service panel cuts them to its width): key ``v``,
palette ``Service events``. AWS's text is shown literally."""

from __future__ import annotations

from typing import Any

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.models import ServiceSnapshot
from kojan_tui.core.verdict import task_definition_label
from kojan_tui.ui.capabilities import Capability, one_command
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.screens.speaks import language_of


def events_text(service: ServiceSnapshot | None, language: str = "en") -> str:
    """Every deployment, then every event (newest first, as ECS lists them), one per line, nothing cut."""
    if service is None:
        return tr("No service data yet: the first DescribeServices has not answered (see the service panel).", language)
    lines = [tr("Deployments", language)]
    for d in service.deployments:
        reason = f" — {d.rollout_reason}" if d.rollout_reason else ""
        created = tr(" created {at} UTC", language).format(at=f"{d.created_at:%Y-%m-%d %H:%M:%S}") if d.created_at else ""
        lines.append(
            "  "
            + tr("{status} {revision} {running}/{desired} running, {pending} pending, {rollout}", language).format(
                status=d.status,
                revision=task_definition_label(d.task_definition),
                running=d.running,
                desired=d.desired,
                pending=d.pending,
                rollout=d.rollout_state or tr("no rollout state", language),
            )
            + f"{reason}{created}"
        )
    lines += ["", tr("Events ({n}, newest first)", language).format(n=len(service.events))]
    lines += [f"  {e.created_at:%Y-%m-%d %H:%M:%S} UTC  {e.message}" for e in service.events] or ["  " + tr("none", language)]
    return "\n".join(lines)


def open_service_events(app: Any) -> None:
    if isinstance(app.screen, TextDetailScreen):
        return
    service = app.services.state.current.data.service
    language, where = language_of(app), f"{app.services.config.service.cluster}/{app.services.config.service.name}"
    title = tr("Service events: {service}", language).format(service=where)
    app.push_screen(TextDetailScreen(title, events_text(service, language)))


SERVICE_EVENTS = Capability(
    name="service-events",
    description=N_("Service events"),
    key="v",
    show_in_footer=False,
    tooltip=N_("S01/S16: the service's deployments and events in full"),
    open=open_service_events,
    commands=one_command(
        N_("Service events"), N_("The service's deployments and events in full (S01, S16)"), open_service_events
    ),
)
