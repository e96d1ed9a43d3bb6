"""What a runbook walkthrough and a checklist share: a modal that walks one procedure of the engine
(kojan_tui/procedures/), its steps listed beside the current step's detail and evidence, the step's check run
(or re-run), its action behind the typed confirmation (watched to its end when it goes on), a note per step,
the run kept in SQLite and resumed, the message line, and the keys for all of that.

``ProcedureScreen`` does the walking; runbook.py and checklist.py say only what differs: how a step's line
and detail read, what a new run or a finished one announces, which checks run on opening, their own keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.shown import request_json
from kojan_tui.procedures.actions import ACTIONS, ActionContext, ActionPlan, ActionResult, run_action
from kojan_tui.procedures.activity import ProcedureActivity
from kojan_tui.procedures.checks import CheckContext, Verdict
from kojan_tui.procedures.loader import LoadResult, load_procedures
from kojan_tui.procedures.models import Kind, Procedure, Step
from kojan_tui.procedures.runner import ProcedureRunner
from kojan_tui.procedures.runs import ProcedureRun, StepRecord, StepState
from kojan_tui.ui.capabilities import PaletteCommand
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.screens.speaks import language_of
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.team_stores import app_stores
from kojan_tui.ui.widgets.confirmation import Confirmation, ConfirmationDialog

EXTENSION = "procedures"
VERDICT_STYLE = {Verdict.PASS: "green", Verdict.WARN: "yellow", Verdict.FAIL: "bold red", Verdict.UNAVAILABLE: "dim"}


def library(services: AppServices) -> LoadResult:
    """The loaded procedures (shipped and the user's), loaded once per app."""
    if EXTENSION not in services.extensions:
        services.extensions[EXTENSION] = load_procedures()
    return services.extensions[EXTENSION]


def procedures_of(services: AppServices, kind: Kind) -> list[Procedure]:
    """The runbooks (or checklists) in the configured language, in the guide's order."""
    procedures = library(services).in_language(services.config.ui.language, kind)
    return sorted(procedures, key=lambda p: (p.guide_item or "~", p.id))


NEXT = {"step": N_("Next step"), "item": N_("Next item")}
PREVIOUS = {"step": N_("Previous step"), "item": N_("Previous item")}


def walk_bindings(noun: str, mark: str, *own: Binding, checking: Sequence[Binding] = ()) -> list[Binding]:
    """The keys of every walkthrough (``noun``: "step" or "item"; ``mark``: what space does), in the order the
    keys screen lists them: the screen's ``checking`` keys after r, its ``own`` keys before f."""
    return [
        Binding("escape", "leave", N_("Back (run kept)")),
        Binding("j,down", "move(1)", NEXT[noun]),
        Binding("k,up", "move(-1)", PREVIOUS[noun]),
        Binding("space", "mark", mark),
        Binding("n", "note", N_("Note")),
        Binding("r", "recheck", N_("Re-run check")),
        *checking,
        Binding("a", "act", N_("Run action")),
        *own,
        Binding("f", "finish", N_("Finish run")),
    ]


# -- pieces of the detail pane --------------------------------------------------------------------------


def append_done_and_note(detail: Text, state: StepState, done_word: str, language: str = "en") -> None:
    if state.done:
        done_word = tr(done_word, language)
        detail.append(f"\n✓ {done_word} {state.done_at:%H:%M:%S} UTC" if state.done_at else f"\n✓ {done_word}", style="green")
    if state.note:
        detail.append("\n" + tr("note: ", language), style="dim")
        detail.append(make_visible(state.note))


def age_text(seconds: float, language: str = "en") -> str:
    """``40 s ago``, ``12 min ago``, ``3 h ago``, ``2 days ago``."""
    seconds = max(0, int(seconds))
    if seconds < 120:
        return tr("{n} s ago", language).format(n=seconds)
    if seconds < 2 * 3600:
        return tr("{n} min ago", language).format(n=seconds // 60)
    if seconds < 2 * 86400:
        return tr("{n} h ago", language).format(n=seconds // 3600)
    return tr("{n} days ago", language).format(n=seconds // 86400)


def append_check_result(detail: Text, latest: StepRecord, kept_age: float | None = None, language: str = "en") -> None:
    """The verdict, when it was judged, and its summary. ``kept_age``: the result is from before this opening
    (seconds old): shown dim as history, "was ✓ PASS 12 min ago", never as a current verdict."""
    if kept_age is not None:
        marker = latest.verdict.marker if latest.verdict is not None else tr("checked", language)
        detail.append(tr("was {marker} {age}", language).format(marker=marker, age=age_text(kept_age, language)), style="dim")
        before = tr("({at} UTC, before this opening; r re-runs it)", language).format(at=f"{latest.at:%Y-%m-%d %H:%M:%S}")
        detail.append(f"  {before}\n", style="dim")
        detail.append(make_visible(latest.summary), style="dim")
        return
    if latest.verdict is not None:
        detail.append(latest.verdict.marker, style=VERDICT_STYLE[latest.verdict])
    detail.append(f"  {latest.at:%H:%M:%S} UTC\n", style="dim")
    detail.append(make_visible(latest.summary))


def append_action(detail: Text, step: Step, run: ProcedureRun, language: str = "en") -> None:
    """The step's action and its newest outcome (nothing for a step without one)."""
    if not step.action:
        return
    action = run.latest_action(step.id)
    detail.append("\n\n" + tr("action {action} (a): ", language).format(action=step.action), style="dim")
    detail.append(
        make_visible(action.summary) if action else tr("not run", language),
        style="" if not action else "green" if action.done else "red",
    )
    if action:
        detail.append(f"  {action.at:%H:%M:%S} UTC", style="dim")


class ProcedureScreen(FramedModal[None]):
    """Walks ``procedure``; a subclass says its ``KIND`` and ``NOUN`` (they name its widgets), how a manual
    step is done (``MANUAL_HINT``), and fills in the hooks below marked "the screen's own"."""

    KIND: ClassVar[Kind]  # the procedures it walks; its value starts the widgets' ids: #runbook-head…
    NOUN: ClassVar[str]  # "step" or "item", as the ids, the note's placeholder and the messages say it
    MANUAL_HINT: ClassVar[str]  # how a step without a check is done: "mark it done with space"
    MANUAL: ClassVar[str]  # "this step is manual: {hint}"
    NO_ACTION: ClassVar[str]  # "this step has no action"
    NOTE_PLACEHOLDER: ClassVar[str]  # "note for this step (Enter saves, Esc cancels)"

    DEFAULT_CSS = """
    ProcedureScreen {
        .walk-head { height: auto; }
        .walk-body { height: 1fr; }
        .walk-steps { height: 1fr; padding-right: 1; }
        .walk-detail { width: 1fr; height: 1fr; }
        .walk-note { display: none; }
        .walk-note.-editing { display: block; }
        .walk-message { height: auto; color: $text-muted; }
        .walk-keys { height: 1; color: $text-muted; }
    }
    """

    def __init__(self, services: AppServices, procedure: Procedure) -> None:
        super().__init__()
        self.services = services
        self.language = services.config.ui.language
        self.procedure = procedure
        self.runner: ProcedureRunner | None = None
        self.running: set[str] = set()  # steps whose check runs now
        self.store = app_stores(services).runs  # SQLite, or the team table ([team] table)
        self.opened_at = services.clock()  # a check result older than this is history until re-run

    def kept_age(self, latest: StepRecord | None) -> float | None:
        """Seconds since ``latest`` was judged when it is from before this opening (a resumed run, another demo
        world): shown as old, not as the state now. None: judged since the screen opened (or no result)."""
        if latest is None or latest.at >= self.opened_at:
            return None
        if self.runner is not None and (result := self.runner.last_results.get(latest.step_id)) is not None:
            if result.checked_at == latest.at:
                return None
        return (self.services.clock() - latest.at).total_seconds()

    def part(self, name: str) -> str:
        """The selector of one of this screen's widgets: ``part("head")`` → ``#runbook-head``."""
        return f"#{self.KIND.value}-{name}"

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        prefix, noun = self.KIND.value, self.NOUN
        with Vertical(classes="modal-frame") as frame:
            frame.border_title = Text(make_visible(self.procedure.title))  # a user file's title: never markup
            yield Static(id=f"{prefix}-head", classes="walk-head")
            with Horizontal(id=f"{prefix}-body", classes="walk-body"):
                yield Static(id=f"{prefix}-{noun}s", classes="walk-steps")
                with VerticalScroll(id=f"{prefix}-detail", classes="walk-detail"):
                    yield Static(id=f"{prefix}-{noun}")
                    yield from self.compose_charts()
                    yield Static(id=f"{prefix}-evidence")
            yield from self.compose_below_steps()
            yield Input(placeholder=tr(self.NOTE_PLACEHOLDER, self.language), id=f"{prefix}-note", classes="walk-note")
            yield Static(id=f"{prefix}-message", classes="walk-message")
            yield Static(self.keys_line(), id=f"{prefix}-keys", classes="walk-keys")

    def on_mount(self) -> None:
        self.say(tr("opening the run…", self.language))
        self.start()
        self.start_refreshing()

    # -- the run -----------------------------------------------------------------------------------

    def check_context(self) -> CheckContext:
        return CheckContext(self.services.gateway, self.services.config, self.services.clock, self.services.state.current)

    @work(group="procedure-run", exit_on_error=False)
    async def start(self) -> None:
        started_by = await self.services.actions.identity_arn()
        try:
            self.runner = await ProcedureRunner.resume_or_start(
                self.procedure, self.store, self.check_context(), started_by=started_by
            )
        except Exception as error:  # an unwritable state directory: say so, keep the app running
            self.say(tr("cannot open the run store: {error}", self.language).format(error=error), error=True)
            return
        if self.runner.resumed:
            started = f"{self.runner.run.started_at:%Y-%m-%d %H:%M} UTC"
            resumed = tr(
                "resumed the run started {started}: its automatic checks run again; older results are shown dim", self.language
            )
            self.say(resumed.format(started=started))
        else:
            self.run_started()
        self.show_all()
        for step in self.opening_checks():  # no result yet, or one kept from before this opening: checked now
            latest = self.runner.run.latest_check(step.id)
            if latest is None or self.kept_age(latest) is not None:
                await self.check_step(step.id)

    async def check_step(self, step_id: str) -> None:
        if self.runner is None or step_id in self.running:
            return
        self.running.add(step_id)
        self.show_all()
        try:
            await self.before_check()
            self.runner.context = self.check_context()
            result = await self.runner.check(step_id)
            if result is not None:
                self.publish("check", f"{step_id}: {result.verdict.marker} {result.summary}")
        except Exception as error:  # the store failing must not close the screen
            self.say(tr("could not record the check: {error}", self.language).format(error=error), error=True)
        finally:
            self.running.discard(step_id)
            self.show_all()

    def publish(self, kind: str, text: str) -> None:
        """A step, check or action on the bus (an open incident's timeline records it)."""
        self.services.events.publish(ProcedureActivity(self.services.clock(), self.procedure.title, kind, text))

    # -- keys --------------------------------------------------------------------------------------

    async def action_move(self, delta: int) -> None:
        if self.runner is not None:
            await self.runner.move(delta)
            self.show_all()

    async def action_mark(self) -> None:
        if self.runner is not None:
            step = self.runner.current
            state = await self.runner.mark()
            self.publish("step", self.marked_text(step, state))
            self.show_all()

    def action_note(self) -> None:
        if self.runner is None:
            return
        note = self.query_one(self.part("note"), Input)
        note.value = self.runner.run.state(self.runner.current.id).note
        note.add_class("-editing")
        note.focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(self.part("note"), Input).remove_class("-editing")
        if self.runner is not None:
            step_id = self.runner.current.id
            state = self.runner.run.state(step_id)
            saved = await self.runner.mark(done=state.done, note=event.value.strip())
            self.publish("step", f"{step_id} note: {saved.note}")
            self.say(tr("note saved", self.language))
            self.show_all()

    def action_recheck(self) -> None:
        if self.runner is None:
            return
        step = self.runner.current
        if step.check is None:
            self.say(tr(self.MANUAL, self.language).format(hint=tr(self.MANUAL_HINT, self.language)))
            return
        self.run_worker(self.check_step(step.id), group="procedure-check", exit_on_error=False)

    def action_act(self) -> None:
        if self.runner is None:
            return
        step = self.runner.current
        if step.action is None:
            self.say(tr(self.NO_ACTION, self.language))
            return
        self.plan_action(step.id, step.action)

    @work(group="procedure-action", exclusive=True, exit_on_error=False)
    async def plan_action(self, step_id: str, action_id: str) -> None:
        spec = ACTIONS[action_id]
        services = self.services
        context = ActionContext(services.actions, services.gateway, services.config, services.clock, services.lifecycles)
        try:
            plan = await spec.plan(context)
        except Exception as error:
            self.say(tr("{action}: cannot prepare it: {error}", self.language).format(action=spec.title, error=error), error=True)
            return
        read_only = self.services.actions.read_only
        say = self.language
        target = tr("target: {target}", say).format(target=plan.target)
        lines = [plan.title, target, tr("Request: {request}", say).format(request=request_json(plan.request))]  # as the rollback
        confirmation = Confirmation(
            title=spec.title,
            what_happens=lines,
            expected=plan.phrase,
            confirm_label=tr("Run", say),
            disabled_reason=tr("read-only mode: every mutating action is refused", say) if read_only else None,
        )

        async def execute() -> ActionResult:
            return await run_action(plan, plan.phrase, spec, context)  # the dialog checked the typed text

        self.app.push_screen(ConfirmationDialog(confirmation, execute), partial(self._acted, step_id, spec.title, plan))

    def _acted(self, step_id: str, title: str, plan: ActionPlan, result: ActionResult | None) -> None:
        if result is None:
            self.run_worker(plan.cancel(), group="procedure-record", exit_on_error=False)  # its final record
            self.say(tr("{action}: cancelled, nothing was sent", self.language).format(action=title))
            return
        watching = " — " + tr("watching it until it ends…", self.language) if result.follow else ""
        self.say(result.summary + watching, error=not result.done)
        self.run_worker(self._record(step_id, result), group="procedure-record", exit_on_error=False)

    async def _record(self, step_id: str, result: ActionResult) -> None:
        """The action's outcome on the run; one that goes on (an export) is watched to its end, then its step
        is checked again."""
        if self.runner is None:
            return
        await self.runner.record_action(step_id, result)
        self.publish("action", f"{step_id}: {result.summary}")
        self.show_all()
        if result.follow is None:
            return
        try:
            final = await result.follow()
        except Exception as error:  # the watch failing is shown; what AWS does goes on regardless
            self.say(tr("stopped watching: {error}", self.language).format(error=f"{type(error).__name__}: {error}"), error=True)
            return
        await self.runner.record_action(step_id, final)
        self.publish("action", f"{step_id}: {final.summary}")
        self.say(final.summary, error=not final.done)
        await self.check_step(step_id)

    async def action_finish(self) -> None:
        if self.runner is not None and not self.runner.finished:
            await self.runner.finish()
            self.run_finished()
            self.show_all()

    def action_leave(self) -> None:
        note = self.query_one(self.part("note"), Input)
        if note.has_class("-editing"):
            note.remove_class("-editing")
            return
        self.dismiss(None)

    # -- rendering -----------------------------------------------------------------------------------

    def say(self, message: str, *, error: bool = False) -> None:
        if self.is_mounted:
            self.query_one(self.part("message"), Static).update(Text(make_visible(message), style="bold red" if error else ""))

    def show_all(self) -> None:
        if not self.is_mounted:
            return
        self.show_head()
        self.show_steps()
        self.show_detail()

    def show_head(self) -> None:
        head = Text()
        head.append(make_visible(self.procedure.symptom), style="bold")
        if self.runner is not None:
            run = self.runner.run
            done = sum(self.is_done(step, run) for step in self.procedure.steps)
            started = f"{run.started_at:%Y-%m-%d %H:%M:%S}"
            line = tr("run #{id} started {started} UTC · {done}/{total} done", self.language)
            head.append("\n" + line.format(id=run.id, started=started, done=done, total=len(self.procedure.steps)))
            self.append_head(head, run)
        self.query_one(self.part("head"), Static).update(head)

    def show_steps(self) -> None:
        """One line per step: the cursor, the box ([x] when done), then the screen's own line."""
        runner = self.runner
        text = Text()
        for index, step in enumerate(self.procedure.steps):
            current = runner is not None and index == runner.index
            line = Text("▶ " if current else "  ", style="bold" if current else "")
            line.append("[x] " if runner is not None and self.is_done(step, runner.run) else "[ ] ")
            line.append_text(self.step_line(index, step, current))
            text.append_text(line)
            text.append("\n")
        self.query_one(self.part(f"{self.NOUN}s"), Static).update(text)

    def show_detail(self) -> None:
        """The current step: the screen's own detail, its action, the evidence of its newest check."""
        if self.runner is None:
            return
        step, run = self.runner.current, self.runner.run
        latest = run.latest_check(step.id)
        detail = self.step_detail(step, run, latest)
        append_action(detail, step, run, self.language)
        self.query_one(self.part(self.NOUN), Static).update(detail)
        evidence = Text()
        for line in latest.evidence if latest else ():
            evidence.append(make_visible(line) + "\n")
        self.query_one(self.part("evidence"), Static).update(evidence)

    # -- the screen's own (a subclass says these) ---------------------------------------------------------

    def keys_line(self) -> Text:
        raise NotImplementedError

    def compose_charts(self) -> ComposeResult:
        """Widgets between the step's detail and its evidence."""
        return ()

    def compose_below_steps(self) -> ComposeResult:
        """Widgets between the steps and the note."""
        return ()

    def start_refreshing(self) -> None:
        """On mount: the timers and subscriptions that keep the screen current."""

    def opening_checks(self) -> Sequence[Step]:
        """The steps whose checks run by themselves when the screen opens (those without a result yet)."""
        raise NotImplementedError

    def run_started(self) -> None:
        """A new run was started (not resumed): say so."""
        raise NotImplementedError

    def run_finished(self) -> None:
        """The run was just finished (f): say so."""
        self.say(tr("run finished: the next opening starts a new one", self.language))

    async def before_check(self) -> None:
        """Just before a check runs."""

    def marked_text(self, step: Step, state: StepState) -> str:
        """What space did to ``step``, as its activity on the bus says it."""
        raise NotImplementedError

    def is_done(self, step: Step, run: ProcedureRun) -> bool:
        """Whether its box is ticked and it counts as done in the head."""
        return run.state(step.id).done

    def append_head(self, head: Text, run: ProcedureRun) -> None:
        """What the head says after "run #N started … · d/t done"."""

    def step_line(self, index: int, step: Step, current: bool) -> Text:
        """A step's line after its cursor and box."""
        raise NotImplementedError

    def step_detail(self, step: Step, run: ProcedureRun, latest: StepRecord | None) -> Text:
        """The current step's detail above its action: its text, done, note, check result."""
        raise NotImplementedError


# -- opening one ----------------------------------------------------------------------------------------


PICKER = {Kind.RUNBOOK: N_("Runbook…"), Kind.CHECKLIST: N_("Checklist…")}


def open_procedure(app: Any, screen_type: type[ProcedureScreen], procedure: Procedure) -> None:
    """Open ``procedure`` on ``screen_type``, in place of one already open."""
    if isinstance(app.screen, screen_type):
        app.pop_screen()
    app.push_screen(screen_type(app.services, procedure))


def pick_procedure(app: Any, screen_type: type[ProcedureScreen]) -> None:
    """The list of the screen's procedures to pick one from ("Runbook…")."""
    app.search_commands(
        [
            (f"{p.title} — {p.symptom}", partial(open_procedure, app, screen_type, p))
            for p in procedures_of(app.services, screen_type.KIND)
        ],
        placeholder=tr(PICKER[screen_type.KIND], language_of(app)),
    )


def palette_commands(app: Any, screen_type: type[ProcedureScreen]) -> list[PaletteCommand]:
    """One palette entry per procedure of the screen's kind: ``Runbook: <title>``."""
    label = screen_type.KIND.value.capitalize()  # English in both languages: the palette's search is commands.py's
    return [
        PaletteCommand(f"{label}: {p.title}", p.symptom, partial(open_procedure, app, screen_type, p))
        for p in procedures_of(app.services, screen_type.KIND)
    ]
