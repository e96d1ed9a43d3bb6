"""S26 rollback: the family's revisions beside the diff against the running one and the S25 conditions live.
The dry run (``d``, here with the diff), the typed confirmation, the audited call and the watch are
``DeployFlowScreen``'s, shared with the S09 forced deployment."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from kojan_tui.actions.audited import DeployRequest
from kojan_tui.core.before_after import before_after, dashboard_series
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.models import TaskDefinition
from kojan_tui.core.revisions import RevisionRow, preselected, previous_note, revision_rows, rolled_back_from
from kojan_tui.core.state import DashboardState
from kojan_tui.core.task_diff import task_definition_diff
from kojan_tui.core.verdict import task_definition_label
from kojan_tui.ui.capabilities import Capability, one_command, open_once
from kojan_tui.ui.screens.deploy_flow import DeployFlowScreen, Deployment
from kojan_tui.ui.screens.what_changed import banner_line
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.widgets.before_after_table import before_after_renderable
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from kojan_tui.ui.widgets.rollback_banner import ROLLBACK_KEY
from kojan_tui.ui.widgets.rollout_view import RolloutView

HISTORY_LIMIT = 10
RECENT_HISTORY = timedelta(hours=24)  # a rollback this recent marks the revision it left
MAX_DIFF_LINES_IN_CONFIRMATION = 12


def s25_renderable(state: DashboardState, now: datetime, language: str = "en") -> RenderableType:
    """S25 as it stands: what holds, and never "nothing holds" on data the app does not have (no credentials,
    AWS unreachable, first poll running, no current datapoint): then it says it could not judge, and why."""
    reasons = state.view.rollback
    why = make_visible(state.unjudged_reason(now))
    if not reasons:
        if why:
            return Text(
                tr("S25 now: could not judge — {why}. That no roll-back-at-once condition holds is NOT known.", language).format(
                    why=why
                ),
                style="bold yellow",
            )
        return Text(tr("S25 now: no roll-back-at-once condition holds.", language), style="green")
    lines = [Text(tr("S25 now: ROLL BACK — a roll-back-at-once condition holds:", language), style="bold red")]
    lines += [Text(f"  ✖ {make_visible(r.text)}", style="red") for r in reasons]
    if why:
        lines.append(
            Text("  " + tr("(the other conditions could not be judged: {why})", language).format(why=why), style="yellow")
        )
    return Group(*lines)


def diff_renderable(running: TaskDefinition | None, row: RevisionRow | None, language: str = "en") -> RenderableType:
    if row is None:
        return Text(tr("No revision chosen.", language), style="dim")
    running_label = task_definition_label(running.arn) if running else "?"
    title = Text(tr("{running} (running) → {chosen}", language).format(running=running_label, chosen=row.label), style="bold")
    if row.why_not:
        return Group(title, Text(tr("Cannot be chosen: {why}", language).format(why=row.why_not), style="yellow"))
    if running is None:
        return Group(title, Text(tr("The running revision is not known yet: no diff.", language), style="yellow"))
    lines = task_definition_diff(running, row.task_definition)
    if not lines:
        same = tr("No difference in image, sizes, environment, secrets, ports or health check.", language)
        return Group(title, Text(same, style="dim"))
    style = {"added": "green", "removed": "red", "changed": "yellow"}
    return Group(title, *(Text(make_visible(line.text), style=style[line.kind]) for line in lines))


class RollbackScreen(DeployFlowScreen):
    ID_PREFIX = "rollback"
    NOUN = N_("The rollback")

    DEFAULT_CSS = """
    RollbackScreen {
        #rollback-s25 { height: auto; }
        #rollback-before-after { height: auto; margin-bottom: 1; }
        #rollback-body { height: 1fr; }
        #revisions { width: auto; max-width: 50%; height: 1fr; }
        #rollback-right { width: 1fr; height: 1fr; padding: 0 1; }
        #rollback-diff { height: auto; margin-bottom: 1; }
    }
    """

    BINDINGS = [
        Binding("enter", "deploy", N_("Roll back…"), priority=True),
        Binding("r", "reload", N_("Reload")),
    ]

    def __init__(self, services: AppServices) -> None:
        super().__init__(services)
        self.rows: tuple[RevisionRow, ...] = ()
        self.running: TaskDefinition | None = None
        self.acknowledged: str | None = None  # the rolled-back-from revision Enter was pressed on once (the extra yes)

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame") as box:
            box.border_title = tr("S26 Roll back {service}", self.language).format(service=self.services.config.service.name)
            yield Static(id="rollback-s25")
            yield from self.read_only_notice(N_("rolling back is shown but disabled"))
            with Horizontal(id="rollback-body"):
                yield DataTable(id="revisions", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="rollback-right"):
                    yield Static(id="rollback-before-after")
                    yield Static(id="rollback-diff")
                    yield RolloutView(id="rollback-watch")
            yield self.status_line(tr("Loading the revisions…", self.language))

    def on_mount(self) -> None:  # Textual runs DeployFlowScreen.on_mount too: the state and the watch followed
        table = self.query_one("#revisions", DataTable)
        for key, label in (("rev", N_("rev")), ("tag", N_("image tag")), ("registered", N_("registered (UTC)"))):
            table.add_column(tr(label, self.language), key=key)
        table.add_column("", key="note")
        self.load()
        self.set_interval(1.0, lambda: self.on_state(self.services.state.current))  # "could not judge" ages too

    def on_state(self, state: DashboardState) -> None:
        now, language = self.services.clock(), self.services.config.ui.language
        s25 = s25_renderable(state, now, language)
        if (changed := banner_line(self.services, on_dashboard=False)) is not None:  # what differs from the last healthy snapshot
            s25 = Group(s25, Text(changed, style="yellow"))
        self.query_one("#rollback-s25", Static).update(s25)
        series = dashboard_series(state.data.metrics, state.data.slo_recent)
        compared = before_after(series, state.data.service, now, state.data.metrics_period)
        self.query_one("#rollback-before-after", Static).update(before_after_renderable(compared, language))

    # ---- the revisions ----------------------------------------------------------------------------

    @work(exclusive=True, group="rollback-load")
    async def load(self) -> None:
        config, gateway = self.services.config.service, self.services.gateway
        service = self.services.state.current.data.service
        try:
            if service is None:
                service = await gateway.describe_service(config.cluster, config.name)
            history = await gateway.task_definition_history(config.task_family, limit=HISTORY_LIMIT)
        except AwsFailure as failure:
            unread = tr("⚠ the revisions could not be read: {kind}: {message}", self.language)
            self._status(unread.format(kind=failure.kind.value, message=failure.message), error=True)
            return
        try:  # what the trail says this console sent: a rollback marks the revision it left
            entries = await asyncio.to_thread(self.services.actions.audit.entries)
        except OSError:
            entries = []
        since = self.services.clock() - RECENT_HISTORY
        left = rolled_back_from(entries, service, f"{config.cluster}/{config.name}", since=since)
        self.rows = revision_rows(history, service, left)
        running_label = task_definition_label(service.primary.task_definition if service.primary else service.task_definition)
        self.running = next((r.task_definition for r in self.rows if r.label == running_label), None)
        if self.running is None:
            try:
                self.running = await gateway.describe_task_definition(running_label)
            except AwsFailure:
                self.running = None
        table = self.query_one("#revisions", DataTable)
        table.clear()
        for index, row in enumerate(self.rows):
            registered = f"{row.task_definition.registered_at:%Y-%m-%d %H:%M}" if row.task_definition.registered_at else "?"
            note = (
                tr("● running now", self.language)
                if row.running_now
                else row.task_definition.status
                if not row.selectable and row.why_not != "runs now"
                else ""
            )
            if row.used_before and not note:
                note = tr("used before", self.language)
            if row.rolled_back_from is not None:
                note = "⚠ " + row.rolled_back_from.text()
            style = "dim" if not row.selectable else ""
            warn = row.task_definition.status != "ACTIVE" or row.rolled_back_from is not None
            table.add_row(
                Text(str(row.revision), style=style),
                Text(make_visible(row.image_tag), style=style),
                Text(registered, style=style),
                Text(make_visible(note), style="yellow" if warn else style),
                key=str(index),
            )
        chosen = preselected(self.rows)
        if chosen is not None:
            table.move_cursor(row=chosen)
        table.focus()
        note = previous_note(self.rows)
        keys = tr("Enter: roll back to the highlighted revision · d: dry run · Esc: close", self.language)
        self._status((note + " " if note else "") + keys)
        self._show_diff()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.acknowledged = None  # the extra yes is for the row it was given on
        self._show_diff()

    @property
    def chosen(self) -> RevisionRow | None:
        table = self.query_one("#revisions", DataTable)
        if not self.rows or table.cursor_row is None or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _show_diff(self) -> None:
        diff = diff_renderable(self.running, self.chosen, self.language)
        row = self.chosen
        if row is not None and row.rolled_back_from is not None:
            was = tr("⚠ The service was {what}.", self.language).format(what=make_visible(row.rolled_back_from.text()))
            warning = Text(was, style="bold yellow")
            diff = Group(warning, diff)
        self.query_one("#rollback-diff", Static).update(diff)

    # ---- what Enter sends ------------------------------------------------------------------------

    def request_for(self, row: RevisionRow) -> DeployRequest:
        config = self.services.config.service
        return DeployRequest(
            config.cluster,
            config.name,
            "rollback",
            task_definition=row.task_definition.arn,
            before_task_definition=self.running.arn if self.running else None,
        )

    def _choosable(self) -> RevisionRow | None:
        row = self.chosen
        if row is None:
            self._status(tr("No revision chosen (the list is still loading or empty).", self.language), error=True)
            return None
        if row.why_not:
            self._status(
                tr("{revision} cannot be chosen: {why}", self.language).format(revision=row.label, why=row.why_not), error=True
            )
            return None
        return row

    def action_deploy(self) -> None:
        """Enter; on a revision the service was just rolled back from, only the second Enter goes on."""
        if isinstance(self.app.screen, ConfirmationDialog):
            return
        row = self.chosen
        if row is not None and row.selectable and row.rolled_back_from is not None and self.acknowledged != row.label:
            self.acknowledged = row.label
            again = tr(
                "⚠ {revision}: the service was {what}. Deploying it again brings back what was rolled back."
                " Press Enter again to go on to the confirmation anyway (Esc or another row: no).",
                self.language,
            )
            self._status(again.format(revision=row.label, what=row.rolled_back_from.text()), error=True)
            return
        super().action_deploy()

    def deployment(self) -> Deployment | None:
        row = self._choosable()
        if row is None:
            return None
        request, say = self.request_for(row), self.language
        diff = [line.text for line in task_definition_diff(self.running, row.task_definition)] if self.running else []
        if len(diff) > MAX_DIFF_LINES_IN_CONFIRMATION:
            more = len(diff) - MAX_DIFF_LINES_IN_CONFIRMATION
            diff = diff[:MAX_DIFF_LINES_IN_CONFIRMATION] + [tr("… and {n} more", say).format(n=more)]
        before = task_definition_label(self.running.arn) if self.running else "?"
        again = (
            [tr("⚠ Deploying again a revision the service was {what}.", say).format(what=row.rolled_back_from.text())]
            if row.rolled_back_from
            else []
        )
        update = tr("UpdateService on {target}: {before} → {after} (image {image})", say).format(
            target=request.target, before=before, after=row.label, image=row.image_tag
        )
        return Deployment(
            request,
            tr("Deploy {revision} again", say).format(revision=row.label)
            if row.rolled_back_from
            else tr("Roll back {service}", say).format(service=request.service),
            tr("Deploy again", say) if row.rolled_back_from else tr("Roll back", say),
            summary=[*again, update],
            details=diff,
            dry_run_extra=[diff_renderable(self.running, row, say)],
        )

    def action_reload(self) -> None:
        self.load()


open_rollback = open_once(RollbackScreen)


ROLLBACK = Capability(
    name="rollback",
    description=N_("Roll back"),
    key=ROLLBACK_KEY,
    tooltip=N_("S26: revisions, diff, dry run, typed confirmation, rollout watch"),
    open=open_rollback,
    commands=one_command(
        N_("Rollback"), N_("S26: deploy an earlier task definition revision (typed confirmation)"), open_rollback
    ),
)
