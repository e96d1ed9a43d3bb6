"""The task definition the service runs, as JSON: scrollable, ``c`` copies it; masked by the one secret rule
(``core.task_definition_view``). Key ``D`` (dashboard, tasks view), palette ``Task definition``.

The dashboard's last DescribeTaskDefinition answer is shown when it is the running revision; otherwise the screen
asks the gateway, and says so while it waits, or why it failed. AWS's text is shown literally.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible, truncate
from kojan_tui.core.models import TaskDefinition
from kojan_tui.core.task_definition_view import masked_json
from kojan_tui.core.verdict import task_definition_label
from kojan_tui.ui.capabilities import Capability, one_command
from kojan_tui.ui.screens.modal import FramedModal
from kojan_tui.ui.services import AppServices

TITLE = N_("Task definition {label} (secrets masked)")


class TaskDefinitionScreen(FramedModal[None]):
    """``TaskDefinitionScreen(services)``: the running task definition, masked JSON; Escape/Enter/q closes."""

    BINDINGS = [Binding("escape,enter,q", "close", N_("Close")), Binding("c", "copy", N_("Copy JSON"))]

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self.language = services.config.ui.language
        self.text = ""  # the masked JSON once known: what ``c`` copies

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-frame") as box:
            box.border_title = tr(TITLE, self.language).format(label="")
            yield Static(id="task-definition-text")

    def on_mount(self) -> None:
        data = self.services.state.current.data
        service = data.service
        if service is None or not service.task_definition:
            self._say(tr("The service has not been read yet: no task definition to show", self.language), failed=True)
            return
        if data.task_definition is not None and data.task_definition.arn == service.task_definition:
            self.show(data.task_definition)
            return
        self._say(tr("Asking DescribeTaskDefinition for {arn}…", self.language).format(arn=make_visible(service.task_definition)))
        self.load(service.task_definition)

    @work(exclusive=True, group="task-definition", exit_on_error=False)
    async def load(self, arn: str) -> None:
        try:
            td = await self.services.gateway.describe_task_definition(arn)
        except AwsFailure as failure:
            message = make_visible(truncate(failure.message, 300))
            self._say(
                tr("⚠ Could not read the task definition ({kind}): {message}", self.language).format(
                    kind=failure.kind.value, message=message
                ),
                failed=True,
            )
            return
        self.show(td)

    def show(self, td: TaskDefinition) -> None:
        self.text = masked_json(td)
        box = self.query_one(VerticalScroll)
        box.border_title = make_visible(tr(TITLE, self.language).format(label=task_definition_label(td.arn)))
        self.query_one("#task-definition-text", Static).update(Text("\n".join(make_visible(x) for x in self.text.split("\n"))))

    def _say(self, message: str, *, failed: bool = False) -> None:
        self.query_one("#task-definition-text", Static).update(Text(message, style="bold red" if failed else "italic"))

    def action_copy(self) -> None:
        if not self.text:
            self.notify(tr("Nothing to copy yet", self.language), severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(self.text)
        self.notify(
            tr("Copied the task definition ({n:,} characters, secrets masked)", self.language).format(n=len(self.text)),
            markup=False,
        )

    def action_close(self) -> None:
        self.dismiss(None)


def open_task_definition(app) -> None:
    if not isinstance(app.screen, TaskDefinitionScreen):
        app.push_screen(TaskDefinitionScreen(app.services))


TASK_DEFINITION_KEY = "D"  # d filters the log view to database errors there; D: the task Definition

TASK_DEFINITION = Capability(
    name="task-definition",
    description=N_("Task definition"),
    key=TASK_DEFINITION_KEY,
    show_in_footer=False,  # the dashboard's footer is full: the keys help and the palette list it
    tooltip=N_("the running revision as JSON, secrets masked; c copies it"),
    open=open_task_definition,
    commands=one_command(
        N_("Task definition"),
        N_("The task definition the service runs, as JSON (environment and secrets masked), copyable"),
        open_task_definition,
    ),
)
