"""The service's tasks through the gateway: the contract AwsGateway (HTTP to the embedded AWS) and FakeGateway
share, and the scenarios' stopped tasks as AWS writes them (memory-leak, bad-deploy, outage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kojan_tui.aws.fake import FakeGateway
from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import AwsSettings, ServiceSettings
from kojan_tui.core.ecs_tasks import EcsTask, TaskContainer
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.task_stops import StopCause, classify, count_stops
from kojan_tui.demo.embedded import DUMMY_KEY_ID, DUMMY_SECRET
from tests.demo.helpers import ROLLOUT_TICKS, within_ticks_async
from tests.fixtures.waits import advance_until

SERVICE = ServiceSettings()
CLUSTER, NAME = SERVICE.cluster, SERVICE.name
TD = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/kojan-map-business:3"
OOM_TICKS = 60  # memory-leak: the long-running tasks pass 100 % about 13 ticks in
UNHEALTHY_TICKS = 60  # bad-deploy: a task of the new revision fails its health checks after 12 to 23 ticks running


def demo_gateway(aws) -> AwsGateway:
    return AwsGateway(AwsSettings(endpoint_url=aws.endpoint_url, max_attempts=2), static_credentials=(DUMMY_KEY_ID, DUMMY_SECRET))


def fake_like_the_demo() -> FakeGateway:
    """Two running tasks of revision 3, as the demo's healthy service has them."""
    fake = FakeGateway()
    from tests.aws.test_gateway_contract import fake_like_the_seed

    fake.service = fake_like_the_seed().service
    now = datetime.now(UTC)
    fake.tasks = [
        EcsTask(
            arn=f"arn:aws:ecs:ap-northeast-1:123456789012:task/{CLUSTER}/{n:032x}",
            task_definition=TD,
            last_status="RUNNING",
            desired_status="RUNNING",
            health="HEALTHY",
            availability_zone="ap-northeast-1a",
            started_by="ecs-svc/1",
            started_at=now - timedelta(hours=2),
            containers=(TaskContainer("business", "RUNNING", None, health="HEALTHY"),),
        )
        for n in (1, 2)
    ]
    return fake


@pytest.fixture(params=["aws", "fake"])
async def gateway(request, demo_world):
    gw = demo_gateway(demo_world) if request.param == "aws" else fake_like_the_demo()
    yield gw
    await gw.close()


def requests(gw, operation: str) -> int:
    return gw.requests[operation] if isinstance(gw, AwsGateway) else gw.calls[operation.replace("T", "_t").lower()]


async def test_running_tasks_are_listed_by_default_and_described_typed(gateway):
    listing = await gateway.list_tasks(CLUSTER, NAME)
    assert len(listing.arns) == 2 and listing.complete
    tasks = await gateway.describe_tasks(CLUSTER, listing.arns)
    assert {t.arn for t in tasks} == set(listing.arns)
    for task in tasks:
        assert (task.last_status, task.desired_status, task.health) == ("RUNNING", "RUNNING", "HEALTHY")
        assert task.revision == "kojan-map-business:3" and task.availability_zone.startswith("ap-northeast-1")
        assert task.started_at is not None and task.started_at.tzinfo is not None and task.stopped_at is None
        assert [(c.name, c.exit_code) for c in task.containers] == [("business", None)]
    whole = await gateway.service_tasks(CLUSTER, NAME)
    assert len(whole.running) == 2 and whole.stopped == () and whole.complete


async def test_no_arn_sends_nothing_and_a_missing_task_is_left_out(gateway):
    assert await gateway.describe_tasks(CLUSTER, []) == []
    assert requests(gateway, "DescribeTasks") == 0  # AWS refuses an empty list: never asked
    real = (await gateway.list_tasks(CLUSTER, NAME)).arns
    gone = f"arn:aws:ecs:ap-northeast-1:123456789012:task/{CLUSTER}/{'f' * 32}"
    assert {t.arn for t in await gateway.describe_tasks(CLUSTER, [*real, gone, real[0]])} == set(real)


async def test_describe_asks_in_batches_of_a_hundred(gateway):
    real = (await gateway.list_tasks(CLUSTER, NAME)).arns
    unknown = [f"arn:aws:ecs:ap-northeast-1:123456789012:task/{CLUSTER}/{n:032x}" for n in range(1000, 1248)]
    before = requests(gateway, "DescribeTasks")
    tasks = await gateway.describe_tasks(CLUSTER, [*real, *unknown])
    assert len(tasks) == 2 and requests(gateway, "DescribeTasks") - before == 3  # 250 tasks: 100 + 100 + 50


async def test_an_unknown_cluster_is_a_typed_not_found(gateway):
    with pytest.raises(AwsFailure) as caught:
        await gateway.list_tasks("no-such-cluster", NAME)
    assert caught.value.kind is FailureKind.NOT_FOUND


async def test_a_forced_deployment_leaves_the_replaced_tasks_listed_as_stopped(demo_world):
    gw = demo_gateway(demo_world)
    try:
        before = await gw.describe_service(CLUSTER, NAME)
        await gw.update_service(CLUSTER, NAME, force_new_deployment=True)
        tasks = await within_ticks_async(
            demo_world,
            ROLLOUT_TICKS,
            lambda: _when(gw, lambda t: len(t.stopped) >= 2 and len(t.running) == 2),
            "the replaced tasks listed as stopped",
        )
        service = await gw.describe_service(CLUSTER, NAME)
        for task in tasks.stopped:
            assert task.stop_code == "ServiceSchedulerInitiated" and task.started_by == before.primary.id
            assert task.stopped_reason == f"Scaling activity initiated by (deployment {before.primary.id})"
            assert [c.exit_code for c in task.containers] == [0]
            assert classify(task, service.primary.id) is StopCause.DEPLOYMENT
    finally:
        await gw.close()


