"""S08/S09 the real way: KojanApp → AwsGateway (HTTP) → the embedded AWS. In memory-leak the tasks view lists the
tasks stopped out of memory with exit code 137 and the service panel counts them; in bad-deploy it lists the tasks
of the new revision stopped by failing ELB health checks."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.config import Config
from kojan_tui.core.state import SourceName
from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.tasks import TasksScreen
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.demo.helpers import within_ticks_async
from tests.ui.harness import plain, until

DEMO_CREDENTIALS = ("demo", "demo")
CAUSE, EXIT, REASON, REVISION = 2, 3, 9, 1  # the tasks table's columns
OOM_TICKS = 80  # memory-leak: the long-running tasks pass 100 % about 13 ticks in


def app_on(demo, tmp_path) -> KojanApp:
    config = Config()
    config = replace(
        config,
        aws=replace(config.aws, endpoint_url=demo.endpoint_url, profile=None),
        ui=replace(config.ui, bell=False, notify=False, language="en"),
    )
    gateway = AwsGateway(config.aws, static_credentials=DEMO_CREDENTIALS)
    return KojanApp(config, gateway, demo=demo, audit=AuditTrail(tmp_path / "audit.jsonl"))


def rows(screen: TasksScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def panel_says(app, pilot, text: str) -> str | None:
    await app.poller.refresh_now([SourceName.TASKS, SourceName.SERVICE], wait=True)
    await pilot.pause()
    shown = plain(app.screen.query_one(ServicePanel).render())
    return shown if text in shown else None


async def test_memory_leak_tasks_stopped_out_of_memory_with_exit_137_listed_and_counted(demo_world, tmp_path):
    demo_world.set_scenario("memory-leak")
    app = app_on(demo_world, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        shown = await within_ticks_async(
            demo_world, 80, lambda: panel_says(app, pilot, "out of memory"), "the panel's count of OOM stops"
        )
        line = next(x for x in shown.splitlines() if "stopped in the last hour" in x)
        assert line.endswith("out of memory") and line.split()[0].isdigit()
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the tasks view")
        screen = app.screen
        await until(pilot, lambda: screen.tasks is not None and screen.tasks.stopped, "the stopped tasks", timeout=60)
        await pilot.pause()
        stopped = [r for r in rows(screen) if r[CAUSE] == "out of memory"]
        assert stopped and all(
            r[EXIT] == "business 137" and r[REASON] == "OutOfMemoryError: Container killed due to memory usage" for r in stopped
        )


async def test_bad_deploy_tasks_of_the_new_revision_stopped_by_failing_health_checks(demo_world, tmp_path):
    demo_world.set_scenario("bad-deploy")
    app = app_on(demo_world, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the tasks view")
        screen = app.screen

        async def health_check_stops():
            await pilot.press("r")
            await pilot.pause(0.3)
            return [r for r in rows(screen) if r[CAUSE] == "failed health check"]

        stopped = await within_ticks_async(demo_world, 80, health_check_stops, "a task stopped by health checks")
        assert all(r[REVISION] == "kojan-map-business:3" for r in stopped)  # the new revision
        assert all(r[REASON].startswith("Task failed ELB health checks in (target-group arn:aws:") for r in stopped)


async def test_memory_leak_l_on_a_task_stopped_out_of_memory_shows_its_own_stream_lines_before_it_died(demo_world, tmp_path):
    """The demo's task definition sends its logs with awslogs (prefix ecs, container business): L reads the stream
    ecs/business/<task id> over the 10 minutes before the task stopped, and finds the lines the task wrote."""
    from kojan_tui.ui.screens.detail import TextDetailScreen

    demo_world.set_scenario("memory-leak")
    app = app_on(demo_world, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the tasks view")
        screen = app.screen

        async def an_oom_row():
            await pilot.press("r")
            await pilot.pause(0.3)
            return next((i for i, r in enumerate(rows(screen)) if r[CAUSE] == "out of memory"), None)

        row = await within_ticks_async(demo_world, OOM_TICKS, an_oom_row, "a task stopped out of memory")
        table = screen.query_one(DataTable)
        table.focus()
        table.move_cursor(row=row)
        await pilot.pause()
        task = screen.selected_task()
        assert task is not None and task.stopped and task.containers[0].exit_code == 137
        await pilot.press("L")
        await until(pilot, lambda: isinstance(app.screen, TextDetailScreen), "the task's logs", timeout=30)
        text = app.screen.text
        stream = f"ecs/business/{task.id}"
        assert f"stream: {stream}" in text and "log group: /ecs/kojan-map-business" in text
        assert "no log lines" not in text and "no awslogs" not in text
        lines = text.split(f"stream: {stream}\n\n", 1)[1].split("\n\nThe same with the AWS CLI:", 1)[0].splitlines()
        assert lines and all(line[:2].isdigit() and line[8] == "." for line in lines if not line.startswith("…"))
        assert f"--log-stream-names {stream}" in text and f"--endpoint-url {demo_world.endpoint_url}" in text
