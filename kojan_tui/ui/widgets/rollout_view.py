"""Renders a rollout watch: the phase, deployments (PRIMARY/ACTIVE, rolloutState and reason), counts, new
service events and the S29 verdicts. Passive: given a ``RolloutStatus``, it draws it."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from kojan_tui.core.i18n import say, tr
from kojan_tui.core.logtext import make_visible, truncate
from kojan_tui.core.post_deploy import CheckVerdict
from kojan_tui.core.verdict import task_definition_label
from kojan_tui.sources.rollout import RolloutStatus, WatchPhase
from kojan_tui.ui.language import ui_language_of

PHASE_STYLE = {
    WatchPhase.ROLLING_OUT: "bold yellow",
    WatchPhase.CHECKING: "bold cyan",
    WatchPhase.VERIFIED: "bold green",
    WatchPhase.NOT_VERIFIED: "bold red",
    WatchPhase.FAILED: "bold red",
    WatchPhase.TIMED_OUT: "bold red",
    WatchPhase.SILENT: "bold magenta",
    WatchPhase.CANCELLED: "bold yellow",
}
VERDICT_STYLE = {
    CheckVerdict.PASS: "green",
    CheckVerdict.FAIL: "red",
    CheckVerdict.PENDING: "yellow",
    CheckVerdict.UNAVAILABLE: "magenta",
}
MAX_EVENTS_SHOWN = 8


def rollout_renderable(status: RolloutStatus, now: datetime, language: str = "en") -> RenderableType:
    lines: list[Text] = []
    head = Text(f" {status.phase.value.upper()} ", style=PHASE_STYLE[status.phase] + " reverse")
    head.append(f"  {say(status.label, language)}")
    lines.append(head)
    lines.append(Text(make_visible(say(status.judgement.reason, language))))
    if status.error:
        lines.append(Text(f"⚠ {make_visible(status.error)}", style="red"))
    service = status.service
    if service is not None:
        lines.append(
            Text(
                tr("service: {running} running / {desired} desired / {pending} pending", language).format(
                    running=service.running, desired=service.desired, pending=service.pending
                ),
                style="bold",
            )
        )
        for d in service.deployments:
            text = Text(f"  {d.status:<8} {task_definition_label(d.task_definition):<28} {d.rollout_state or '?':<12}")
            text.append(
                tr(" {running}/{desired} running, {pending} pending", language).format(
                    running=d.running, desired=d.desired, pending=d.pending
                )
            )
            lines.append(text)
            if d.rollout_reason:
                lines.append(Text(f"           {make_visible(truncate(d.rollout_reason, 200))}", style="dim"))
    if status.checks:
        lines.append(Text(tr("S29 checks after the rollout:", language), style="bold"))
        for check in status.checks:
            lines.append(Text(f"  {make_visible(say(check.text, language))}", style=VERDICT_STYLE[check.verdict]))
    if status.new_events:
        lines.append(Text(tr("new service events:", language), style="bold"))
        for event in status.new_events[:MAX_EVENTS_SHOWN]:
            lines.append(Text(f"  {event.created_at:%H:%M:%S} {make_visible(truncate(event.message, 200))}"))
    lines.append(Text(say(status.line(now), language), style="dim"))
    return Group(*lines)


class RolloutView(Static):
    DEFAULT_CSS = "RolloutView { height: auto; }"

    def show(self, status: RolloutStatus | None, now: datetime) -> None:
        language = ui_language_of(self.app)
        if status is None:
            self.update(Text(tr("No rollout watched.", language), style="dim"))
        else:
            self.update(rollout_renderable(status, now, language))
