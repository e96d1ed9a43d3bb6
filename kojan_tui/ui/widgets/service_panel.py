"""S01/S16: the ECS service — verdict, counts and target health, task definition and image tag, the tasks stopped in
the last hour by cause (S08/S09), deployments, events."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC

from rich.console import Group, RenderableType
from rich.text import Text
from textual.binding import Binding

from kojan_tui.core.i18n import N_, say, tr
from kojan_tui.core.levels import Level
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.models import ScalingActivity, ServiceSnapshot, TaskDefinition
from kojan_tui.core.readings import TargetHealth
from kojan_tui.core.secret_rule import mask_text
from kojan_tui.core.task_stops import StopCounts
from kojan_tui.core.verdict import ServiceVerdict, image_tag, task_definition_label
from kojan_tui.ui.widgets.status_base import StatusWidget, visible

MAX_DEPLOYMENTS = 3
MIN_EVENTS = 3
MAX_EVENTS = 20  # as many of AWS's newest events as fit


class ServicePanel(StatusWidget):
    BINDINGS = [Binding("enter", "app.open('rollback')", N_("Roll back…"), show=False, tooltip=N_("S26 from the service panel"))]

    DEFAULT_CSS = """
    ServicePanel { height: 1fr; }
    ServicePanel.-compact { height: 2; border: none; padding: 0 1 0 0; background: $background; }
    ServicePanel.-compact:focus { background: $boost; }
    ServicePanel.-compact.-level-warning:focus, ServicePanel.-compact.-level-alert:focus { border: none; }  /* two rows */
    """

    def __init__(self, *, id: str | None = "service-panel") -> None:
        super().__init__(id=id)
        self.service: ServiceSnapshot | None = None
        self.task_definition: TaskDefinition | None = None
        self.verdict = ServiceVerdict(Level.UNKNOWN)
        self.health = TargetHealth()
        self.no_data_reason = ""  # why nothing is measured yet (the failing source's reason, or the first poll)
        self.scaling: ScalingActivity | None = None  # S16: the newest scaling activity
        self.scaling_problem = ""  # why the scaling activities could not be read (denied…), shown instead
        self.stops: StopCounts | None = None  # S08/S09: tasks stopped in the last hour, by cause
        self.stops_stale: str | None = None  # ``STALE 42s — throttled`` when the newest listing failed or is overdue
        self.language = "en"
        self.border_title = "ECS service"

    def show(
        self,
        service: ServiceSnapshot | None,
        task_definition: TaskDefinition | None,
        verdict: ServiceVerdict,
        health: TargetHealth | None = None,
        no_data_reason: str = "",
        scaling: ScalingActivity | None = None,
        scaling_problem: str = "",
        stops: StopCounts | None = None,
        language: str = "en",
    ) -> None:
        health = health or TargetHealth()
        shown = (service, task_definition, verdict, replace(health, age_s=None), no_data_reason, scaling, scaling_problem)
        if not self.given((*shown, stops, language)):  # age not drawn
            return
        self.service, self.task_definition, self.verdict = service, task_definition, verdict
        self.scaling, self.scaling_problem = scaling, scaling_problem
        self.stops, self.language = stops, language
        self.health, self.no_data_reason = health, no_data_reason
        if service is not None:
            title = tr("ECS service", language)
            self.border_title = Text(f"{title} {make_visible(service.name)}")  # an AWS name: never markup
        else:
            self.border_title = tr("ECS service", language)
        self.set_level_class(verdict.level)
        self.refresh()

    def _verdict_line(self) -> Text:
        line = Text.assemble(self.marker(self.verdict.level), " ")
        unknown = self.verdict.level is Level.UNKNOWN
        line.append(
            visible(f"— {self.no_data_reason}" if unknown and self.no_data_reason else self.verdict.summary_in(self.language))
        )
        line.stylize(self.style_for(self.verdict.level.value), len(self.verdict.level.marker))
        return line

    def _counts(self) -> Text:
        s = self.service
        if s is None:
            return Text(tr("waiting for DescribeServices…", self.language), style=self.style_for("muted"))
        td = task_definition_label(s.task_definition)
        if self.compact:
            line = Text.assemble(
                visible(s.status),
                " ",
                (f"{s.running}/{s.desired}", self.style_for("strong")),
                tr(" running, {n} pending · ", self.language).format(n=s.pending),
                self._targets(),
                " · ",
                visible(td),
                " · ",
                visible(image_tag(self.task_definition)),
            )
            line.no_wrap, line.overflow = True, "ellipsis"
            return line
        return Text.assemble(
            (tr("status ", self.language), self.style_for("muted")),
            visible(s.status),
            (tr("  running ", self.language), self.style_for("muted")),
            (f"{s.running}/{s.desired}", self.style_for("strong")),
            (tr("  pending ", self.language), self.style_for("muted")),
            str(s.pending),
            "\n",
            self._targets(),
            ("\n" + tr("task def ", self.language), self.style_for("muted")),
            visible(td),
            (tr("  image ", self.language), self.style_for("muted")),
            visible(image_tag(self.task_definition)),
        )

    def _scaling_line(self) -> Text | None:
        """``scaling 23:46 Successful  Setting desired count to 3.`` (S16: "CPU > 80 % → consider scaling")."""
        if self.scaling_problem:
            line = Text.assemble(
                (tr("scaling ", self.language), self.style_for("muted")),
                ("? ", self.style_for("unknown")),
                visible(self.scaling_problem),
            )
        elif self.scaling is not None:
            a = self.scaling
            when = f"{a.start_time.astimezone(UTC):%m-%d %H:%M} " if a.start_time else ""
            status = a.status.lower()
            kind = "alert" if status == "failed" else "warning" if status in ("inprogress", "pending") else "ok"
            marks = {"successful": "✓", "failed": tr("✖ failed", self.language), "inprogress": tr("… in progress", self.language)}
            mark = marks.get(status, a.status)
            what = a.description.removeprefix("Setting ")  # "Setting desired count to 3." → "desired count to 3."
            line = Text.assemble(
                (tr("scaling ", self.language), self.style_for("muted")), when, (mark, self.style_for(kind)), " ", visible(what)
            )
        else:
            return None
        line.no_wrap, line.overflow = True, "ellipsis"
        return line

    def set_stops_stale(self, text: str | None) -> None:
        """The stop line's own ``STALE <age> — <reason>`` (its listing is a source of its own)."""
        if text != self.stops_stale:
            self.stops_stale = text
            self.refresh()

    def _stops_line(self) -> Text | None:
        """``3 tasks stopped in the last hour: 3 out of memory`` — red when a person must look (memory, health
        checks, image pulls, crashes); with ``STALE <age> — <reason>`` when the last listing failed; the reason
        alone before any listing answered; nothing when none stopped."""
        counted = self.stops is not None and (self.stops.total or self.stops_stale)
        if counted:
            assert self.stops is not None
            text = self.stops.line(self.language) or tr("no task stopped in the last hour", self.language)
            line = Text(text, style=self.style_for("alert-line" if self.stops.trouble else "muted"))
        elif self.stops_stale:
            line = Text.assemble(("? ", self.style_for("unknown")), tr("stopped tasks unknown", self.language))
        else:
            return None
        if self.stops_stale:
            line.append(f"  {say(self.stops_stale, self.language)}", style=self.style_for("stale"))
        return line  # wraps in the panel: every cause is worth its line; the compact layout cuts it

    def _targets(self) -> Text:
        """``targets 2 healthy`` — red when none is, muted when there is no current datapoint."""
        health = self.health
        kind = "muted" if health.healthy is None else "alert" if health.none_healthy else "strong"
        running = self.service.running if self.service is not None else None
        return Text(health.text_beside(running, self.language), style=self.style_for(kind))

    def render(self) -> RenderableType:
        if self.compact:
            head = self._verdict_line()
            if self.stale_text:
                head.append(f"  {say(self.stale_text, self.language)}", style=self.style_for("stale"))
            stops = self._stops_line()
            if stops is not None:  # S08/S09 in one line too: the first thing to know in a crash loop
                head.append("  ")
                head.append_text(stops)
                head.no_wrap, head.overflow = True, "ellipsis"
            return Group(head, self._counts())
        lines: list[RenderableType] = [self._verdict_line(), self._counts()]
        scaling = self._scaling_line()
        if scaling is not None:
            lines.append(scaling)
        stops = self._stops_line()
        if stops is not None:
            lines.append(stops)
        if self.service is not None:
            lines.append(Text(tr("Deployments", self.language), style=self.style_for("muted")))
            for d in self.service.deployments[:MAX_DEPLOYMENTS]:
                state = d.rollout_state or "-"
                kind = {"COMPLETED": "ok", "IN_PROGRESS": "warning", "FAILED": "alert"}.get(state, "muted")
                line = Text.assemble(
                    f" {d.status:<8} ",
                    visible(task_definition_label(d.task_definition)),
                    f"  {d.running}/{d.desired} ",
                    (state, self.style_for(kind)),
                    visible(f"  {d.rollout_reason}") if d.rollout_reason else "",
                )
                line.no_wrap, line.overflow = True, "ellipsis"
                lines.append(line)
            lines.append(Text(tr("Events", self.language), style=self.style_for("muted")))
            room = self.content_size.height - len(lines) - (1 if self.stale_text else 0)
            for event in self.service.events[: max(MIN_EVENTS, min(MAX_EVENTS, room))]:
                when = event.created_at.astimezone(UTC) if event.created_at.tzinfo else event.created_at
                stamp = when.strftime("%H:%M:%S")
                message = mask_text(event.message.removeprefix(f"(service {self.service.name}) "))  # AWS repeats the name
                line = Text(f" {stamp} ", style=self.style_for("muted")) + visible(message)
                line.no_wrap, line.overflow = True, "ellipsis"
                lines.append(line)
        stale = self.stale_line()
        if stale:
            lines.insert(1, stale)
        return Group(*lines)
