"""The tasks view (T, palette "Tasks") on the fake gateway: running and stopped tasks, each stop's cause, details with
the AWS CLI command, rows diffed by key, failures shown as such; the service panel's one line of stops."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from textual.widgets import DataTable, Static

from kojan_tui.core.ecs_tasks import EcsTask, TaskContainer
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.screens.tasks import TasksScreen, open_tasks
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, make_screen_app, palette_highlights, plain, quiet_config, refresh, until

ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task/kojan-map-production/{}"
OOM_REASON = "OutOfMemoryError: Container killed due to memory usage"


def running_task(n: int) -> EcsTask:
    return EcsTask(
        arn=ARN.format(f"{n:032x}"),
        task_definition=b.TD_ARN,
        last_status="RUNNING",
        desired_status="RUNNING",
        health="HEALTHY",
        availability_zone="ap-northeast-1a",
        started_at=b.NOW - timedelta(minutes=30 + n),
        containers=(TaskContainer("business", "RUNNING", None, health="HEALTHY"),),
    )


def oom_task(n: int, minutes_ago: float = 10) -> EcsTask:
    return EcsTask(
        arn=ARN.format(f"{0xABC000 + n:032x}"),
        task_definition=b.TD_ARN,
        last_status="STOPPED",
        desired_status="STOPPED",
        availability_zone="ap-northeast-1c",
        started_at=b.NOW - timedelta(hours=2),
        stopped_at=b.NOW - timedelta(minutes=minutes_ago),
        stop_code="EssentialContainerExited",
        stopped_reason="Essential container in task exited",
        containers=(TaskContainer("business", "STOPPED", 137, OOM_REASON, image="kojan-map/business:v1.5.1"),),
    )


def fake_with_tasks():
    fake = healthy_fake()
    fake.tasks = [running_task(1), running_task(2), oom_task(1, 5), oom_task(2, 20), oom_task(3, 50)]
    return fake


def table_text(table: DataTable) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_screen(app, pilot) -> TasksScreen:
    open_tasks(app)
    await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the tasks screen")
    screen = app.screen
    await until(pilot, lambda: screen.tasks is not None or screen.failure is not None, "the first listing")
    await pilot.pause()
    return screen


async def test_stopped_tasks_are_listed_out_of_memory_with_exit_code_137_and_the_panel_counts_them():
    fake = fake_with_tasks()
    app = make_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panel = plain(app.screen.query_one(ServicePanel).render())
        assert "3 tasks stopped in the last hour: 3 out of memory" in panel
        screen = await open_screen(app, pilot)
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][:4] == ["task", "revision", "why it stopped", "exit"]
        rows = table_text(table)
        assert len(rows) == 5
        assert [r[2] for r in rows] == ["running", "running", "out of memory", "out of memory", "out of memory"]
        assert all(r[3] == "business 137" and r[9] == OOM_REASON for r in rows[2:])
        assert [r[0] for r in rows[2:]] == [t.id[:12] for t in fake.tasks[2:]]  # newest stop first
        status = str(screen.query_one("#tasks-status", Static).render())
        assert "2 running · 3 stopped" in status
        assert "3 tasks stopped in the last hour" in str(screen.query_one("#tasks-summary", Static).render())


async def test_enter_shows_the_containers_exit_codes_reasons_and_the_aws_cli_command():
    app = make_screen_app(fake_with_tasks(), quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_screen(app, pilot)
        table = screen.query_one(DataTable)
        table.focus()
        table.move_cursor(row=2)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TextDetailScreen), "the task's details")
        text = app.screen.text
        task = oom_task(1, 5)
        assert f"task: {task.arn}" in text and "why it stopped: out of memory" in text
        assert "stopCode: EssentialContainerExited" in text and "stoppedReason: Essential container in task exited" in text
        assert "business: STOPPED, exitCode 137" in text and f"reason: {OOM_REASON}" in text
        command = f"aws ecs describe-tasks --cluster kojan-map-production --tasks {task.id} --region ap-northeast-1"
        assert command in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "back on the tasks screen")


async def test_rows_are_diffed_by_key_not_refilled():
    fake = fake_with_tasks()
    app = make_screen_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_screen(app, pilot)
        table = screen.query_one(DataTable)
        keys_before = {row.key.value: row.key for row in table.ordered_rows}
        first = fake.tasks[0]
        fake.tasks = [replace(first, health="UNHEALTHY"), *fake.tasks[2:], oom_task(9, 1)]  # one gone, one new, one changed
        listed = screen.listed_at
        calls = fake.calls["list_tasks"]
        await pilot.press("r")
        await until(pilot, lambda: fake.calls["list_tasks"] > calls and screen.listed_at is not None, "the refresh")
        await until(pilot, lambda: table.row_count == 5, "the new listing")
        rows = {row.key.value: row.key for row in table.ordered_rows}
        assert rows[first.arn] is keys_before[first.arn]  # the same row, updated in place
        assert table.get_row(first.arn)[5].plain == "UNHEALTHY"
        assert ARN.format(f"{2:032x}") not in rows and oom_task(9).arn in rows
        assert [r.key.value for r in table.ordered_rows][:2] == [first.arn, oom_task(9).arn]
        long_reason = OOM_REASON + " " + "x" * 80
        stopped = replace(oom_task(1), arn=first.arn, containers=(TaskContainer("business", "STOPPED", 137, long_reason),))
        fake.tasks[0] = stopped  # the running task stops: its row is updated, and its longer cells widen the columns
        calls = fake.calls["list_tasks"]
        await pilot.press("r")
        await until(pilot, lambda: table.get_row(first.arn)[9].plain == long_reason, "the stopped row")
        await pilot.pause()
        assert rows[first.arn] is {row.key.value: row.key for row in table.ordered_rows}[first.arn]
        assert table.get_row(first.arn)[2].plain == "out of memory"
        assert table.columns["reason"].content_width >= len(long_reason)
        assert listed is not None


async def test_a_failed_listing_is_never_an_empty_table_and_old_rows_say_stale():
    fake = fake_with_tasks()
    fake.failures["list_tasks"] = AwsFailure(FailureKind.ACCESS_DENIED, "not authorized to perform ecs:ListTasks")
    app = make_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panel = plain(app.screen.query_one(ServicePanel).render())
        assert "stopped tasks unknown  STALE never loaded — access denied" in panel
        assert "tasks stopped in the last hour" not in panel
        screen = await open_screen(app, pilot)
        assert not screen.query_one(DataTable).display
        status = str(screen.query_one("#tasks-status", Static).render())
        assert "Could not list the tasks (access denied): not authorized to perform ecs:ListTasks" in status
        assert "not loaded" in status
        del fake.failures["list_tasks"]
        await pilot.press("r")
        await until(pilot, lambda: screen.tasks is not None, "a listing")
        await pilot.pause()
        assert screen.query_one(DataTable).display and screen.query_one(DataTable).row_count == 5
        fake.failures["describe_tasks"] = AwsFailure(FailureKind.THROTTLED, "Rate exceeded")
        await pilot.press("r")
        await until(pilot, lambda: screen.failure is not None, "the failed refresh")
        await pilot.pause()
        status = str(screen.query_one("#tasks-status", Static).render())
        assert status.startswith("⚠ STALE") and "throttled" in status and "Rate exceeded" in status
        assert screen.query_one(DataTable).row_count == 5  # the last listing stays, marked stale


async def test_japanese_words_and_the_palette_and_key_open_it():
    app = make_app(fake_with_tasks(), quiet_config(language="ja"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        panel = plain(app.screen.query_one(ServicePanel).render())
        assert "過去1時間に停止したタスク 3 件: 3 メモリ不足" in panel
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the key T")
        screen = app.screen
        await until(pilot, lambda: screen.tasks is not None, "the listing")
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][2:4] == ["停止理由の分類", "終了コード"]
        assert table_text(table)[2][2] == "メモリ不足"
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, TasksScreen), "back")
        await pilot.press("slash")
        await pilot.press(*"Tasks")
        await until(pilot, lambda: palette_highlights(app, "Tasks"), "the palette's hit")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the palette entry")


async def test_no_stopped_task_no_line_and_running_tasks_are_listed_only_while_the_screen_is_open():
    fake = healthy_fake()
    fake.tasks = [running_task(1)]
    asked: list[str] = []
    list_tasks = fake.list_tasks

    async def recording(cluster, service, *, desired_status="RUNNING", max_pages=10):
        asked.append(desired_status)
        return await list_tasks(cluster, service, desired_status=desired_status, max_pages=max_pages)

    fake.list_tasks = recording
    app = make_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert "stopped" not in plain(app.screen.query_one(ServicePanel).render())
        assert asked and set(asked) == {"STOPPED"}  # the panel's count lists the stopped tasks only
        assert fake.calls["describe_tasks"] == 0  # nothing stopped: nothing to describe
        await open_screen(app, pilot)
        assert "RUNNING" in asked and fake.calls["describe_tasks"] == 1
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, TasksScreen), "back")
        await pilot.pause()
        asked.clear()
        await refresh(app, pilot)
        await refresh(app, pilot)
        assert set(asked) == {"STOPPED"}  # closed: its polling of the running tasks ended with it


async def test_aws_text_is_shown_literally_never_as_markup():
    fake = healthy_fake()
    hostile = "[link=https://evil.example]click[/link] [/] \x1b[31mred"
    fake.tasks = [replace(oom_task(1), stopped_reason=hostile, containers=(TaskContainer("business", "STOPPED", 1, hostile),))]
    app = make_screen_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_screen(app, pilot)
        reason = table_text(screen.query_one(DataTable))[0][9]
        assert reason.startswith("[link=https://evil.example]click[/link] [/] ") and "\x1b" not in reason
        table = screen.query_one(DataTable)
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TextDetailScreen), "the details")
        assert "[link=https://evil.example]click[/link]" in plain(app.screen.query_one("#detail-text").render())


async def test_the_panel_keeps_the_last_count_with_its_age_when_the_listing_fails():
    fake = fake_with_tasks()
    app = make_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        fake.failures["list_tasks"] = AwsFailure(FailureKind.THROTTLED, "Rate exceeded")
        await refresh(app, pilot, ["tasks"])
        await until(pilot, lambda: "STALE" in plain(app.screen.query_one(ServicePanel).render()), "the stale mark")
        line = next(x for x in plain(app.screen.query_one(ServicePanel).render()).splitlines() if "stopped" in x)
        assert line.startswith("3 tasks stopped in the last hour: 3 out of memory  STALE ") and line.endswith("— throttled")
