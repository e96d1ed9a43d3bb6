"""S09 force new deployment: the same revision on fresh tasks (the memory-leak remedy). The dry run, typed
confirmation, audited call, rollout watch and S29 checks are the rollback's (``DeployFlowScreen``); this screen
adds what runs now and the ECS memory it is meant to bring down."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from kojan_tui.actions.audited import DeployRequest
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.readings import ECS_MEMORY
from kojan_tui.core.state import DashboardState
from kojan_tui.core.verdict import image_tag, task_definition_label
from kojan_tui.ui.capabilities import Capability, one_command, open_once
from kojan_tui.ui.screens.deploy_flow import DeployFlowScreen, Deployment
from kojan_tui.ui.widgets.rollout_view import RolloutView


class ForceDeploymentScreen(DeployFlowScreen):
    ID_PREFIX = "force"
    NOUN = N_("The forced deployment")

    DEFAULT_CSS = """
    ForceDeploymentScreen {
        #force-now { height: auto; margin-bottom: 1; }
        #force-body { height: 1fr; }
    }
    """

    BINDINGS = [Binding("enter", "deploy", N_("Force new deployment…"), priority=True)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame") as box:
            box.border_title = tr("S09 Force new deployment of {service}", self.language).format(
                service=self.services.config.service.name
            )
            yield Static(id="force-now")
            yield from self.read_only_notice()
            with VerticalScroll(id="force-body"):
                yield RolloutView(id="force-watch")
            yield self.status_line(tr("Enter: force a new deployment · d: dry run · Esc: close", self.language))

    def on_state(self, state: DashboardState) -> None:
        service, td = state.data.service, state.data.task_definition
        memory = state.view.readings.get(ECS_MEMORY.key)
        say = self.language
        lines = [
            Text(
                tr("Running: {revision} (image {image}), {running}/{desired} tasks", say).format(
                    revision=task_definition_label(service.task_definition) if service else "?",
                    image=image_tag(td),
                    running=service.running if service else "?",
                    desired=service.desired if service else "?",
                )
            ),
            Text(
                tr(
                    "ECS memory now: {value} ({marker}) — every task is replaced by a fresh one of the same revision.", say
                ).format(value=memory.value_text if memory else tr("no data", say), marker=memory.level.marker if memory else "?")
            ),
        ]
        self.query_one("#force-now", Static).update(Group(*lines))

    def deployment(self) -> Deployment:
        config = self.services.config.service
        service = self.services.state.current.data.service
        request = DeployRequest(
            config.cluster,
            config.name,
            "force-new-deployment",
            force_new_deployment=True,
            before_task_definition=service.task_definition if service else None,
        )
        say = self.language
        summary = [
            tr("UpdateService on {target} with forceNewDeployment: every task is replaced by a fresh one", say).format(
                target=request.target
            ),
            tr("of the same revision ({revision}).", say).format(
                revision=task_definition_label(request.before_task_definition or "")
            ),
        ]
        title = tr("Force new deployment of {service}", say).format(service=request.service)
        return Deployment(request, title, tr("Force deploy", say), summary)


open_force_deployment = open_once(ForceDeploymentScreen)


FORCE_DEPLOYMENT = Capability(
    name="force-deployment",
    description=N_("Force new deployment"),
    open=open_force_deployment,
    tooltip=N_("S09: replace every task with a fresh one (typed confirmation, watched, checked)"),
    commands=one_command(
        N_("Force new deployment"), N_("S09: fresh tasks of the same revision (memory leak)"), open_force_deployment
    ),
)
