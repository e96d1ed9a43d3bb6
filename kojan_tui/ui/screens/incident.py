"""Incidents (S23, S24): start ER-NNN, fill in the guide's fields, watch the timeline fill itself, close,
export (a row in er.md and a full report), and replay the recorded dashboard.

Key ``i`` on the dashboard, palette ``Incident``. The recorder (``kojan_tui/incidents/recorder.py``) is
installed on mount and resumes an incident left open by a killed process.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Label, Static

from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.events import EmergencyStarted
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.incidents import ErFileError, IncidentRecord
from kojan_tui.core.localtime import clock, local_time, zone_label
from kojan_tui.core.logtext import make_visible, truncate
from kojan_tui.core.response_flow import label, next_stage, stage_entry
from kojan_tui.incidents.recorder import IncidentRecorder
from kojan_tui.store.incidents import EDITABLE_FIELDS
from kojan_tui.ui.capabilities import Capability, one_command, open_once
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.team_stores import app_stores
from kojan_tui.ui.widgets.response_flow import flow_text

EXTENSION = "incidents"
FIELD_LABELS = {  # ja: the guide's er.md column names
    "title": N_("Title"),
    "test_item": N_("Test item (T-YYY)"),
    "module": N_("Module"),
    "what_failed": N_("What failed"),
    "what_was_done": N_("What was done"),
    "classification": N_("Classification"),
}


def recorder_of(services: AppServices) -> IncidentRecorder:
    return services.extensions[EXTENSION]


class IncidentScreen(FramedModal[None]):
    DEFAULT_CSS = """
    IncidentScreen {
        #incident-head { height: auto; text-style: bold; }
        #incident-flow { height: auto; margin-bottom: 1; }
        #incident-message { height: auto; color: $text-muted; }
        #incident-message.-error { color: $text-error; }
        #incident-fields { height: auto; }
        #incident-fields Horizontal { height: 3; }
        #incident-fields Label { width: 32; padding: 1 1 0 0; color: $text-muted; }
        #incident-fields Input { width: 1fr; }
        DataTable { height: 1fr; }
    }
    """

    BINDINGS = [
        Binding("escape", "close_screen", N_("Back")),
        Binding("n", "start", N_("Start incident")),
        Binding("s", "next_stage", N_("Next S06 stage")),
        Binding("c", "end_incident", N_("Close incident")),
        Binding("x", "export", N_("Export er.md + report")),
        Binding("p", "replay", N_("Replay")),
        Binding("tab", "app.focus_next", N_("Next field"), show=False),  # the screen has no focus_next action
        Binding("shift+tab", "app.focus_previous", N_("Previous field"), show=False),
    ]

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self.recorder = recorder_of(services)
        self.record: IncidentRecord | None = None
        self._loading = False
        self.language = services.config.ui.language
        self.zone = services.config.ui.timezone

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame") as frame:
            frame.border_title = tr("Incident (S23, S24)", self.language)
            yield Static(id="incident-head")
            yield Static(id="incident-flow")
            yield Static(id="incident-message")
            with Vertical(id="incident-fields"):
                for name, label in FIELD_LABELS.items():
                    with Horizontal():
                        yield Label(tr(label, self.language))
                        yield Input(id=f"field-{name}")
            yield DataTable(id="incident-timeline", cursor_type="row", zebra_stripes=True)
            yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        zone = zone_label(local_time(self.services.clock(), self.zone))  # the timeline in local time (the export: UTC)
        table.add_column(tr("time ({zone})", self.language).format(zone=zone), key="at", width=10)
        table.add_column(tr("kind", self.language), key="kind", width=13)
        table.add_column(tr("what happened", self.language), key="text")
        table.focus()  # keys act from the timeline; Tab moves into the fields, where letters type
        self.reload()
        self.set_interval(2.0, self.reload)

    def say(self, message: str, *, error: bool = False) -> None:
        widget = self.query_one("#incident-message", Static)
        widget.set_class(error, "-error")
        widget.update(Text(make_visible(truncate(message, 400))))

    @work(exclusive=True, group="incident-load")
    async def reload(self) -> None:
        number = self.recorder.current
        try:
            record = await self.recorder.store.get(number) if number is not None else None
        except AwsFailure as failure:  # the team table: said on the message line, the screen keeps what it shows
            self.say(team_table_refused(failure, self.language), error=True)
            return
        self.show(record)

    def show(self, record: IncidentRecord | None) -> None:
        first = self.record is None or record is None or record.number != self.record.number
        self.record = record
        head = self.query_one("#incident-head", Static)
        fields = self.query_one("#incident-fields")
        fields.display = record is not None
        flow = self.query_one("#incident-flow", Static)
        flow.display = record is not None
        if record is None:
            head.update(Text(tr("No incident open — n starts one (numbered after the last ER in er.md)", self.language)))
            self.query_one(DataTable).clear()
            return
        since = clock(record.opened_at, self.zone, "%Y-%m-%d %H:%M:%S")
        flow.update(flow_text(record, self.language, self.zone))
        opened = tr("{record} — open since {since} · {n} timeline entries", self.language)
        head.update(Text(opened.format(record=record.record_id, since=since, n=len(record.timeline))))
        if first:
            self._loading = True
            for name in EDITABLE_FIELDS:
                self.query_one(f"#field-{name}", Input).value = getattr(record, name)
            self._loading = False
        table = self.query_one(DataTable)
        if table.row_count != len(record.timeline):
            table.clear()
            for entry in record.timeline:
                table.add_row(
                    f"{local_time(entry.at, self.zone):%H:%M:%S}", entry.kind, Text(make_visible(truncate(entry.text, 500)))
                )
            table.move_cursor(row=table.row_count - 1)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._loading or self.record is None or event.input.id is None:
            return
        self.save_field(self.record.number, event.input.id.removeprefix("field-"), event.value)

    @work(group="incident-save")
    async def save_field(self, number: int, name: str, value: str) -> None:
        try:
            await self.recorder.store.update(number, **{name: value})
        except AwsFailure as failure:
            self.say(team_table_refused(failure, self.services.config.ui.language), error=True)

    @work(exclusive=True, group="incident-action")
    async def action_start(self) -> None:
        try:
            record = await self.recorder.start()
        except (ErFileError, OSError, AwsFailure) as error:  # a malformed er.md (named, left untouched); the team table
            self.say(cannot_start(error, self.services.config.ui.language), error=True)
            return
        started = tr("{record} started: alerts, S25 reasons, actions and steps now go on its timeline.", self.language)
        self.say(started.format(record=record.record_id))
        self.reload()

    @work(exclusive=True, group="incident-action")
    async def action_next_stage(self) -> None:
        """S06: the open incident moves to its next stage; the stage's time goes on the timeline."""
        record = self.record
        if record is None:
            self.say(tr("No incident open: n starts one.", self.language), error=True)
            return
        stage = next_stage(record)
        if stage is None:
            self.say(tr("Already at the last stage of the S06 flow (verify): c closes the incident.", self.language))
            return
        entry = stage_entry(stage, self.services.clock(), self.language)
        try:
            await self.recorder.store.add_entry(record.number, entry)
        except AwsFailure as failure:
            self.say(team_table_refused(failure, self.language), error=True)
            return
        self.say(
            tr("S06 stage {number}/6: {stage}, at {time}", self.language).format(
                number=stage.number, stage=label(stage, self.language), time=clock(entry.at, self.zone, "%H:%M:%S")
            )
        )
        self.reload()

    @work(exclusive=True, group="incident-action")
    async def action_end_incident(self) -> None:
        if self.record is None:
            return
        number = self.record.number
        await self.recorder.close()
        self.say(
            tr("ER-{number} closed. Its record stays: x exports it, p replays it.", self.language).format(number=f"{number:03d}")
        )
        self.reload()

    @work(exclusive=True, group="incident-action")
    async def action_export(self) -> None:
        number = self.record.number if self.record else await self._last_number()
        if number is None:
            self.say(tr("Nothing to export yet.", self.language), error=True)
            return
        record = await self.recorder.store.get(number)
        missing = record.missing_fields() if record else []
        if missing:
            self.say(tr("Fill in before exporting: {fields}", self.language).format(fields=", ".join(missing)), error=True)
            return
        try:
            er_md, report = await self.recorder.export(number)
        except (ErFileError, OSError) as error:
            self.say(tr("Not exported: {error}", self.language).format(error=error), error=True)
            return
        appended = tr("Appended ER-{number} to {er_md} and wrote {report}. Commit: {commit}", self.language)
        commit = f"docs: add error record ER-{number:03d}"  # the guide's commit message (S23), in both languages
        self.say(appended.format(number=f"{number:03d}", er_md=er_md, report=report, commit=commit))

    async def _last_number(self) -> int | None:
        numbers = await self.recorder.store.numbers()
        return numbers[-1] if numbers else None

    @work(exclusive=True, group="incident-action")
    async def action_replay(self) -> None:
        from kojan_tui.ui.screens.replay import open_replay

        number = self.record.number if self.record else await self._last_number()
        if number is None:
            self.say(tr("No incident recorded yet.", self.language), error=True)
            return
        await self.recorder.flush()
        if not await open_replay(self.app, self.services, number):
            unrecorded = tr("ER-{number} has no recorded frames yet (one is recorded at each dashboard refresh).", self.language)
            self.say(unrecorded.format(number=f"{number:03d}"), error=True)

    def action_close_screen(self) -> None:
        self.dismiss(None)


