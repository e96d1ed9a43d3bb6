"""The tasks view's L on the fake gateway: a task's own lines (its awslogs stream, the 10 minutes before it stopped),
shown literally with the AWS CLI command; a task definition without awslogs configuration says so, in ja and en."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from textual.widgets import DataTable

from kojan_tui.core.models import ContainerDefinition, LogEvent
from kojan_tui.ui.screens.detail import TextDetailScreen
from kojan_tui.ui.screens.tasks import TasksScreen
from tests.fixtures import builders as b
from tests.ui.harness import make_screen_app, plain, quiet_config, until
from tests.ui.test_tasks_screen import fake_with_tasks, oom_task, open_screen

GROUP = "/ecs/kojan-map-business"


def ms(minutes_ago: float) -> int:
    return int((b.NOW - timedelta(minutes=minutes_ago)).timestamp() * 1000)


def fake_with_awslogs():
    fake = fake_with_tasks()
    awslogs = ContainerDefinition("business", "img", log_group=GROUP, log_stream_prefix="ecs")
    fake.task_definitions = {b.TD_ARN: replace(b.task_definition(), containers=(awslogs,))}
    task = oom_task(1, 5)  # stopped 5 minutes ago: the third row (running ones first)
    own, other = f"ecs/business/{task.id}", f"ecs/business/{oom_task(2).id}"
    fake.log_events = [
        LogEvent("a", ms(20), own, "INFO too early: before the 10 minutes"),
        LogEvent("b", ms(9), own, "WARN heap 93% [bold]not markup[/bold] [link=https://evil.example]x[/link]"),
        LogEvent("c", ms(6), own, "ERROR fatal error: runtime: out of memory"),
        LogEvent("d", ms(7), other, "INFO another task's line"),
    ]
    return fake, task


async def open_logs_of_third_row(app, pilot):
    screen = await open_screen(app, pilot)
    table = screen.query_one(DataTable)
    table.focus()
    table.move_cursor(row=2)
    await pilot.press("L")
    await until(pilot, lambda: isinstance(app.screen, TextDetailScreen), "the task's logs")
    return app.screen


async def test_l_shows_the_task_own_lines_before_it_stopped_literally_with_the_aws_cli_command():
    fake, task = fake_with_awslogs()
    app = make_screen_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        modal = await open_logs_of_third_row(app, pilot)
        text = modal.text
        assert modal.title_text == f"Logs of task {task.id}"
        assert f"stream: ecs/business/{task.id}" in text and f"log group: {GROUP}" in text
        assert "ERROR fatal error: runtime: out of memory" in text
        assert "too early" not in text and "another task" not in text  # its own stream, its last 10 minutes
        shown = plain(modal.query_one("#detail-text").render())
        assert "WARN heap 93% [bold]not markup[/bold] [link=https://evil.example]x[/link]" in shown
        start, end = ms(15), ms(5) + 1000
        command = (
            f"aws logs filter-log-events --log-group-name {GROUP} --log-stream-names ecs/business/{task.id}"
            f" --start-time {start} --end-time {end} --region ap-northeast-1"
        )
        assert command in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "back on the tasks screen")


async def test_no_awslogs_configuration_is_said_plainly_never_a_guessed_stream():
    fake = fake_with_tasks()  # the builders' task definition has no logConfiguration
    fake.log_events = [LogEvent("a", ms(6), f"ecs/business/{oom_task(1, 5).id}", "ERROR a line")]
    for language, words in (("en", "no awslogs log configuration"), ("ja", "awslogs のログ設定")):
        app = make_screen_app(fake, quiet_config(language=language))
        async with app.run_test(size=(160, 48)) as pilot:
            modal = await open_logs_of_third_row(app, pilot)
            assert words in modal.text and b.TD_ARN in modal.text
            assert "ERROR a line" not in modal.text and "filter-log-events" not in modal.text
