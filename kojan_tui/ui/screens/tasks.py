"""S08/S09 "why are tasks dying?": the service's running and recently stopped tasks, each stop named by its cause
(``core.task_stops``); Enter shows a task's containers, exit codes and reasons, and the AWS CLI command that shows
the same. Key ``T``, palette ``Tasks``. Polled only while the screen is open; AWS's text is shown literally.
"""

from __future__ import annotations

import asyncio
import shlex
from datetime import UTC, datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kojan_tui.core import task_logs
from kojan_tui.core.ecs_tasks import EcsTask, ServiceTasks
from kojan_tui.core.errors import AwsFailure
from kojan_tui.core.freshness import format_age
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logtext import make_visible, truncate
from kojan_tui.core.models import LogPage, TaskDefinition
from kojan_tui.core.task_stops import TROUBLE, cause_word, classify, count_stops, exit_codes_text
from kojan_tui.sources.tasks import TASKS_SCREEN_INTERVAL_S, TaskWatch
from kojan_tui.ui.capabilities import Capability, one_command, open_once
from kojan_tui.ui.error_policy import SurvivesHandlerErrors
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.screens.speaks import SpeaksLanguage
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.widgets.context_bar import ContextBar

TIME_FORMAT = "%m-%d %H:%M:%S"
REASON_WIDTH = 300  # a cell's reason is cut here; Enter shows it in full
TASK_LOG_PAGES = 5  # FilterLogEvents pages of one task's window (its lines are few: it is one task, 10 minutes)

WORDS = {  # English, marked for the catalog (the Japanese is in kojan_tui/locale/ja/…/kojan_tui.po)
    "help": N_(
        "Tasks (running and recently stopped) · Enter: details and the AWS CLI · L: the task's own logs · r: refresh now · Esc: back"
    ),
    "columns": {
        "task": N_("task"),
        "revision": N_("revision"),
        "cause": N_("why it stopped"),
        "exit": N_("exit"),
        "status": N_("status"),
        "health": N_("health"),
        "stopped": N_("stopped (UTC)"),
        "started": N_("started (UTC)"),
        "az": N_("AZ"),
        "reason": N_("reason"),
    },
    "loading": N_("Listing the tasks… {s} s"),
    "never": N_("⚠ Could not list the tasks ({kind}): {message} — the list is not empty, it is not loaded"),
    "stale": N_("⚠ STALE {age} — the last listing failed ({kind}): {message}"),
    "fresh": N_("Listed at {at} UTC ({age} ago) · {running} running · {stopped} stopped"),
    "cut": N_(" · cut at the page limit (there are more)"),
    "running": N_("running"),
    "starting": N_("starting"),
    "title": N_("Task {id}"),
    "logs_title": N_("Logs of task {id}"),
    "logs_loading": N_("Reading the logs of task {id}…"),
    "logs_failed": N_("Could not read the logs of task {id} ({kind}): {message}"),
    "no_awslogs": N_(
        "The task definition {td} has no awslogs log configuration (awslogs-group and awslogs-stream-prefix) — this task's log stream is unknown (not guessed)"
    ),
    "no_awslogs_container": N_("container {name}: no awslogs log configuration (stream unknown)"),
    "window_stopped": N_("the 10 minutes before it stopped: {start} – {end} UTC"),
    "window_running": N_("the last 10 minutes: {start} UTC –"),
    "group": N_("log group"),
    "stream": N_("stream"),
    "no_lines": N_("(no log lines in this window)"),
    "truncated": N_("… cut here (there are more lines; the AWS CLI below shows them all)"),
    "cli": N_("The same with the AWS CLI:"),
}
DETAIL_LABELS = (
    N_("task"),
    N_("revision"),
    N_("status"),
    N_("desired"),
    N_("health"),
    N_("started by"),
    N_("created"),
    N_("started"),
    N_("stopped"),
    N_("why it stopped"),
    N_("containers"),
    N_("reason"),
)  # a task's details, as labels
COLUMN_KEYS = ("task", "revision", "cause", "exit", "status", "health", "stopped", "started", "az", "reason")  # why first


def words(language: str) -> dict:
    """``WORDS`` in ``language``."""
    return {k: {c: tr(t, language) for c, t in v.items()} if isinstance(v, dict) else tr(v, language) for k, v in WORDS.items()}


def _when(at: datetime | None) -> str:
    return at.astimezone(UTC).strftime(TIME_FORMAT) if at is not None else "-"