def team_table_refused(failure: AwsFailure, language: str) -> str:
    what = make_visible(str(failure))
    return tr("team table refused: {what} — what is shown is what was read last", language).format(what=what)


def cannot_start(error: BaseException, language: str) -> str:
    """Why no incident was started (a malformed er.md, a refused database), with the path, in the UI language."""
    hint = tr(" Fix it, or set [incidents] er_md_path.", language) if isinstance(error, ErFileError) else ""
    text = tr("No incident started: {error} — the file is left untouched.{hint}", language)
    return text.format(error=make_visible(str(error)), hint=hint)


def install(app) -> None:
    services: AppServices = app.services
    config = services.config.incidents
    recorder = IncidentRecorder(
        app_stores(services).incidents,
        services.events,
        services.clock,
        er_md=Path(config.er_md_path).expanduser(),
        reports_dir=Path(config.reports_dir).expanduser(),
    )
    recorder.on_error = lambda error: app.log.error(f"incident recorder: {error!r}")
    recorder.language = services.config.ui.language
    services.extensions[EXTENSION] = recorder
    services.state.subscribe(app, recorder.on_state)
    app.run_worker(recorder.resume(), group="incident-resume", exit_on_error=False)

    async def start_for(title: str) -> None:
        try:
            await recorder.start(title)
        except (ErFileError, OSError, AwsFailure) as error:  # AwsFailure: the team table refused
            app.notify(cannot_start(error, services.config.ui.language), severity="error", markup=False, timeout=15)

    def emergency(event: EmergencyStarted) -> None:  # S24: starting the emergency flow opens an incident
        app.run_worker(start_for(event.title), group="incident-start", exit_on_error=False)

    services.events.subscribe(EmergencyStarted, emergency)


open_incident = open_once(IncidentScreen)


INCIDENT = Capability(
    name="incident",
    description=N_("Incident"),
    key="i",
    tooltip=N_("S23/S24: start an ER-NNN record; its timeline fills itself; export to er.md; replay"),
    open=open_incident,
    install=install,
    commands=one_command(
        N_("Incident"), N_("Start or continue the ER-NNN record (timeline, fields, export, replay)"), open_incident
    ),
)
