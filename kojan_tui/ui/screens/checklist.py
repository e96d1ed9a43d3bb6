"""The checklist walkthrough (S11 S12 S14 S18/S20 S21 S27 S28 S29): items ticked by hand (with a note) or
checked by the app (verdict and evidence), S27's archive action behind the typed confirmation, S29's timer.

Keys: j/k or arrows move, space ticks, n adds a note, r re-runs the item's check, c checks every automatic
item, a runs the item's action, w writes the run as Markdown to a new file in the current directory, f
finishes the run, Esc leaves (the run stays saved and resumes next time). Dashboard key ``k``; the palette
lists ``Checklist: <title>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding

from kojan_tui.core.events import AlertFired
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.procedures.checklist import export_name, item_status, progress, run_markdown, write_new_file
from kojan_tui.procedures.checks import Verdict
from kojan_tui.procedures.checks_stability import STABILITY_CHECK, timer_start
from kojan_tui.procedures.files import latest_files, recorded_paths
from kojan_tui.procedures.models import Kind, Procedure, Step
from kojan_tui.procedures.runs import ProcedureRun, StepRecord, StepState
from kojan_tui.procedures.stability_watch import StabilityWatch
from kojan_tui.ui.capabilities import Capability
from kojan_tui.ui.screens.file_entry import FileEntryScreen, append_files
from kojan_tui.ui.screens.procedure import (
    VERDICT_STYLE,
    ProcedureScreen,
    append_check_result,
    append_done_and_note,
    palette_commands,
    pick_procedure,
    procedures_of,
    walk_bindings,
)
from kojan_tui.ui.screens.speaks import language_of
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.team_stores import app_stores

RELOAD_SECONDS = 5.0  # another instance's ticks show up this often


def checklists(services: AppServices) -> list[Procedure]:
    return procedures_of(services, Kind.CHECKLIST)


def _clock(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    return f"{seconds // 60}:{seconds % 60:02d}"


class ChecklistScreen(ProcedureScreen):
    """A checklist: every automatic item checks itself on opening, an item is done when ticked or when its
    check passed; c checks them all, w writes the run as Markdown; ticks written by another instance (or the
    S29 alert watch) show up; S29's timer counts down and is judged when it ends."""

    KIND, NOUN, MANUAL_HINT = Kind.CHECKLIST, "item", N_("tick it with space")
    MANUAL, NO_ACTION = N_("this item is manual: {hint}"), N_("this item has no action")
    NOTE_PLACEHOLDER = N_("note for this item (Enter saves, Esc cancels)")

    DEFAULT_CSS = """
    ChecklistScreen {
        #checklist-items { width: 50%; text-wrap: nowrap; text-overflow: ellipsis; }
    }
    """

    BINDINGS = walk_bindings(
        "item",
        N_("Tick / untick"),
        Binding("p", "files", N_("Files")),
        Binding("w", "write", N_("Write Markdown")),
        checking=[Binding("c", "check_all", N_("Check all"))],
    )

    def keys_line(self) -> Text:
        return Text(
            tr(
                "j/k move · space tick · n note · r re-run check · c check all · a action · p files · w write .md · f finish"
                " · Esc back",
                self.language,
            )
        )

    def start_refreshing(self) -> None:
        self.set_interval(1.0, self.tick_timers)
        self.set_interval(RELOAD_SECONDS, self.reload)

    # -- the run -----------------------------------------------------------------------------------

    def opening_checks(self) -> Sequence[Step]:
        return [step for step in self.procedure.steps if step.check]

    def run_started(self) -> None:
        assert self.runner is not None
        self.say(tr("new run started: the automatic items check themselves", self.language))
        self.publish("step", f"run #{self.runner.run.id} started")

    def run_finished(self) -> None:
        assert self.runner is not None
        done, total = progress(self.procedure, self.runner.run)
        self.publish("step", f"run #{self.runner.run.id} finished, {done}/{total} done")
        self.say(tr("run finished: w writes it; the next opening starts a new one", self.language))

    async def before_check(self) -> None:
        await self.refresh_run()  # a check judges the run as stored (alerts the S29 watch recorded)

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

    def marked_text(self, step: Step, state: StepState) -> str:
        return f"{step.id} {'ticked' if state.done else 'unticked'}"

    def action_check_all(self) -> None:
        if self.runner is None:
            return

        async def every() -> None:
            for step in self.procedure.steps:
                if step.check and step.check != STABILITY_CHECK:  # the timer is checked on its own (r)
                    await self.check_step(step.id)

        self.run_worker(every(), group="procedure-check", exit_on_error=False)

    def action_files(self) -> None:
        """The files the item asks for (S15), recorded on the run."""
        runner, language = self.runner, self.services.config.ui.language
        if runner is None:
            return
        step = runner.current
        if not step.files:
            self.say(tr("this item asks for no files", language))
            return

        async def save(record: StepRecord) -> None:
            await runner.add(record)
            self.publish("step", f"{step.id}: {record.summary}")

        paths = recorded_paths(latest_files(runner.run, step.id))
        self.app.push_screen(FileEntryScreen(step, paths, language, self.services.clock, save), self._files_recorded)

    def _files_recorded(self, record: StepRecord | None) -> None:
        if record is not None:
            self.say(record.summary)
            self.show_all()

    async def action_write(self) -> None:
        if self.runner is None:
            return
        text = run_markdown(self.procedure, self.runner.run)
        try:
            path = write_new_file(Path.cwd(), export_name(self.procedure, self.runner.run), text)
        except OSError as error:
            self.say(tr("not written: {error}", self.language).format(error=error), error=True)
            return
        self.say(tr("written to {path}", self.language).format(path=path))

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
                self.run_worker(self.check_step(step_id), group="procedure-check", exit_on_error=False)
        if timers:
            self.show_steps()
            self.show_detail()

    # -- rendering -----------------------------------------------------------------------------------

    def is_done(self, step: Step, run: ProcedureRun) -> bool:
        return item_status(step, run).done  # ticked, or automatic with a passing check

    def append_head(self, head: Text, run: ProcedureRun) -> None:
        """How many items have each verdict, who runs it, when it was finished."""
        counts = {v: 0 for v in Verdict}
        for step in self.procedure.steps:
            verdict = item_status(step, run).verdict
            if verdict is not None:
                counts[verdict] += 1
        for verdict, count in counts.items():
            if count:
                head.append(f" · {verdict.marker} {count}", style=VERDICT_STYLE[verdict])
        who = make_visible(run.started_by) if run.started_by else tr("unknown identity", self.language)
        head.append("\n" + tr("run by {who}", self.language).format(who=who), style="dim")
        if run.finished_at:
            finished = tr("finished {at}", self.language).format(at=f"{run.finished_at:%Y-%m-%d %H:%M:%S}")
            head.append(f" · {finished} UTC", style="bold")

    def step_line(self, index: int, step: Step, current: bool) -> Text:
        """The verdict (or auto/manual), the timer, action and note marks, the text."""
        status = item_status(step, self.runner.run) if self.runner else None
        line = Text()
        if step.id in self.running:
            line.append(tr("… check ", self.language), style="dim")
        elif status is not None and status.verdict is not None:
            if self.kept_age(status.latest) is not None:  # from before this opening: history, dim
                was = tr("was {marker}", self.language).format(marker=status.verdict.marker)
                line.append(f"{was:<12}", style="dim")
            else:
                line.append(f"{status.verdict.marker:<8}", style=VERDICT_STYLE[status.verdict])
        else:
            line.append(tr("· auto  ", self.language) if step.check else tr("  manual", self.language), style="dim")
        left = self.timer_left(step.id) if step.check == STABILITY_CHECK else None
        if left is not None:
            line.append(f" ⏱ {_clock(left)}", style="yellow")
        line.append(" ⚡" if step.action else "  ", style="dim")
        line.append("✎ " if status is not None and status.note else "  ", style="dim")
        line.append(make_visible(step.text.splitlines()[0]), style="reverse" if current else "")
        return line

    def step_detail(self, step: Step, run: ProcedureRun, latest: StepRecord | None) -> Text:
        detail = Text()
        detail.append(make_visible(step.text), style="bold")
        say = self.language
        how = tr("automatic: {check}", say).format(check=step.check) if step.check else tr("manual: tick it with space", say)
        detail.append(f"\n{how}", style="dim")
        append_done_and_note(detail, run.state(step.id), N_("ticked"), say)
        append_files(detail, step, latest_files(run, step.id), say)
        if step.check:
            detail.append("\n\n" + tr("result: ", say), style="dim")
            if step.id in self.running:
                detail.append(tr("checking…", say))
            elif latest is None:
                detail.append(tr("not checked yet (r)", say))
            else:
                append_check_result(detail, latest, self.kept_age(latest), say)
                left = self.timer_left(step.id) if step.check == STABILITY_CHECK else None
                if left is not None:
                    judged = tr("{left} left; judged when it ends (r judges now)", say).format(left=_clock(left))
                    detail.append(f"\n⏱ {judged}", style="yellow")
        return detail


