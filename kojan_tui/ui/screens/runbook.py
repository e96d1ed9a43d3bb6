"""The runbook walkthrough (S06–S10, S24): a modal with the steps, each step's check result and evidence, its
chart, its action behind the typed confirmation; S24 adds a clock per stage and the live S25 conditions.

Keys: j/k or arrows move, space marks done, n adds a note, r re-runs the check, a runs the action, b opens the
rollback screen, Esc leaves (the run stays saved and resumes next time). Enter on a dashboard alert or breached
panel opens the runbook its trigger names; the palette lists ``Runbook: <title>``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static

from kojan_tui.core.events import EmergencyStarted
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.state import DashboardState
from kojan_tui.procedures.actions import ACTIONS, ActionContext, ActionResult, run_action
from kojan_tui.procedures.activity import ProcedureActivity
from kojan_tui.procedures.checks import CheckContext, Verdict
from kojan_tui.procedures.checks_emergency import S25_CONDITIONS
from kojan_tui.procedures.loader import LoadResult, load_procedures
from kojan_tui.procedures.models import Kind, Procedure
from kojan_tui.procedures.runner import ProcedureRunner
from kojan_tui.procedures.stages import stage_clocks
from kojan_tui.procedures.suggest import runbook_for_alert, runbook_for_reason
from kojan_tui.store.procedure_runs import SqliteProcedureRuns
from kojan_tui.ui.capabilities import Capability, PaletteCommand
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.widgets.check_chart import CheckChart
from kojan_tui.ui.widgets.confirmation import Confirmation, ConfirmationDialog

EXTENSION = "procedures"
EMERGENCY_ID = "s24-emergency"
VERDICT_STYLE = {Verdict.PASS: "green", Verdict.WARN: "yellow", Verdict.FAIL: "bold red", Verdict.UNAVAILABLE: "dim"}


def library(services: AppServices) -> LoadResult:
    """The loaded procedures (shipped and the user's), loaded once per app."""
    if EXTENSION not in services.extensions:
        services.extensions[EXTENSION] = load_procedures()
    return services.extensions[EXTENSION]


def runbooks(services: AppServices) -> list[Procedure]:
    procedures = library(services).in_language(services.config.ui.language, Kind.RUNBOOK)
    return sorted(procedures, key=lambda p: (p.guide_item or "~", p.id))


class RunbookScreen(FramedModal[None]):
    DEFAULT_CSS = """
    RunbookScreen {
        #runbook-head { height: auto; }
        #runbook-body { height: 1fr; }
        #runbook-steps { width: 46%; height: 1fr; padding-right: 1; }
        #runbook-detail { width: 1fr; height: 1fr; }
        #runbook-s25 { height: auto; border-top: solid $primary 40%; }
        #runbook-s25.-hidden { display: none; }
        #runbook-note { display: none; }
        #runbook-note.-editing { display: block; }
        #runbook-message { height: auto; color: $text-muted; }
        #runbook-keys { height: 1; color: $text-muted; }
    }
    """

    BINDINGS = [
        Binding("escape", "leave", "Back (run kept)"),
        Binding("j,down", "move(1)", "Next step"),
        Binding("k,up", "move(-1)", "Previous step"),
        Binding("space", "mark", "Done / not done"),
        Binding("n", "note", "Note"),
        Binding("r", "recheck", "Re-run check"),
        Binding("a", "act", "Run action"),
        Binding("b", "rollback", "Rollback"),
        Binding("f", "finish", "Finish run"),
    ]

    def __init__(self, services: AppServices, procedure: Procedure) -> None:
        super().__init__()
        self.services = services
        self.procedure = procedure
        self.runner: ProcedureRunner | None = None
        self.running: set[str] = set()  # steps whose check is running now
        self.emergency = any(s.budget_minutes for s in procedure.steps)

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame") as frame:
            frame.border_title = make_visible(self.procedure.title)
            yield Static(id="runbook-head")
            with Horizontal(id="runbook-body"):
                yield Static(id="runbook-steps")
                with VerticalScroll(id="runbook-detail"):
                    yield Static(id="runbook-step")
                    yield CheckChart(id="runbook-chart")
                    yield CheckChart(id="runbook-chart2")
                    yield Static(id="runbook-evidence")
            yield Static(id="runbook-s25", classes="" if self.emergency else "-hidden")
            yield Input(placeholder="note for this step (Enter saves, Esc cancels)", id="runbook-note")
            yield Static(id="runbook-message")
            yield Static(self._keys_line(), id="runbook-keys")

    def _keys_line(self) -> Text:
        keys = "j/k move · space done · n note · r re-run check · a action · f finish · Esc back"
        return Text(keys.replace("· f", "· b rollback · f") if self.emergency else keys)

    def on_mount(self) -> None:
        self.say("opening the run…")
        self.start()
        if self.emergency:
            self.services.state.subscribe(self, self.on_state)
            self.set_interval(1.0, self.show_all)

    # -- the run -----------------------------------------------------------------------------------

    def check_context(self) -> CheckContext:
        return CheckContext(self.services.gateway, self.services.config, self.services.clock, self.services.state.current)

    @work(group="runbook", exit_on_error=False)
    async def start(self) -> None:
        store = SqliteProcedureRuns(self.services.database)
        started_by = await self.services.actions.identity_arn()
        try:
            self.runner = await ProcedureRunner.resume_or_start(
                self.procedure, store, self.check_context(), started_by=started_by
            )
        except Exception as error:  # an unwritable state directory: say so, keep the app running
            self.say(f"cannot open the run store: {error}", error=True)
            return
        resumed = self.runner.resumed
        if self.emergency and not resumed:
            self.services.events.publish(EmergencyStarted(self.services.clock(), self.procedure.title))
        self.say(f"resumed the run started {self.runner.run.started_at:%Y-%m-%d %H:%M} UTC" if resumed else "new run started")
        self.show_all()
        for step in self.procedure.auto_checked():  # a runbook runs its own checks (the ones without a result yet)
            if self.runner.run.latest_check(step.id) is None:
                await self._check(step.id)

    async def _check(self, step_id: str) -> None:
        if self.runner is None or step_id in self.running:
            return
        self.running.add(step_id)
        self.show_all()
        try:
            self.runner.context = self.check_context()
            result = await self.runner.check(step_id)
            if result is not None:
                self.publish("check", f"{step_id}: {result.verdict.marker} {result.summary}")
        except Exception as error:  # the store failing must not close the screen
            self.say(f"could not record the check: {error}", error=True)
        finally:
            self.running.discard(step_id)
            self.show_all()

    # -- actions (keys) ------------------------------------------------------------------------------

    async def action_move(self, delta: int) -> None:
        if self.runner is not None:
            await self.runner.move(delta)
            self.show_all()

    async def action_mark(self) -> None:
        if self.runner is not None:
            step = self.runner.current
            state = await self.runner.mark()
            self.publish("step", f"{step.id} {'done' if state.done else 'not done'}" + (f": {state.note}" if state.note else ""))
            self.show_all()

    def action_note(self) -> None:
        if self.runner is None:
            return
        note = self.query_one("#runbook-note", Input)
        note.value = self.runner.run.state(self.runner.current.id).note
        note.add_class("-editing")
        note.focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        note = self.query_one("#runbook-note", Input)
        note.remove_class("-editing")
        if self.runner is not None:
            state = self.runner.run.state(self.runner.current.id)
            saved = await self.runner.mark(done=state.done, note=event.value.strip())
            self.publish("step", f"{self.runner.current.id} note: {saved.note}")
            self.say("note saved")
            self.show_all()

    def action_recheck(self) -> None:
        if self.runner is None:
            return
        step = self.runner.current
        if step.check is None:
            self.say("this step is manual: mark it done with space")
            return
        self.run_worker(self._check(step.id), group="runbook-check", exit_on_error=False)

    def action_act(self) -> None:
        if self.runner is None:
            return
        step = self.runner.current
        if step.action is None:
            self.say("this step has no action")
            return
        self.plan_action(step.id, step.action)

    @work(group="runbook-action", exclusive=True, exit_on_error=False)
    async def plan_action(self, step_id: str, action_id: str) -> None:
        spec = ACTIONS[action_id]
        context = ActionContext(self.services.actions, self.services.gateway, self.services.config, self.services.clock)
        try:
            plan = await spec.plan(context)
        except Exception as error:
            self.say(f"{spec.title}: cannot prepare it: {error}", error=True)
            return
        read_only = self.services.actions.read_only
        lines = [plan.title, f"target: {plan.target}", "request:", *(f"  {k} = {v}" for k, v in plan.request.items())]
        confirmation = Confirmation(
            title=spec.title,
            what_happens=lines,
            expected=plan.phrase,
            confirm_label="Run",
            disabled_reason="read-only mode: every mutating action is refused" if read_only else None,
        )

        async def execute() -> ActionResult:
            return await run_action(plan, plan.phrase, spec, context)  # the dialog checked the typed text

        self.app.push_screen(ConfirmationDialog(confirmation, execute), partial(self._acted, step_id, spec.title))

    def _acted(self, step_id: str, title: str, result: ActionResult | None) -> None:
        if result is None:
            self.say(f"{title}: cancelled, nothing was sent")
            return
        self.say(result.summary, error=not result.done)
        if self.runner is not None:
            self.run_worker(self._record(step_id, result), group="runbook-record", exit_on_error=False)

    async def _record(self, step_id: str, result: ActionResult) -> None:
        assert self.runner is not None
        await self.runner.record_action(step_id, result)
        self.publish("action", f"{step_id}: {result.summary}")
        self.show_all()

    async def action_rollback(self) -> None:
        if not self.emergency:
            return
        if self.app.check_action("open", ("rollback",)):
            await self.app.run_action("open('rollback')")
        else:
            self.say("the rollback screen is not available in this build: roll back with S26 by hand", error=True)

    async def action_finish(self) -> None:
        if self.runner is not None:
            await self.runner.finish()
            self.say("run finished: the next opening starts a new one")
            self.show_all()

    def action_leave(self) -> None:
        note = self.query_one("#runbook-note", Input)
        if note.has_class("-editing"):
            note.remove_class("-editing")
            return
        self.dismiss(None)

    # -- rendering -----------------------------------------------------------------------------------

    def publish(self, kind: str, text: str) -> None:
        """A step, check or action on the bus (an open incident's timeline records it)."""
        self.services.events.publish(ProcedureActivity(self.services.clock(), self.procedure.title, kind, text))

    def say(self, message: str, *, error: bool = False) -> None:
        self.query_one("#runbook-message", Static).update(Text(make_visible(message), style="bold red" if error else ""))

    def on_state(self, _state: DashboardState) -> None:
        self.show_s25()

    def show_all(self) -> None:
        if not self.is_mounted:
            return
        self.show_head()
        self.show_steps()
        self.show_detail()
        self.show_s25()

    def show_head(self) -> None:
        head = Text()
        head.append(make_visible(self.procedure.symptom), style="bold")
        runner = self.runner
        if runner is not None:
            run = runner.run
            head.append(
                f"\nrun #{run.id} started {run.started_at:%Y-%m-%d %H:%M:%S} UTC · {runner.done_count()}/{len(self.procedure.steps)} done"
            )
            if run.started_by:
                head.append(f" · {make_visible(run.started_by)}", style="dim")
            if run.finished_at:
                head.append(f" · finished {run.finished_at:%H:%M:%S}", style="bold")
        self.query_one("#runbook-head", Static).update(head)

    def show_steps(self) -> None:
        runner = self.runner
        text = Text()
        clocks = stage_clocks(self.procedure, runner.run, self.services.clock()) if runner and self.emergency else {}
        for index, step in enumerate(self.procedure.steps):
            current = runner is not None and index == runner.index
            state = runner.run.state(step.id) if runner else None
            line = Text("▶ " if current else "  ", style="bold" if current else "")
            line.append("[x] " if state and state.done else "[ ] ")
            line.append(f"{index + 1}. ")
            line.append(make_visible(step.text.splitlines()[0] if step.text else step.id), style="reverse" if current else "")
            latest = runner.run.latest_check(step.id) if runner else None
            if step.id in self.running:
                line.append("  … running", style="dim")
            elif latest is not None and latest.verdict is not None:
                line.append(f"  {latest.verdict.marker}", style=VERDICT_STYLE[latest.verdict])
            elif step.check:
                line.append("  · check", style="dim")
            if step.action:
                line.append("  ⚡action", style="dim")
            clock = clocks.get(step.id)
            if clock is not None:
                line.append(f"  ⏱ {clock.text()}", style="bold red" if clock.overdue else "dim")
            line.no_wrap, line.overflow = False, "fold"
            text.append_text(line)
            text.append("\n")
        self.query_one("#runbook-steps", Static).update(text)

    def show_detail(self) -> None:
        runner = self.runner
        if runner is None:
            return
        step = runner.current
        run = runner.run
        detail = Text()
        detail.append(make_visible(step.text), style="bold")
        state = run.state(step.id)
        if state.done:
            detail.append(f"\n✓ done {state.done_at:%H:%M:%S} UTC" if state.done_at else "\n✓ done", style="green")
        if state.note:
            detail.append("\nnote: ", style="dim")
            detail.append(make_visible(state.note))
        latest = run.latest_check(step.id)
        if step.check:
            detail.append(f"\n\ncheck {step.check}: ", style="dim")
            if step.id in self.running:
                detail.append("running…")
            elif latest is None:
                detail.append("not run yet (r)")
            else:
                if latest.verdict is not None:
                    detail.append(latest.verdict.marker, style=VERDICT_STYLE[latest.verdict])
                detail.append(f"  {latest.at:%H:%M:%S} UTC\n", style="dim")
                detail.append(make_visible(latest.summary))
        action = run.latest_action(step.id)
        if step.action:
            detail.append(f"\n\naction {step.action} (a): ", style="dim")
            detail.append(
                make_visible(action.summary) if action else "not run",
                style="" if not action else "green" if action.done else "red",
            )
            if action:
                detail.append(f"  {action.at:%H:%M:%S} UTC", style="dim")
        self.query_one("#runbook-step", Static).update(detail)
        result = runner.last_results.get(step.id)
        charts = result.data if result is not None and latest is not None and result.checked_at == latest.at else {}
        self.query_one("#runbook-chart", CheckChart).show(charts.get("chart"))
        self.query_one("#runbook-chart2", CheckChart).show(charts.get("chart2"))
        evidence = Text()
        for line in latest.evidence if latest else ():
            evidence.append(make_visible(line) + "\n")
        self.query_one("#runbook-evidence", Static).update(evidence)

    def show_s25(self) -> None:
        if not self.emergency or not self.is_mounted:
            return
        state = self.services.state.current
        measured = state.measured("metrics")
        holding = {r.code: r.text for r in state.view.rollback}
        text = Text("S25 roll back at once when (live from the dashboard):\n", style="bold")
        for code, label in S25_CONDITIONS:
            if not measured:
                text.append(f"  ? {label}: not measured yet\n", style="dim")
            elif code in holding:
                text.append(f"  ✖ {label}: {make_visible(holding[code])}  → b: rollback\n", style="bold red")
            else:
                text.append(f"  ✓ {label}\n", style="green")
        self.query_one("#runbook-s25", Static).update(text)


# -- opening it --------------------------------------------------------------------------------------


def open_runbook(app: Any, procedure: Procedure) -> None:
    if isinstance(app.screen, RunbookScreen):
        app.pop_screen()
    app.push_screen(RunbookScreen(app.services, procedure))


def pick_runbook(app: Any) -> None:
    app.search_commands(
        [(f"{p.title} — {p.symptom}", partial(open_runbook, app, p)) for p in runbooks(app.services)],
        placeholder="Runbook…",
    )


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
        open_runbook(app, procedure)
    else:
        app.notify("No runbook is triggered by this panel: pick one", markup=False)
        pick_runbook(app)


def report_file_errors(app: Any) -> None:
    for error in library(app.services).errors:
        app.notify(f"runbook file rejected: {error}", severity="error", timeout=15, markup=False)


def on_dashboard(app: Any) -> bool:
    from kojan_tui.ui.screens.dashboard import DashboardScreen

    return isinstance(app.screen, DashboardScreen)


RUNBOOKS = Capability(
    name="runbook",
    description="Runbooks",
    show_in_footer=False,
    tooltip="pick a runbook (S06–S10, S24)",
    open=pick_runbook,
    install=report_file_errors,
    commands=lambda app: [
        PaletteCommand(f"Runbook: {p.title}", p.symptom, partial(open_runbook, app, p)) for p in runbooks(app.services)
    ],
)

RUNBOOK_FOR_ALERT = Capability(
    name="runbook-for-alert",
    description="Runbook",
    key="enter",
    tooltip="the runbook for the focused alert or breached panel (S06–S10, S24); the palette lists them all",
    open=open_for_focus,
    enabled=on_dashboard,
)
