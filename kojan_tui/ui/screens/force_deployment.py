"""S09 force new deployment: the same revision on fresh tasks (the memory-leak remedy), with the same dry
run, typed confirmation, rollout watch and S29 checks as the rollback."""

from __future__ import annotations

import json

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from kojan_tui.actions.audited import DeployOutcome, DeployRequest
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.readings import ECS_MEMORY
from kojan_tui.core.state import DashboardState
from kojan_tui.core.verdict import image_tag, task_definition_label
from kojan_tui.sources.rollout import RolloutStatus
from kojan_tui.ui.capabilities import Capability, PaletteCommand
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.screens.rollback import read_only_reason
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.widgets.confirmation import Confirmation, ConfirmationDialog
from kojan_tui.ui.widgets.rollout_view import RolloutView


class ForceDeploymentScreen(FramedModal[None]):
    DEFAULT_CSS = """
    ForceDeploymentScreen {
        #force-now { height: auto; margin-bottom: 1; }
        #force-readonly { height: auto; color: $text-warning; text-style: bold; }
        #force-body { height: 1fr; }
        #force-status { height: auto; max-height: 12; }
        #force-status.-error { color: $text-error; }
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("d", "dry_run", "Dry run"),
        Binding("enter", "force", "Force new deployment…", priority=True),
    ]

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self._unsubscribe = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame") as box:
            box.border_title = f"S09 Force new deployment of {self.services.config.service.name}"
            yield Static(id="force-now")
            if reason := read_only_reason(self.services):
                yield Static(Text(f"READ-ONLY: shown but disabled — {reason}"), id="force-readonly")
            with VerticalScroll(id="force-body"):
                yield RolloutView(id="force-watch")
            yield Static(Text("Enter: force a new deployment · d: dry run · Esc: close"), id="force-status")

    def on_mount(self) -> None:
        self.services.state.subscribe(self, self.on_state)
        self.on_state(self.services.state.current)
        if self.services.rollout is not None:
            self._unsubscribe = self.services.rollout.subscribe(self.on_rollout)
        self.on_rollout(None)
        self.set_interval(1.0, lambda: self.on_rollout(None))

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def on_state(self, state: DashboardState) -> None:
        service, td = state.data.service, state.data.task_definition
        memory = state.view.readings.get(ECS_MEMORY.key)
        lines = [
            Text(
                f"Running: {task_definition_label(service.task_definition) if service else '?'}"
                f" (image {image_tag(td)}), {service.running if service else '?'}/{service.desired if service else '?'} tasks"
            ),
            Text(
                f"ECS memory now: {memory.value_text if memory else 'no data'} ({memory.level.marker if memory else '?'})"
                " — every task is replaced by a fresh one of the same revision."
            ),
        ]
        self.query_one("#force-now", Static).update(Group(*lines))

    def on_rollout(self, _status: RolloutStatus | None) -> None:
        watch = self.services.rollout
        self.query_one(RolloutView).show(watch.status if watch is not None else None, self.services.clock())

    def request(self) -> DeployRequest:
        config = self.services.config.service
        service = self.services.state.current.data.service
        return DeployRequest(
            config.cluster,
            config.name,
            "force-new-deployment",
            force_new_deployment=True,
            before_task_definition=service.task_definition if service else None,
        )

    def _status(self, message: str | Group, *, error: bool = False) -> None:
        status = self.query_one("#force-status", Static)
        status.set_class(error, "-error")
        status.update(Text(make_visible(message)) if isinstance(message, str) else message)

    def action_dry_run(self) -> None:
        request = json.dumps(self.request().api_request(), indent=2)
        self._status(Group(Text("DRY RUN — nothing was sent. The exact UpdateService request:", style="bold"), Text(request)))

    def action_force(self) -> None:
        if isinstance(self.app.screen, ConfirmationDialog):
            return
        watch = self.services.rollout
        if watch is not None and watch.active:
            self._status("A rollout is still being watched: wait for it to end before starting another.", error=True)
            return
        request = self.request()
        what = [
            f"UpdateService on {request.target} with forceNewDeployment: every task is replaced by a fresh one",
            f"of the same revision ({task_definition_label(request.before_task_definition or '')}).",
            f"Request: {json.dumps(request.api_request())}",
            "Then the rollout is watched to the end and checked (S29); every step is in the audit trail.",
        ]
        reason = read_only_reason(self.services)
        confirmation = Confirmation(f"Force new deployment of {request.service}", what, request.service, "Force deploy", reason)
        if reason is None:
            self._record_request(request)
        self.app.push_screen(
            ConfirmationDialog(confirmation, lambda: self.services.actions.update_service(request)),
            lambda outcome: self.after_confirmation(request, outcome),
        )

    @work(group="force-audit")
    async def _record_request(self, request: DeployRequest) -> None:
        await self.services.actions.request(request)

    def after_confirmation(self, request: DeployRequest, outcome: DeployOutcome | None) -> None:
        if outcome is None:
            self._status("Cancelled: nothing was sent.")
            return
        if outcome.unknown:  # sent, no readable answer: it may have been applied
            self._status(f"⚠ The forced deployment: {outcome.summary}", error=True)
            return
        if not outcome.done:
            self._status(f"✖ The forced deployment was not done: {outcome.summary}", error=True)
            return
        if self.services.rollout is not None:
            self.services.rollout.start(request, outcome)
        audit = f" ⚠ {outcome.audit_error}" if outcome.audit_error else ""
        self._status(f"UpdateService accepted ({outcome.summary}); the rollout is watched (also after you leave).{audit}")
        self.on_rollout(None)

    def action_close(self) -> None:
        self.dismiss(None)


def open_force_deployment(app) -> None:
    if isinstance(app.screen, ForceDeploymentScreen):
        return
    app.push_screen(ForceDeploymentScreen(app.services))


FORCE_DEPLOYMENT = Capability(
    name="force-deployment",
    description="Force new deployment",
    open=open_force_deployment,
    tooltip="S09: replace every task with a fresh one (typed confirmation, watched, checked)",
    commands=lambda app: [
        PaletteCommand(
            "Force new deployment", "S09: fresh tasks of the same revision (memory leak)", lambda: open_force_deployment(app)
        )
    ],
)