# -- opening it ----------------------------------------------------------------------------------------


def install(app: Any) -> None:
    """S29's timer hears every alert fired while it runs, whether or not the checklist screen is open."""
    services: AppServices = app.services
    watch = StabilityWatch(app_stores(services).runs, checklists(services), services.config.checklists.stability_minutes)

    def fired(event: AlertFired) -> None:
        text = f"{event.alert.title}: {event.alert.value_text}"
        app.run_worker(watch.alert_fired(text, event.at), group="checklist-stability", exit_on_error=False)

    services.events.subscribe(AlertFired, fired)
    app.run_worker(remind_open_runs(app), group="checklist-remind", exit_on_error=False)


async def remind_open_runs(app: Any) -> None:
    """On start: the checklist runs left open (a killed process, a lost SSH session) are named once."""
    store = app_stores(app.services).runs  # SQLite, or the team table
    for run in await store.runs("checklist", 20):
        if run.finished_at is None:
            app.notify(
                tr("Checklist {title}: run #{id} open since {since} UTC — k resumes it", language_of(app)).format(
                    title=run.title, id=run.id, since=f"{run.started_at:%Y-%m-%d %H:%M}"
                ),
                timeout=10,
                markup=False,
            )


CHECKLISTS = Capability(
    name="checklist",
    description=N_("Checklists"),
    key="k",
    tooltip=N_("S11 S12 S14 S18/S20 S21 S27 S28 S29: guided checklists that check themselves"),
    open=lambda app: pick_procedure(app, ChecklistScreen),
    install=install,
    commands=lambda app: palette_commands(app, ChecklistScreen),
)
