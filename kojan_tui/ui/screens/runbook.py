"""The runbook walkthrough (S06–S10, S24): a modal with the steps, each step's check result and evidence, its
chart, its action behind the typed confirmation; S24 adds a clock per stage and the live S25 conditions.

Keys: j/k or arrows move, space marks done, n adds a note, r re-runs the check, a runs the action, b opens the
rollback screen, Esc leaves (the run stays saved and resumes next time). Enter on a dashboard alert or breached
panel opens the runbook its trigger names; the palette lists ``Runbook: <title>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from kojan_tui.core.events import EmergencyStarted
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.state import DashboardState
from kojan_tui.procedures.checks_emergency import S25_CONDITIONS
from kojan_tui.procedures.models import Kind, Procedure, Step
from kojan_tui.procedures.runs import ProcedureRun, StepRecord, StepState
from kojan_tui.procedures.stages import stage_clocks
from kojan_tui.procedures.suggest import runbook_for_alert, runbook_for_reason
from kojan_tui.ui.capabilities import Capability
from kojan_tui.ui.screens.procedure import (
    VERDICT_STYLE,
    ProcedureScreen,
    age_text,
    append_check_result,
    append_done_and_note,
    library,
    open_procedure,
    palette_commands,
    pick_procedure,
    procedures_of,
    walk_bindings,
)
from kojan_tui.ui.screens.speaks import language_of
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.widgets.check_chart import CheckChart


def runbooks(services: AppServices) -> list[Procedure]:
    return procedures_of(services, Kind.RUNBOOK)


class RunbookScreen(ProcedureScreen):
    """A runbook: its checks up to the first action run on opening, each check's charts; S24 (a runbook with
    stage budgets) adds a clock per stage, the live S25 conditions and b for the rollback screen."""

    KIND, NOUN, MANUAL_HINT = Kind.RUNBOOK, "step", N_("mark it done with space")
    MANUAL, NO_ACTION = N_("this step is manual: {hint}"), N_("this step has no action")
    NOTE_PLACEHOLDER = N_("note for this step (Enter saves, Esc cancels)")

    DEFAULT_CSS = """
    RunbookScreen {
        #runbook-steps { width: 46%; }
        #runbook-s25 { height: auto; border-top: solid $primary 40%; }
        #runbook-s25.-hidden { display: none; }
    }
    """

    BINDINGS = walk_bindings("step", N_("Done / not done"), Binding("b", "rollback", N_("Rollback")))

    def __init__(self, services: AppServices, procedure: Procedure) -> None:
        super().__init__(services, procedure)
        self.emergency = any(s.budget_minutes for s in procedure.steps)

    # -- layout and opening ------------------------------------------------------------------------

    def compose_charts(self) -> ComposeResult:
        yield CheckChart(id="runbook-chart")
        yield CheckChart(id="runbook-chart2")

    def compose_below_steps(self) -> ComposeResult:
        yield Static(id="runbook-s25", classes="" if self.emergency else "-hidden")

    def keys_line(self) -> Text:
        if self.emergency:
            return Text(
                tr("j/k move · space done · n note · r re-run check · a action · b rollback · f finish · Esc back", self.language)
            )
        return Text(tr("j/k move · space done · n note · r re-run check · a action · f finish · Esc back", self.language))

    def start_refreshing(self) -> None:
        if self.emergency:
            self.services.state.subscribe(self, self.on_state)
            self.set_interval(1.0, self.show_all)

    def opening_checks(self) -> Sequence[Step]:
        return self.procedure.auto_checked()  # the checks after the first action verify it: r runs them

    def run_started(self) -> None:
        if self.emergency:
            self.services.events.publish(EmergencyStarted(self.services.clock(), self.procedure.title))
        self.say(tr("new run started", self.language))

    def marked_text(self, step: Step, state: StepState) -> str:
        return f"{step.id} {'done' if state.done else 'not done'}" + (f": {state.note}" if state.note else "")

    async def action_rollback(self) -> None:
        if not self.emergency:
            return
        if self.app.check_action("open", ("rollback",)):
            await self.app.run_action("open('rollback')")
        else:
            self.say(
                tr("the rollback screen is not available in this build: roll back with S26 by hand", self.language), error=True
            )

    # -- rendering -----------------------------------------------------------------------------------

    def on_state(self, _state: DashboardState) -> None:
        self.show_s25()

    def show_all(self) -> None:
        super().show_all()
        self.show_s25()

    def append_head(self, head: Text, run: ProcedureRun) -> None:
        if run.started_by:
            head.append(f" · {make_visible(run.started_by)}", style="dim")
        if run.finished_at:
            head.append(" · " + tr("finished {at}", self.language).format(at=f"{run.finished_at:%H:%M:%S}"), style="bold")

    def step_line(self, index: int, step: Step, current: bool) -> Text:
        """Its number and text, its verdict, whether it has an action, and (S24) its stage clock."""
        run = self.runner.run if self.runner else None
        line = Text(f"{index + 1}. ")
        line.append(make_visible(step.text.splitlines()[0] if step.text else step.id), style="reverse" if current else "")
        latest = run.latest_check(step.id) if run else None
        if step.id in self.running:
            line.append("  " + tr("… running", self.language), style="dim")
        elif latest is not None and latest.verdict is not None:
            kept = self.kept_age(latest)
            if kept is not None:
                was = tr("was {marker} {age}", self.language).format(
                    marker=latest.verdict.marker, age=age_text(kept, self.language)
                )
                line.append(f"  {was}", style="dim")
            else:
                line.append(f"  {latest.verdict.marker}", style=VERDICT_STYLE[latest.verdict])
        elif step.check:
            line.append("  · " + tr("check", self.language), style="dim")
        if step.action:
            line.append("  ⚡" + tr("action", self.language), style="dim")
        clock = stage_clocks(self.procedure, run, self.services.clock()).get(step.id) if run and self.emergency else None
        if clock is not None:
            line.append(f"  ⏱ {clock.text()}", style="bold red" if clock.overdue else "dim")
        return line

    def step_detail(self, step: Step, run: ProcedureRun, latest: StepRecord | None) -> Text:
        detail = Text()
        detail.append(make_visible(step.text), style="bold")
        append_done_and_note(detail, run.state(step.id), N_("done"), self.language)
        if step.check:
            detail.append("\n\n" + tr("check {check}: ", self.language).format(check=step.check), style="dim")
            if step.id in self.running:
                detail.append(tr("running…", self.language))
            elif latest is None:
                detail.append(tr("not run yet (r)", self.language))
            else:
                append_check_result(detail, latest, self.kept_age(latest), self.language)
        return detail

    def show_detail(self) -> None:
        """The detail, and the charts of the current step's newest check when this session ran it (chart data
        is not stored)."""
        super().show_detail()
        if self.runner is None:
            return
        step_id = self.runner.current.id
        latest = self.runner.run.latest_check(step_id)
        result = self.runner.last_results.get(step_id)
        charts = result.data if result is not None and latest is not None and result.checked_at == latest.at else {}
        self.query_one("#runbook-chart", CheckChart).show(charts.get("chart"))
        self.query_one("#runbook-chart2", CheckChart).show(charts.get("chart2"))

    def show_s25(self) -> None:
        if not self.emergency or not self.is_mounted:
            return
        state = self.services.state.current
        measured = state.measured("metrics")
        unjudged = state.unjudged_reason(self.services.clock()) if measured else ""
        holding = {r.code: r.text for r in state.view.rollback}
        say = self.language
        text = Text(tr("S25 roll back at once when (live from the dashboard):", say) + "\n", style="bold")
        for code, label in S25_CONDITIONS:
            if not measured:
                text.append(f"  ? {label}: {tr('not measured yet', say)}\n", style="dim")
            elif code in holding:
                text.append(f"  ✖ {label}: {make_visible(holding[code])}  → {tr('b: rollback', say)}\n", style="bold red")
            elif unjudged:  # stale or missing data: not known to hold, not known not to
                judged = tr("could not judge ({why})", say).format(why=make_visible(unjudged))
                text.append(f"  ? {label}: {judged}\n", style="yellow")
            else:  # a ✓ would read as "condition met": this one does not hold
                text.append(f"  · {label}: {tr('does not hold', say)}\n", style="dim")
        self.query_one("#runbook-s25", Static).update(text)


# -- opening it --------------------------------------------------------------------------------------


def runbook_for_focus(app: Any) -> Procedure | None:
    """Enter on the dashboard: the S25 banner's runbook when S25 holds and the alert bar is focused, else the
    focused panel's (or the first alert's) runbook."""
    from kojan_tui.ui.widgets.alert_bar import AlertBar
    from kojan_tui.ui.widgets.metric_panel import MetricPanel

    procedures = runbooks(app.services)
    state = app.services.state.current
    focused = app.focused
    if isinstance(focused, MetricPanel):
        return runbook_for_alert(procedures, focused.spec.key)
    if isinstance(focused, AlertBar) or focused is None:
        for reason in state.view.rollback:
            if (found := runbook_for_reason(procedures, reason.code)) is not None:
                return found
        for alert in state.alerts.active:
            if (found := runbook_for_alert(procedures, alert.key)) is not None:
                return found
    return None


def open_for_focus(app: Any) -> None:
    procedure = runbook_for_focus(app)
    if procedure is not None:
        open_procedure(app, RunbookScreen, procedure)
    else:
        app.notify(tr("No runbook is triggered by this panel: pick one", language_of(app)), markup=False)
        pick_procedure(app, RunbookScreen)


def report_file_errors(app: Any) -> None:
    for error in library(app.services).errors:
        app.notify(
            tr("runbook file rejected: {error}", language_of(app)).format(error=error), severity="error", timeout=15, markup=False
        )


def on_dashboard(app: Any) -> bool:
    from kojan_tui.ui.screens.dashboard import DashboardScreen

    return isinstance(app.screen, DashboardScreen)


RUNBOOKS = Capability(
    name="runbook",
    description=N_("Runbooks"),
    show_in_footer=False,
    tooltip=N_("pick a runbook (S06–S10, S24)"),
    open=lambda app: pick_procedure(app, RunbookScreen),
    install=report_file_errors,
    commands=lambda app: palette_commands(app, RunbookScreen),
)

RUNBOOK_FOR_ALERT = Capability(
    name="runbook-for-alert",
    description=N_("Runbook"),
    key="enter",
    tooltip=N_("the runbook for the focused alert or breached panel (S06–S10, S24); the palette lists them all"),
    open=open_for_focus,
    enabled=on_dashboard,
)
