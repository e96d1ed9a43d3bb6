"""The task definition view (D, palette "Task definition"): the running revision as JSON, scrollable and copyable,
every secret masked by the one rule; no secret value ever on screen or in the clipboard; failures shown as such."""

from __future__ import annotations

import json
from dataclasses import replace

from textual.widgets import Static

from kojan_tui.core.config import RefreshSettings
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import ContainerDefinition, TaskDefinition
from kojan_tui.core.secret_rule import MASK
from kojan_tui.ui.screens.task_definition import TaskDefinitionScreen
from kojan_tui.ui.screens.tasks import TasksScreen
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, make_screen_app, plain, quiet_config, refresh, until

ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:7"
SECRET_ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:kojan/db-AbCdEf"
SECRETS = ("Hunter2Pass", "Sup3rS3cretPw", "tok_9f8e7d6c5b4a", "AKIAABCDEFGHIJKLMNOP", "[bold]x")


def leaky_definition() -> TaskDefinition:
    env = (
        ("APP_ENV", "production"),
        ("DATABASE_URL", "mysql://admin:Sup3rS3cretPw@db/x"),
        ("DB_PASS", "Hunter2Pass"),
        ("API_TOKEN", "tok_9f8e7d6c5b4a"),
        ("NOTE", "key AKIAABCDEFGHIJKLMNOP here"),
        ("SESSION_KEY", "[bold]x"),  # markup-looking text: masked, and never read as markup either
    )
    container = ContainerDefinition(
        "business",
        "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/kojan-map/business:v1.7",
        env,
        secrets=(("DB_PASSWORD", SECRET_ARN),),
        memory=512,
        ports=("8080/tcp",),
        health_check="CMD-SHELL curl -f http://localhost:8080/healthz (every 30s)",
    )
    return TaskDefinition(ARN, "kojan-map-business", 7, (container,), registered_at=b.NOW, cpu="256", memory="512")


def leaky_fake():
    fake = healthy_fake()
    fake.task_definitions = {ARN: leaky_definition()}
    fake.service = replace(b.service(), task_definition=ARN, deployments=(replace(b.deployment(), task_definition=ARN),))
    return fake


def shown(app) -> str:
    return plain(app.screen.query_one("#task-definition-text", Static).render())


async def test_the_running_definition_is_json_with_every_secret_masked_on_screen_and_when_copied():
    app = make_screen_app(leaky_fake(), config=quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, TaskDefinitionScreen) and "containerDefinitions" in shown(app))
        text = shown(app)
        for secret in SECRETS:
            assert secret not in text
        document = json.loads(text)  # what is shown is the JSON itself
        container = document["containerDefinitions"][0]
        env = {e["name"]: e["value"] for e in container["environment"]}
        assert env["DB_PASS"] == MASK and env["API_TOKEN"] == MASK and env["SESSION_KEY"] == MASK
        assert env["DATABASE_URL"] == f"mysql://admin:{MASK}@db/x" and env["APP_ENV"] == "production"
        assert MASK in env["NOTE"]
        assert container["secrets"] == [{"name": "DB_PASSWORD", "valueFrom": SECRET_ARN}]  # the reference only
        assert document["revision"] == 7 and container["portMappings"] == ["8080/tcp"]
        assert "kojan-map-business:7" in str(app.screen.query_one("VerticalScroll").border_title)
        await pilot.press("c")
        for secret in SECRETS:
            assert secret not in app.clipboard
        assert json.loads(app.clipboard) == document
        await pilot.press("escape")
        assert not isinstance(app.screen, TaskDefinitionScreen)


async def test_asked_from_the_tasks_view_when_the_dashboard_has_not_read_it_and_failures_are_shown():
    fake = leaky_fake()
    # no source polls on its own while the test runs: on a loaded machine the service panel's 10 s poll came
    # between "forget it" and D and put the definition back, so the view had nothing to ask (a flake)
    config = replace(quiet_config(language="ja"), refresh=RefreshSettings(3600.0, 3600.0, 3600.0, 3600.0))
    app = make_app(fake, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot, ["service"])
        state = app.services.state.current  # the dashboard read the definition: forget it, so the view must ask
        app.services.state.publish(replace(state, data=replace(state.data, task_definition=None)))
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen))
        calls = fake.calls["describe_task_definition"]
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, TaskDefinitionScreen) and "containerDefinitions" in shown(app))
        assert fake.calls["describe_task_definition"] == calls + 1
        assert "Hunter2Pass" not in shown(app)
        await pilot.press("escape")
        fake.failures["describe_task_definition"] = AwsFailure(
            FailureKind.ACCESS_DENIED, "not authorized: ecs:DescribeTaskDefinition"
        )
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, TaskDefinitionScreen) and "取得できません" in shown(app))
        assert "not authorized" in shown(app)
        await pilot.press("c")
        assert any("まだコピー" in n.message for n in app._notifications)