def task_row(task: EcsTask, primary: str | None, language: str) -> tuple[Text, ...]:
    """The table's cells for one task, every AWS string as plain ``Text`` (a DataTable would read str as markup)."""
    if task.stopped:
        cause = classify(task, primary)
        cause_text = Text(cause_word(cause, language), style="bold red" if cause in TROUBLE else "")
        reason = next((c.reason for c in task.containers if c.reason), "") or task.stopped_reason
        exits = exit_codes_text(task)
    else:
        state = "running" if task.last_status == "RUNNING" else "starting"
        cause_text, reason, exits = Text(words(language)[state], style="green" if state == "running" else ""), "", ""
    status = task.last_status if task.last_status == task.desired_status else f"{task.last_status}→{task.desired_status}"
    return (
        Text(task.id[:12]),
        Text(make_visible(task.revision)),
        cause_text,
        Text(exits, style="bold red" if "137" in exits.split() else ""),
        Text(make_visible(status)),
        Text(make_visible(task.health), style="red" if task.health == "UNHEALTHY" else ""),
        Text(_when(task.stopped_at)),
        Text(_when(task.started_at)),
        Text(make_visible(task.availability_zone)),
        Text(make_visible(truncate(reason, REASON_WIDTH))),
    )


def cli_command(task: EcsTask, cluster: str, region: str, profile: str | None, endpoint_url: str | None = None) -> str:
    """The AWS CLI command that shows what this screen shows of ``task`` (the runbook habit of copying commands);
    with the endpoint the app uses when it is not AWS's own (the embedded AWS of --demo)."""
    parts = ["aws", "ecs", "describe-tasks", "--cluster", cluster, "--tasks", task.id, "--region", region]
    if profile:
        parts += ["--profile", profile]
    if endpoint_url:
        parts += ["--endpoint-url", endpoint_url]
    return shlex.join(parts)


def task_details(
    task: EcsTask,
    primary: str | None,
    *,
    cluster: str,
    region: str,
    profile: str | None,
    language: str,
    endpoint_url: str | None = None,
) -> str:
    """Everything DescribeTasks said of ``task``, its containers one by one, and the command to ask it yourself."""
    say = {english: tr(english, language) for english in DETAIL_LABELS}
    lines = [
        f"{say['task']}: {task.arn}",
        f"{say['revision']}: {task.revision}",
        f"{say['status']}: {task.last_status} ({say['desired']} {task.desired_status})",
        f"{say['health']}: {task.health}   AZ: {task.availability_zone or '-'}",
        f"{say['started by']}: {task.started_by or '-'}",
        f"{say['created']}: {_when(task.created_at)}   {say['started']}: {_when(task.started_at)}"
        f"   {say['stopped']}: {_when(task.stopped_at)} (UTC)",
    ]
    if task.stopped:
        lines += [
            f"{say['why it stopped']}: {cause_word(classify(task, primary), language)}",
            f"stopCode: {task.stop_code or '-'}",
            f"stoppedReason: {task.stopped_reason or '-'}",
        ]
    lines += ["", f"{say['containers']} ({len(task.containers)})"]
    for c in task.containers:
        exit_code = "-" if c.exit_code is None else str(c.exit_code)
        lines += [
            f"  {c.name}: {c.last_status}, exitCode {exit_code}, health {c.health}",
            f"    {say['reason']}: {c.reason or '-'}",
            f"    image: {c.image or '-'}",
        ]
    lines += [
        "",
        tr("The same with the AWS CLI:", language),
        f"  {cli_command(task, cluster, region, profile, endpoint_url)}",
    ]
    return "\n".join(lines)


def task_logs_text(
    task: EcsTask,
    definition: TaskDefinition,
    pages: list[tuple[task_logs.TaskLogStream, LogPage]],
    window: task_logs.TaskLogWindow,
    *,
    region: str,
    profile: str | None,
    language: str,
    endpoint_url: str | None = None,
) -> str:
    """The task's own lines, stream by stream, each with the command that shows the same; a task definition
    without awslogs configuration says so (its stream is never guessed)."""
    say = words(language)
    streams, without = task_logs.task_streams(task, definition)
    if not streams:
        return say["no_awslogs"].format(td=definition.arn or task.task_definition)

    def when(ms: int) -> str:
        return f"{datetime.fromtimestamp(ms / 1000, UTC):%Y-%m-%d %H:%M:%S}"

    if window.end_ms is not None:
        lines = [say["window_stopped"].format(start=when(window.start_ms), end=when(window.end_ms))]
    else:
        lines = [say["window_running"].format(start=when(window.start_ms))]
    lines += [say["no_awslogs_container"].format(name=name) for name in without]
    commands = []
    for stream, page in pages:
        lines += ["", f"{say['group']}: {stream.log_group}", f"{say['stream']}: {stream.stream}", ""]
        lines += [task_logs.format_line(e.timestamp_ms, e.message) for e in page.events] or [say["no_lines"]]
        if page.truncated:
            lines.append(say["truncated"])
        commands.append(task_logs.cli_command(stream, window, region=region, profile=profile, endpoint_url=endpoint_url))
    lines += ["", say["cli"], *(f"  {c}" for c in commands)]
    return "\n".join(lines)