def ticks_of(aws, n: int, step: int = 5) -> dict[str, float]:
    """``advance_until``'s budget in the simulator's ticks: ``step`` ticks a step, ``n`` at most."""
    return {"step_s": step * aws.tick_seconds, "limit_s": n * aws.tick_seconds}


async def _when(gw, condition):
    tasks = await gw.service_tasks(CLUSTER, NAME)
    return tasks if condition(tasks) else None


async def test_memory_leak_stops_tasks_out_of_memory_with_exit_code_137(demo_world):
    gw = demo_gateway(demo_world)
    try:
        demo_world.set_scenario("memory-leak")
        tasks = await advance_until(
            demo_world, lambda: _when(gw, lambda t: t.stopped), "a task stopped for memory", **ticks_of(demo_world, OOM_TICKS)
        )
        task = tasks.stopped[0]
        assert (task.last_status, task.stop_code, task.stopped_reason) == (
            "STOPPED",
            "EssentialContainerExited",
            "Essential container in task exited",
        )
        [container] = task.containers
        assert (container.exit_code, container.reason) == (137, "OutOfMemoryError: Container killed due to memory usage")
        assert classify(task) is StopCause.OUT_OF_MEMORY
        assert task.stopped_at is not None and task.started_at is not None and task.stopped_at > task.started_at
        counts = count_stops(tasks.stopped, demo_world.clock() + timedelta(seconds=5))  # the world's now
        assert counts.line("en").endswith("out of memory") and counts.total == len(tasks.stopped)
        assert task.arn not in (await gw.list_tasks(CLUSTER, NAME)).arns  # RUNNING unless asked otherwise
    finally:
        await gw.close()


async def test_bad_deploy_stops_tasks_of_the_new_revision_by_failing_elb_health_checks(demo_world):
    gw = demo_gateway(demo_world)
    try:
        demo_world.set_scenario("bad-deploy")
        tasks = await advance_until(
            demo_world,
            lambda: _when(gw, lambda t: t.stopped),
            "a task stopped by health checks",
            **ticks_of(demo_world, UNHEALTHY_TICKS),
        )
        newest = (await gw.describe_service(CLUSTER, NAME)).task_definition
        for task in tasks.stopped:
            assert task.task_definition == newest and task.revision == "kojan-map-business:3"
            assert task.stopped_reason.startswith("Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:")
            assert task.stop_code == "ServiceSchedulerInitiated"
            assert classify(task) is StopCause.HEALTH_CHECK
    finally:
        await gw.close()


async def test_outage_tasks_crash_with_the_go_panic_exit_code(demo_world):
    gw = demo_gateway(demo_world)
    try:
        demo_world.set_scenario("outage")
        tasks = await within_ticks_async(demo_world, 20, lambda: _when(gw, lambda t: len(t.stopped) >= 2), "crashed tasks")
        for task in tasks.stopped:
            assert (task.stop_code, task.stopped_reason) == ("EssentialContainerExited", "Essential container in task exited")
            assert [c.exit_code for c in task.containers] == [2] and classify(task) is StopCause.ESSENTIAL_EXITED
    finally:
        await gw.close()


async def test_stopped_tasks_page_by_a_hundred(demo_world):
    """ListTasks answers 100 at a time with a nextToken; the gateway follows it, up to its page limit."""
    gw = demo_gateway(demo_world)
    try:
        demo_world.set_scenario("outage")  # a crash loop: a stopped task about every tick
        # the world's time moves on (its ticks done at once) until the crash loop has stopped a hundred tasks
        await advance_until(
            demo_world,
            lambda: _when(gw, lambda t: len(t.stopped) > 100),
            "more than a hundred stopped tasks",
            **ticks_of(demo_world, 400, step=40),
        )
        before = gw.requests["ListTasks"]
        listing = await gw.list_tasks(CLUSTER, NAME, desired_status="STOPPED")
        assert len(listing.arns) > 100 and len(set(listing.arns)) == len(listing.arns) and listing.complete
        assert gw.requests["ListTasks"] - before == 2
        cut = await gw.list_tasks(CLUSTER, NAME, desired_status="STOPPED", max_pages=1)
        assert len(cut.arns) == 100 and not cut.complete
    finally:
        await gw.close()


async def test_bad_deploy_targets_turn_unhealthy_before_ecs_stops_them(demo_world):
    """The demo does not contradict itself: a task stopped by ELB health checks was an unhealthy target first."""
    from kojan_tui.core import metrics_catalog as q
    from tests.demo.helpers import client, s03_since

    since = demo_world.clock().replace(microsecond=0)
    gw = demo_gateway(demo_world)
    try:
        demo_world.set_scenario("bad-deploy")
        await advance_until(
            demo_world, lambda: _when(gw, lambda t: t.stopped), "a health-check stop", **ticks_of(demo_world, UNHEALTHY_TICKS)
        )
    finally:
        await gw.close()
    series = s03_since(client(demo_world, "cloudwatch"), since, period=1, end=demo_world.clock())
    assert max(series[q.UNHEALTHY_HOSTS]) >= 1 and min(series[q.HEALTHY_HOSTS]) <= 1
