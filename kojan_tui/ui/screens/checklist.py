"""The checklist walkthrough (S11 S12 S14 S18/S20 S21 S27 S28 S29): items ticked by hand (with a note) or
checked by the app (verdict and evidence), S27's archive action behind the typed confirmation, S29's timer.

Keys: j/k or arrows move, space ticks, n adds a note, r re-runs the item's check, c checks every automatic
item, a runs the item's action, w writes the run as Markdown to a new file in the current directory, f
finishes the run, Esc leaves (the run stays saved and resumes next time). Dashboard key ``k``; the palette
lists ``Checklist: <title>``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static

from kojan_tui.core.events import AlertFired
from kojan_tui.core.logtext import make_visible
from kojan_tui.procedures.actions import ACTIONS, ActionContext, ActionResult, run_action
from kojan_tui.procedures.activity import ProcedureActivity
from kojan_tui.procedures.checklist import export_name, item_status, progress, run_markdown, write_new_file
from kojan_tui.procedures.checks import CheckContext, Verdict
from kojan_tui.procedures.checks_stability import STABILITY_CHECK, timer_start
from kojan_tui.procedures.models import Kind, Procedure
from kojan_tui.procedures.runner import ProcedureRunner
from kojan_tui.procedures.stability_watch import StabilityWatch
from kojan_tui.store.procedure_runs import SqliteProcedureRuns
from kojan_tui.ui.capabilities import Capability, PaletteCommand
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.screens.runbook import library
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.widgets.confirmation import Confirmation, ConfirmationDialog

VERDICT_STYLE = {Verdict.PASS: "green", Verdict.WARN: "yellow", Verdict.FAIL: "bold red", Verdict.UNAVAILABLE: "dim"}
RELOAD_SECONDS = 5.0  # another instance's ticks show up this often


def checklists(services: AppServices) -> list[Procedure]:
    procedures = library(services).in_language(services.config.ui.language, Kind.CHECKLIST)
    return sorted(procedures, key=lambda p: (p.guide_item or "~", p.id))


def _clock(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    return f"{seconds // 60}:{seconds % 60:02d}"


class ChecklistScreen(FramedModal[None]):
    DEFAULT_CSS = """
    ChecklistScreen {
        #checklist-head { height: auto; }
        #checklist-body { height: 1fr; }
        #checklist-items { width: 50%; height: 1fr; padding-right: 1; text-wrap: nowrap; text-overflow: ellipsis; }
        #checklist-detail { width: 1fr; height: 1fr; }
        #checklist-note { display: none; }
        #checklist-note.-editing { display: block; }
        #checklist-message { height: auto; color: $text-muted; }
        #checklist-keys { height: 1; color: $text-muted; }
    }
    """

    BINDINGS = [
        Binding("escape", "leave", "Back (run kept)"),
        Binding("j,down", "move(1)", "Next item"),
        Binding("k,up", "move(-1)", "Previous item"),
        Binding("space", "tick", "Tick / untick"),
        Binding("n", "note", "Note"),
        Binding("r", "recheck", "Re-run check"),
        Binding("c", "check_all", "Check all"),
        Binding("a", "act", "Run action"),
        Binding("w", "write", "Write Markdown"),
        Binding("f", "finish", "Finish run"),
    ]

    def __init__(self, services: AppServices, procedure: Procedure) -> None:
        super().__init__()
        self.services = services
        self.procedure = procedure
        self.runner: ProcedureRunner | None = None
        self.running: set[str] = set()  # items whose check runs now
        self.store = SqliteProcedureRuns(services.database)

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame") as frame:
            frame.border_title = make_visible(self.procedure.title)
            yield Static(id="checklist-head")
            with Horizontal(id="checklist-body"):
                yield Static(id="checklist-items")
                with VerticalScroll(id="checklist-detail"):
                    yield Static(id="checklist-item")
                    yield Static(id="checklist-evidence")
            yield Input(placeholder="note for this item (Enter saves, Esc cancels)", id="checklist-note")
            yield Static(id="checklist-message")
            yield Static(
                Text(
                    "j/k move · space tick · n note · r re-run check · c check all · a action · w write .md · f finish · Esc back"
                ),
                id="checklist-keys",
            )

    def on_mount(self) -> None:
        self.say("opening the run…")
        self.start()
        self.set_interval(1.0, self.tick_timers)
        self.set_interval(RELOAD_SECONDS, self.reload)

    # -- the run -----------------------------------------------------------------------------------

    def check_context(self) -> CheckContext:
        return CheckContext(self.services.gateway, self.services.config, self.services.clock, self.services.state.current)

    @work(group="checklist", exclusive=False, exit_on_error=False)
    async def start(self) -> None:
        started_by = await self.services.actions.identity_arn()
        self.runner = await ProcedureRunner.resume_or_start(
            self.procedure, self.store, self.check_context(), started_by=started_by
        )
        run = self.runner.run
        if self.runner.resumed:
            self.say(f"resumed the run started {run.started_at:%Y-%m-%d %H:%M} UTC")
        else:
            self.say("new run started: the automatic items check themselves")
            self.publish("step", f"run #{run.id} started")
        self.show_all()
        for step in self.procedure.steps:  # the automatic items without a result yet check themselves
            if step.check and self.runner.run.latest_check(step.id) is None:
                await self._check(step.id)

    async def _check(self, step_id: str) -> None:
        if self.runner is None or step_id in self.running:
            return
        self.running.add(step_id)
        self.show_all()
        try:
            await self.refresh_run()  # a check judges the run as stored (alerts the S29 watch recorded)
            self.runner.context = self.check_context()
            result = await self.runner.check(step_id)
            if result is not None:
                self.publish("check", f"{step_id}: {result.verdict.marker} {result.summary}")
        except Exception as error:  # the store failing must not close the screen
            self.say(f"could not record the check: {error}", error=True)
        finally:
            self.running.discard(step_id)
            self.show_all()

    def publish(self, kind: str, text: str) -> None:
        self.services.events.publish(ProcedureActivity(self.services.clock(), self.procedure.title, kind, text))

    @work(group="checklist-reload", exclusive=True, exit_on_error=False)
    async def reload(self) -> None:
        """Take in what another app instance (or the S29 alert watch) wrote to this run."""
        if self.runner is not None and not self.running:
            if await self.refresh_run():
                self.show_all()

    async def refresh_run(self) -> bool:
        """The run as stored now (this screen's current item kept); True when something changed."""
        if self.runner is None:
            return False
        fresh = await self.store.load(self.runner.run.id)
        if fresh is None or (fresh.records == self.runner.run.records and fresh.steps == self.runner.run.steps):
            return False
        self.runner.run = replace(fresh, current_step=self.runner.run.current_step)
        return True

    # -- keys ------------------------------------------------------------------------------------------

    async def action_move(self, delta: int) -> None:
        if self.runner is not None:
            await self.runner.move(delta)
            self.show_all()

    async def action_tick(self) -> None:
        if self.runner is None:
            return
        state = await self.runner.mark()
        self.publish("step", f"{self.runner.current.id} {'ticked' if state.done else 'unticked'}")
        self.show_all()

    def action_note(self) -> None:
        if self.runner is None:
            return
        note = self.query_one("#checklist-note", Input)
        note.value = self.runner.run.state(self.runner.current.id).note
        note.add_class("-editing")
        note.focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        note = self.query_one("#checklist-note", Input)
        note.remove_class("-editing")
        if self.runner is not None:
            step_id = self.runner.current.id
            state = self.runner.run.state(step_id)
            await self.runner.mark(done=state.done, note=event.value.strip())
            self.publish("step", f"{step_id} note: {event.value.strip()}")
            self.say("note saved")
            self.show_all()

    def action_recheck(self) -> None:
        if self.runner is None:
            return
        step = self.runner.current
        if step.check is None:
            self.say("this item is manual: tick it with space")
            return
        self.run_worker(self._check(step.id), group="checklist-check", exit_on_error=False)

    def action_check_all(self) -> None:
        if self.runner is None:
            return

        async def every() -> None:
            for step in self.procedure.steps:
                if step.check and step.check != STABILITY_CHECK:  # the timer is checked on its own (r)
                    await self._check(step.id)

        self.run_worker(every(), group="checklist-check", exit_on_error=False)

    def action_act(self) -> None:
        if self.runner is None:
            return
        step = self.runner.current
        if step.action is None:
            self.say("this item has no action")
            return
        self.plan_action(step.id, step.action)

    @work(group="checklist-action", exclusive=True, exit_on_error=False)
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
        self.say(result.summary + (" — watching it until it ends…" if result.follow else ""), error=not result.done)
        self.run_worker(self._record(step_id, result), group="checklist-record", exit_on_error=False)

    async def _record(self, step_id: str, result: ActionResult) -> None:
        if self.runner is None:
            return
        await self.runner.record_action(step_id, result)
        self.publish("action", f"{step_id}: {result.summary}")
        self.show_all()
        if result.follow is not None:
            try:
                final = await result.follow()
            except Exception as error:  # the watch failing is shown; what AWS does goes on regardless
                self.say(f"stopped watching: {type(error).__name__}: {error}", error=True)
                return
            await self.runner.record_action(step_id, final)
            self.publish("action", f"{step_id}: {final.summary}")
            self.say(final.summary, error=not final.done)
            await self._check(step_id)

    async def action_write(self) -> None:
        if self.runner is None:
            return
        text = run_markdown(self.procedure, self.runner.run)
        try:
            path = write_new_file(Path.cwd(), export_name(self.procedure, self.runner.run), text)
        except OSError as error:
            self.say(f"not written: {error}", error=True)
            return
        self.say(f"written to {path}")

    async def action_finish(self) -> None:
        if self.runner is not None and not self.runner.finished:
            await self.runner.finish()
            done, total = progress(self.procedure, self.runner.run)
            self.publish("step", f"run #{self.runner.run.id} finished, {done}/{total} done")
            self.say("run finished: w writes it; the next opening starts a new one")
            self.show_all()

    def action_leave(self) -> None:
        note = self.query_one("#checklist-note", Input)
        if note.has_class("-editing"):
            note.remove_class("-editing")
            return
        self.dismiss(None)

    # -- the S29 timer -------------------------------------------------------------------------------

    def timer_left(self, step_id: str) -> timedelta | None:
        """Time left on a running stability timer (None: not started, or judged)."""
        if self.runner is None:
            return None
        latest = self.runner.run.latest_check(step_id)
        start = timer_start(self.runner.run, step_id)
        if start is None or latest is None or latest.verdict is not Verdict.WARN:
            return None
        return start + timedelta(minutes=self.services.config.checklists.stability_minutes) - self.services.clock()

    def tick_timers(self) -> None:
        """Every second: show the countdown; when a timer ends, judge it (one check)."""
        if self.runner is None:
            return
        timers = [s.id for s in self.procedure.steps if s.check == STABILITY_CHECK]
        for step_id in timers:
            left = self.timer_left(step_id)
            if left is not None and left <= timedelta(0) and step_id not in self.running:
                self.run_worker(self._check(step_id), group="checklist-check", exit_on_error=False)
        if timers:
            self.show_items()
            self.show_detail()

    # -- rendering -----------------------------------------------------------------------------------

    def say(self, message: str, *, error: bool = False) -> None:
        if self.is_mounted:
            self.query_one("#checklist-message", Static).update(Text(make_visible(message), style="bold red" if error else ""))

    def show_all(self) -> None:
        if not self.is_mounted:
            return
        self.show_head()
        self.show_items()
        self.show_detail()

    def show_head(self) -> None:
        head = Text()
        head.append(make_visible(self.procedure.symptom), style="bold")
        runner = self.runner
        if runner is not None:
            run = runner.run
            done, total = progress(self.procedure, run)
            head.append(f"\nrun #{run.id} started {run.started_at:%Y-%m-%d %H:%M:%S} UTC · {done}/{total} done")
            counts = {v: 0 for v in Verdict}
            for step in self.procedure.steps:
                verdict = item_status(step, run).verdict
                if verdict is not None:
                    counts[verdict] += 1
            for verdict, count in counts.items():
                if count:
                    head.append(f" · {verdict.marker} {count}", style=VERDICT_STYLE[verdict])
            head.append(f"\nrun by {make_visible(run.started_by) if run.started_by else 'unknown identity'}", style="dim")
            if run.finished_at:
                head.append(f" · finished {run.finished_at:%Y-%m-%d %H:%M:%S} UTC", style="bold")
        self.query_one("#checklist-head", Static).update(head)

    def show_items(self) -> None:
        """One line per item: cursor, box, verdict (or auto/manual), timer, action and note marks, the text."""
        runner = self.runner
        text = Text(no_wrap=True, overflow="ellipsis")  # the full text is in the detail pane
        for index, step in enumerate(self.procedure.steps):
            current = runner is not None and index == runner.index
            status = item_status(step, runner.run) if runner else None
            line = Text("▶ " if current else "  ", style="bold" if current else "")
            line.append("[x] " if status and status.done else "[ ] ")
            if step.id in self.running:
                line.append("… check ", style="dim")
            elif status is not None and status.verdict is not None:
                line.append(f"{status.verdict.marker:<8}", style=VERDICT_STYLE[status.verdict])
            else:
                line.append("· auto  " if step.check else "  manual", style="dim")
            left = self.timer_left(step.id) if step.check == STABILITY_CHECK else None
            if left is not None:
                line.append(f" ⏱ {_clock(left)}", style="yellow")
            line.append(" ⚡" if step.action else "  ", style="dim")
            line.append("✎ " if status is not None and status.note else "  ", style="dim")
            line.append(make_visible(step.text.splitlines()[0]), style="reverse" if current else "")
            text.append_text(line)
            text.append("\n")
        self.query_one("#checklist-items", Static).update(text)

    def show_detail(self) -> None:
        runner = self.runner
        if runner is None:
            return
        step = runner.current
        run = runner.run
        status = item_status(step, run)
        detail = Text()
        detail.append(make_visible(step.text), style="bold")
        detail.append(f"\n{'automatic: ' + step.check if step.check else 'manual: tick it with space'}", style="dim")
        state = run.state(step.id)
        if state.done:
            detail.append(f"\n✓ ticked {state.done_at:%H:%M:%S} UTC" if state.done_at else "\n✓ ticked", style="green")
        if status.note:
            detail.append("\nnote: ", style="dim")
            detail.append(make_visible(status.note))
        latest = status.latest
        if step.check:
            detail.append("\n\nresult: ", style="dim")
            if step.id in self.running:
                detail.append("checking…")
            elif latest is None:
                detail.append("not checked yet (r)")
            else:
                if latest.verdict is not None:
                    detail.append(latest.verdict.marker, style=VERDICT_STYLE[latest.verdict])
                detail.append(f"  {latest.at:%H:%M:%S} UTC\n", style="dim")
                detail.append(make_visible(latest.summary))
                left = self.timer_left(step.id) if step.check == STABILITY_CHECK else None
                if left is not None:
                    detail.append(f"\n⏱ {_clock(left)} left; judged when it ends (r judges now)", style="yellow")
        action = run.latest_action(step.id)
        if step.action:
            detail.append(f"\n\naction {step.action} (a): ", style="dim")
            detail.append(
                make_visible(action.summary) if action else "not run",
                style="" if not action else "green" if action.done else "red",
            )
            if action:
                detail.append(f"  {action.at:%H:%M:%S} UTC", style="dim")
        self.query_one("#checklist-item", Static).update(detail)
        evidence = Text()
        for line in latest.evidence if latest else ():
            evidence.append(make_visible(line) + "\n")
        self.query_one("#checklist-evidence", Static).update(evidence)


# -- opening it ----------------------------------------------------------------------------------------


def open_checklist(app: Any, procedure: Procedure) -> None:
    if isinstance(app.screen, ChecklistScreen):
        app.pop_screen()
    app.push_screen(ChecklistScreen(app.services, procedure))


def pick_checklist(app: Any) -> None:
    app.search_commands(
        [(f"{p.title} — {p.symptom}", partial(open_checklist, app, p)) for p in checklists(app.services)],
        placeholder="Checklist…",
    )


def install(app: Any) -> None:
    """S29's timer hears every alert fired while it runs, whether or not the checklist screen is open."""
    services: AppServices = app.services
    watch = StabilityWatch(
        SqliteProcedureRuns(services.database), checklists(services), services.config.checklists.stability_minutes
    )

    def fired(event: AlertFired) -> None:
        text = f"{event.alert.title}: {event.alert.value_text}"
        app.run_worker(watch.alert_fired(text, event.at), group="checklist-stability", exit_on_error=False)

    services.events.subscribe(AlertFired, fired)
    app.run_worker(remind_open_runs(app), group="checklist-remind", exit_on_error=False)


async def remind_open_runs(app: Any) -> None:
    """On start: the checklist runs left open (a killed process, a lost SSH session) are named once."""
    store = SqliteProcedureRuns(app.services.database)
    for run in await store.runs("checklist", 20):
        if run.finished_at is None:
            app.notify(
                f"Checklist {run.title}: run #{run.id} open since {run.started_at:%Y-%m-%d %H:%M} UTC — k resumes it",
                timeout=10,
                markup=False,
            )


CHECKLISTS = Capability(
    name="checklist",
    description="Checklists",
    key="k",
    tooltip="S11 S12 S14 S18/S20 S21 S27 S28 S29: guided checklists that check themselves",
    open=pick_checklist,
    install=install,
    commands=lambda app: [
        PaletteCommand(f"Checklist: {p.title}", p.symptom, partial(open_checklist, app, p)) for p in checklists(app.services)
    ],
)
