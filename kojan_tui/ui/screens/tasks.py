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
from kojan_tui.core.logtext import make_visible, truncate
from kojan_tui.core.models import LogPage, TaskDefinition
from kojan_tui.core.task_stops import TROUBLE, cause_word, classify, count_stops, exit_codes_text
from kojan_tui.sources.tasks import TASKS_SCREEN_INTERVAL_S, TaskWatch
from kojan_tui.ui.capabilities import Capability, one_command, open_once
from kojan_tui.ui.error_policy import SurvivesHandlerErrors
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.services import AppServices
from kojan_tui.ui.widgets.context_bar import ContextBar

TIME_FORMAT = "%m-%d %H:%M:%S"
REASON_WIDTH = 300  # a cell's reason is cut here; Enter shows it in full
TASK_LOG_PAGES = 5  # FilterLogEvents pages of one task's window (its lines are few: it is one task, 10 minutes)

WORDS = {
    "ja": {
        "help": "タスク (実行中と直近の停止) · Enter: 詳細と AWS CLI · L: そのタスクのログ · r: 今すぐ更新 · Esc: 戻る",
        "columns": {
            "task": "タスク",
            "revision": "リビジョン",
            "cause": "停止理由の分類",
            "exit": "終了コード",
            "status": "状態",
            "health": "ヘルス",
            "stopped": "停止 (UTC)",
            "started": "開始 (UTC)",
            "az": "AZ",
            "reason": "理由",
        },
        "loading": "タスクを取得しています… {s} 秒",
        "never": "⚠ タスクを取得できません ({kind}): {message} — 一覧は空ではなく未取得です",
        "stale": "⚠ 古いデータ {age} 前 — 取得失敗 ({kind}): {message}",
        "fresh": "{at} UTC に取得 ({age} 前) · 実行中 {running} · 停止 {stopped}",
        "cut": " · ページ上限で打ち切り (他にもあります)",
        "running": "実行中",
        "starting": "起動中",
        "title": "タスク {id}",
        "logs_title": "タスク {id} のログ",
        "logs_loading": "タスク {id} のログを取得しています…",
        "logs_failed": "タスク {id} のログを取得できません ({kind}): {message}",
        "no_awslogs": "タスク定義 {td} には awslogs のログ設定 (awslogs-group と awslogs-stream-prefix) がありません"
        " — このタスクのログストリームは分かりません (推測はしません)",
        "no_awslogs_container": "コンテナ {name}: awslogs のログ設定なし (ストリーム不明)",
        "window_stopped": "停止前 10 分間: {start} – {end} UTC",
        "window_running": "直近 10 分間: {start} UTC –",
        "group": "ロググループ",
        "stream": "ストリーム",
        "no_lines": "(この期間のログ行はありません)",
        "truncated": "… ここで打ち切り (さらに行があります。下の AWS CLI で全件)",
        "cli": "同じ内容を AWS CLI で:",
    },
    "en": {
        "help": "Tasks (running and recently stopped) · Enter: details and the AWS CLI · L: the task's own logs"
        " · r: refresh now · Esc: back",
        "columns": {
            "task": "task",
            "revision": "revision",
            "cause": "why it stopped",
            "exit": "exit",
            "status": "status",
            "health": "health",
            "stopped": "stopped (UTC)",
            "started": "started (UTC)",
            "az": "AZ",
            "reason": "reason",
        },
        "loading": "Listing the tasks… {s} s",
        "never": "⚠ Could not list the tasks ({kind}): {message} — the list is not empty, it is not loaded",
        "stale": "⚠ STALE {age} — the last listing failed ({kind}): {message}",
        "fresh": "Listed at {at} UTC ({age} ago) · {running} running · {stopped} stopped",
        "cut": " · cut at the page limit (there are more)",
        "running": "running",
        "starting": "starting",
        "title": "Task {id}",
        "logs_title": "Logs of task {id}",
        "logs_loading": "Reading the logs of task {id}…",
        "logs_failed": "Could not read the logs of task {id} ({kind}): {message}",
        "no_awslogs": "The task definition {td} has no awslogs log configuration (awslogs-group and"
        " awslogs-stream-prefix) — this task's log stream is unknown (not guessed)",
        "no_awslogs_container": "container {name}: no awslogs log configuration (stream unknown)",
        "window_stopped": "the 10 minutes before it stopped: {start} – {end} UTC",
        "window_running": "the last 10 minutes: {start} UTC –",
        "group": "log group",
        "stream": "stream",
        "no_lines": "(no log lines in this window)",
        "truncated": "… cut here (there are more lines; the AWS CLI below shows them all)",
        "cli": "The same with the AWS CLI:",
    },
}
COLUMN_KEYS = ("task", "revision", "cause", "exit", "status", "health", "stopped", "started", "az", "reason")  # why first


def words(language: str) -> dict:
    return WORDS.get(language, WORDS["en"])


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
    ja = language == "ja"
    lines = [
        f"{'タスク' if ja else 'task'}: {task.arn}",
        f"{'リビジョン' if ja else 'revision'}: {task.revision}",
        f"{'状態' if ja else 'status'}: {task.last_status} ({'希望' if ja else 'desired'} {task.desired_status})",
        f"{'ヘルス' if ja else 'health'}: {task.health}   AZ: {task.availability_zone or '-'}",
        f"{'起動元' if ja else 'started by'}: {task.started_by or '-'}",
        f"{'作成' if ja else 'created'}: {_when(task.created_at)}   {'開始' if ja else 'started'}: {_when(task.started_at)}"
        f"   {'停止' if ja else 'stopped'}: {_when(task.stopped_at)} (UTC)",
    ]
    if task.stopped:
        lines += [
            f"{'分類' if ja else 'why it stopped'}: {cause_word(classify(task, primary), language)}",
            f"stopCode: {task.stop_code or '-'}",
            f"stoppedReason: {task.stopped_reason or '-'}",
        ]
    lines += ["", f"{'コンテナ' if ja else 'containers'} ({len(task.containers)})"]
    for c in task.containers:
        exit_code = "-" if c.exit_code is None else str(c.exit_code)
        lines += [
            f"  {c.name}: {c.last_status}, exitCode {exit_code}, health {c.health}",
            f"    {'理由' if ja else 'reason'}: {c.reason or '-'}",
            f"    image: {c.image or '-'}",
        ]
    lines += [
        "",
        "同じ内容を AWS CLI で:" if ja else "The same with the AWS CLI:",
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


class TasksScreen(SurvivesHandlerErrors, Screen[None]):
    DEFAULT_CSS = """
    TasksScreen { layout: vertical; }
    TasksScreen #tasks-help { height: auto; color: $text-muted; padding: 0 1; }
    TasksScreen #tasks-status { height: auto; padding: 0 1; }
    TasksScreen #tasks-status.-failed { color: $text-error; background: $error-muted; text-style: bold; }
    TasksScreen #tasks-summary { height: auto; padding: 0 1; color: $text-muted; }
    TasksScreen DataTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("r", "refresh", "Refresh now"),
        Binding("L", "task_logs", "Task's logs"),
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
    description="Tasks",
    key=TASKS_KEY,
    tooltip="S08/S09: running and stopped tasks, why each stopped (exit codes, reasons), the AWS CLI command",
    open=open_tasks,
    commands=one_command(
        "Tasks",
        "The service's running and recently stopped tasks, why each stopped, exit codes and reasons (S08, S09)",
        open_tasks,
    ),
)