class TasksScreen(SpeaksLanguage, SurvivesHandlerErrors, Screen[None]):
    DEFAULT_CSS = """
    TasksScreen { layout: vertical; }
    TasksScreen #tasks-help { height: auto; color: $text-muted; padding: 0 1; }
    TasksScreen #tasks-status { height: auto; padding: 0 1; }
    TasksScreen #tasks-status.-failed { color: $text-error; background: $error-muted; text-style: bold; }
    TasksScreen #tasks-summary { height: auto; padding: 0 1; color: $text-muted; }
    TasksScreen DataTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("r", "refresh", N_("Refresh now")),
        Binding("L", "task_logs", N_("Task's logs")),
    ]

    def __init__(self, services: AppServices) -> None:
        super().__init__()
        self.services = services
        self.language = services.config.ui.language
        self.watch = TaskWatch(services.gateway, services.config.service)
        self.tasks: ServiceTasks | None = None
        self.listed_at: datetime | None = None
        self.failure: AwsFailure | None = None
        self.failed_at: datetime | None = None
        self.polling_since: datetime | None = None
        self._by_id: dict[str, EcsTask] = {}  # the row key (the task ARN) → the task
        self._first_cells: dict[str, Text] = {}  # the row key → its first cell, as the table holds it
        self._wake = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield ContextBar()
        yield Static(Text(words(self.language)["help"]), id="tasks-help")
        yield Static(id="tasks-status")
        yield Static(id="tasks-summary")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        labels = words(self.language)["columns"]
        for key in COLUMN_KEYS:
            table.add_column(labels[key], key=key)
        table.display = False  # until the first listing answers: never an empty table that reads "no tasks"
        self.set_interval(1.0, self.show_status)
        self.run_worker(self._poll_while_open(), group="tasks-screen", exclusive=True, exit_on_error=False)
        self.show_status()

    async def _poll_while_open(self) -> None:
        """One listing at a time, ``TASKS_SCREEN_INTERVAL_S`` after the last ended (or at once on ``r``)."""
        while True:
            self._wake.clear()
            await self.poll_once()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=TASKS_SCREEN_INTERVAL_S)
            except TimeoutError:
                pass

    async def poll_once(self) -> None:
        self.polling_since = self.services.clock()
        self.show_status()
        try:
            tasks = await self.watch.poll(running=True)
        except AwsFailure as failure:
            self.failure, self.failed_at = failure, self.services.clock()
        else:
            self.tasks, self.listed_at, self.failure = tasks, self.services.clock(), None
            self.show_tasks(tasks)
        finally:
            self.polling_since = None
        self.show_status()

    def primary_deployment(self) -> str | None:
        service = self.services.state.current.data.service
        primary = service.primary if service is not None else None
        return primary.id if primary is not None else None

    def show_tasks(self, tasks: ServiceTasks) -> None:
        """Rows diffed by task ARN (added, changed cells updated, gone removed), never cleared and refilled."""
        table = self.query_one(DataTable)
        table.display = True
        primary = self.primary_deployment()
        wanted = {t.arn: t for t in tasks.all}
        with self.app.batch_update():
            for arn in [a for a in self._by_id if a not in wanted]:
                table.remove_row(arn)
                del self._by_id[arn], self._first_cells[arn]
            for arn, task in wanted.items():
                cells = task_row(task, primary, self.language)
                if arn not in self._by_id:
                    table.add_row(*cells, key=arn)
                    self._first_cells[arn] = cells[0]
                elif task != self._by_id[arn]:
                    for column, cell in zip(COLUMN_KEYS[1:], cells[1:], strict=True):  # the id never changes
                        table.update_cell(arn, column, cell, update_width=True)
                self._by_id[arn] = task
            # Sorted by the listing's order (running newest first, then stopped newest first): the key function is
            # given the first cell, each row's own Text object, so identity tells the rows apart.
            order = {id(self._first_cells[arn]): i for i, arn in enumerate(wanted)}
            table.sort("task", key=lambda cell: order.get(id(cell), len(order)))
        counts = count_stops(tasks.stopped, self.services.clock(), primary_deployment=primary, complete=tasks.complete)
        self.query_one("#tasks-summary", Static).update(Text(counts.line(self.language)))

    def show_status(self) -> None:
        self.query_one(ContextBar).show(self.services.context())
        say, now = words(self.language), self.services.clock()
        status = self.query_one("#tasks-status", Static)
        failed = self.failure is not None
        status.set_class(failed, "-failed")
        if failed:
            assert self.failure is not None
            message = make_visible(truncate(self.failure.message, 300))
            if self.listed_at is None:
                text = say["never"].format(kind=self.failure.kind.value, message=message)
            else:
                age = format_age((now - self.listed_at).total_seconds())
                text = say["stale"].format(age=age, kind=self.failure.kind.value, message=message)
        elif self.tasks is None:
            since = self.polling_since or now
            text = say["loading"].format(s=int((now - since).total_seconds()))
        else:
            assert self.listed_at is not None
            text = say["fresh"].format(
                at=f"{self.listed_at.astimezone(UTC):%H:%M:%S}",
                age=format_age((now - self.listed_at).total_seconds()),
                running=len(self.tasks.running),
                stopped=len(self.tasks.stopped),
            ) + ("" if self.tasks.complete else say["cut"])
        status.update(Text(text))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        task = self._by_id.get(str(event.row_key.value))
        if task is None:
            return
        config = self.services.config
        text = task_details(
            task,
            self.primary_deployment(),
            cluster=config.service.cluster,
            region=config.aws.region,
            profile=config.aws.profile,
            language=self.language,
            endpoint_url=config.aws.endpoint_url,
        )
        self.app.push_screen(TextDetailScreen(words(self.language)["title"].format(id=task.id), text))

    def selected_task(self) -> EcsTask | None:
        table = self.query_one(DataTable)
        if not table.display or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self._by_id.get(str(row_key.value))

    def action_task_logs(self) -> None:
        task = self.selected_task()
        if task is None:
            return
        self.notify(words(self.language)["logs_loading"].format(id=task.id[:12]), markup=False, timeout=3)
        self.run_worker(self.show_task_logs(task), group="task-logs", exclusive=True, exit_on_error=False)

    async def show_task_logs(self, task: EcsTask) -> None:
        """DescribeTaskDefinition for the awslogs options, then FilterLogEvents on each of the task's streams."""
        config, say = self.services.config, words(self.language)
        gateway = self.services.gateway
        window = task_logs.log_window(task, self.services.clock())
        try:
            definition = await gateway.describe_task_definition(task.task_definition)
            streams, _ = task_logs.task_streams(task, definition)
            pages = [
                (
                    stream,
                    await gateway.filter_log_events(
                        stream.log_group,
                        start_ms=window.start_ms,
                        end_ms=window.end_ms,
                        streams=[stream.stream],
                        max_pages=TASK_LOG_PAGES,
                    ),
                )
                for stream in streams
            ]
        except AwsFailure as failure:
            message = say["logs_failed"].format(id=task.id[:12], kind=failure.kind.value, message=truncate(failure.message, 300))
            self.notify(make_visible(message), severity="error", markup=False)
            return
        text = task_logs_text(
            task,
            definition,
            pages,
            window,
            region=config.aws.region,
            profile=config.aws.profile,
            language=self.language,
            endpoint_url=config.aws.endpoint_url,
        )
        self.app.push_screen(TextDetailScreen(say["logs_title"].format(id=task.id), text))

    def action_refresh(self) -> None:
        self._wake.set()

    def action_close(self) -> None:
        self.dismiss(None)


open_tasks = open_once(TasksScreen)
TASKS_KEY = "T"  # t is the theme; T: the tasks

TASKS = Capability(
    name="tasks",
    description=N_("Tasks"),
    key=TASKS_KEY,
    tooltip=N_("S08/S09: running and stopped tasks, why each stopped (exit codes, reasons), the AWS CLI command"),
    open=open_tasks,
    commands=one_command(
        "Tasks",
        "The service's running and recently stopped tasks, why each stopped, exit codes and reasons (S08, S09)",
        open_tasks,
    ),
)
