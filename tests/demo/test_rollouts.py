"""ECS rollouts: a rollback and a forced deployment roll out tick by tick and complete as AWS reports it."""

from __future__ import annotations

from tests.demo.helpers import ROLLOUT_TICKS, client, within_ticks

CLUSTER, SERVICE = "kojan-map-production", "kojan-map-business"


def describe(ecs):
    return ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]


def completed(ecs):
    service = describe(ecs)
    deployments = service["deployments"]
    return service if len(deployments) == 1 and deployments[0]["rolloutState"] == "COMPLETED" else None


def test_rollback_to_the_previous_revision_rolls_out_and_completes(demo_world):
    ecs = client(demo_world, "ecs")
    before = describe(ecs)
    old_id = before["deployments"][0]["id"]
    started = ecs.update_service(cluster=CLUSTER, service=SERVICE, taskDefinition="kojan-map-business:2")["service"]
    by_status = {d["status"]: d for d in started["deployments"]}
    assert (by_status["PRIMARY"]["runningCount"], by_status["ACTIVE"]["runningCount"]) == (0, 2)  # the old tasks serve on

    service = within_ticks(demo_world, ROLLOUT_TICKS, lambda: completed(ecs), "the rollback to complete")
    primary = service["deployments"][0]
    assert primary["id"] != old_id and primary["status"] == "PRIMARY"
    assert primary["taskDefinition"] == service["taskDefinition"] == before["taskDefinition"][:-1] + "2"
    assert (service["runningCount"], service["desiredCount"], service["pendingCount"]) == (2, 2, 0)
    messages = [e["message"] for e in service["events"]]
    assert messages[0] == "(service kojan-map-business) has reached a steady state."
    assert messages[1] == f"(service kojan-map-business) deployment {primary['id']} deployment completed."
    rollout = messages[: next(i for i, m in enumerate(messages) if i > 1 and "has reached a steady state" in m)]
    assert sum("has started 1 tasks: (task " in m for m in rollout) == 2
    assert sum("has stopped 1 running tasks: (task " in m for m in rollout) == 2
    assert (
        sum(
            m.startswith("(service kojan-map-business) registered 1 targets in (target-group arn:aws:elasticloadbalancing:")
            for m in rollout
        )
        == 2
    )
    assert sum("deregistered 1 targets in (target-group " in m for m in rollout) == 2
    in_order = rollout[::-1]  # events are newest first: a new task came up while the old ones still ran
    assert next(i for i, m in enumerate(in_order) if m.startswith(f"(service {SERVICE}) registered 1 targets")) < next(
        i for i, m in enumerate(in_order) if "has stopped 1 running tasks" in m
    )
    assert primary["rolloutStateReason"] == f"ECS deployment {primary['id']} completed."


def test_force_new_deployment_replaces_the_tasks_on_the_same_revision(demo_world):
    ecs, logs = client(demo_world, "ecs"), client(demo_world, "logs")
    before = describe(ecs)
    streams_before = {s["logStreamName"] for s in logs.describe_log_streams(logGroupName="/ecs/kojan-map-business")["logStreams"]}
    started = ecs.update_service(cluster=CLUSTER, service=SERVICE, forceNewDeployment=True)["service"]
    assert [d["status"] for d in started["deployments"]] == ["PRIMARY", "ACTIVE"]
    assert started["deployments"][0]["rolloutState"] == "IN_PROGRESS"
    service = within_ticks(demo_world, ROLLOUT_TICKS, lambda: completed(ecs), "the forced deployment to complete")
    assert service["taskDefinition"] == before["taskDefinition"]
    assert service["deployments"][0]["id"] == started["deployments"][0]["id"] != before["deployments"][0]["id"]
    new_tasks = {m.split("(task ")[1].rstrip(").") for m in (e["message"] for e in service["events"][:14]) if "has started" in m}
    assert len(new_tasks) == 2
    streams_after = {s["logStreamName"] for s in logs.describe_log_streams(logGroupName="/ecs/kojan-map-business")["logStreams"]}
    assert {f"ecs/business/{t}" for t in new_tasks} <= streams_after - streams_before  # new tasks log to new streams
    arns = ecs.list_tasks(cluster=CLUSTER, serviceName=SERVICE)["taskArns"]
    tasks = ecs.describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"]
    assert {t["taskArn"].rsplit("/", 1)[1] for t in tasks} == new_tasks  # the replaced tasks are gone
    assert all(t["lastStatus"] == "RUNNING" and t["healthStatus"] == "HEALTHY" for t in tasks)
    assert {t["startedBy"] for t in tasks} == {service["deployments"][0]["id"]}
    stopped_arns = ecs.list_tasks(cluster=CLUSTER, serviceName=SERVICE, desiredStatus="STOPPED")["taskArns"]
    stopped = ecs.describe_tasks(cluster=CLUSTER, tasks=stopped_arns)["tasks"]
    old_deployment = before["deployments"][0]["id"]
    assert [t["stoppedReason"] for t in stopped] == [f"Scaling activity initiated by (deployment {old_deployment})"] * 2


def test_scaling_the_desired_count_starts_tasks(demo_world):
    ecs = client(demo_world, "ecs")
    ecs.update_service(cluster=CLUSTER, service=SERVICE, desiredCount=3)
    service = within_ticks(
        demo_world, ROLLOUT_TICKS, lambda: (s := describe(ecs))["runningCount"] == 3 and s, "a third running task"
    )
    assert service["deployments"][0]["desiredCount"] == 3 and len(service["deployments"]) == 1


def test_a_revision_registered_by_hand_becomes_the_newest_until_the_world_is_reset(demo_world):
    ecs = client(demo_world, "ecs")
    current = ecs.describe_task_definition(taskDefinition="kojan-map-business:3")["taskDefinition"]
    keep = ("family", "containerDefinitions", "requiresCompatibilities", "networkMode", "cpu", "memory")
    rev4 = ecs.register_task_definition(**{k: current[k] for k in keep})["taskDefinition"]["taskDefinitionArn"]
    listed = ecs.list_task_definitions(familyPrefix="kojan-map", sort="DESC")["taskDefinitionArns"]
    assert listed[0] == rev4 and [a[-1] for a in listed] == ["4", "3", "2"]  # 1 is INACTIVE
    demo_world.reset("healthy")
    assert ecs.list_task_definitions(familyPrefix="kojan-map-business", sort="DESC")["taskDefinitionArns"][0].endswith(":3")


def test_a_reset_forgets_registered_revisions_and_reactivates_a_deregistered_seeded_one(demo_world):
    """A later test must not inherit an earlier one's revisions: a test that deregistered :2 once left every
    rollback test after it with nothing to roll back to."""
    ecs = client(demo_world, "ecs")
    current = ecs.describe_task_definition(taskDefinition="kojan-map-business:3")["taskDefinition"]
    keep = ("family", "containerDefinitions", "requiresCompatibilities", "networkMode", "cpu", "memory")
    for _ in range(2):
        ecs.register_task_definition(**{k: current[k] for k in keep})
    ecs.deregister_task_definition(taskDefinition="kojan-map-business:2")
    demo_world.reset("healthy")
    statuses = {
        rev: ecs.describe_task_definition(taskDefinition=f"kojan-map-business:{rev}")["taskDefinition"]["status"]
        for rev in (1, 2, 3)
    }
    assert statuses == {1: "INACTIVE", 2: "ACTIVE", 3: "ACTIVE"}
    listed = ecs.list_task_definitions(familyPrefix="kojan-map-business", status="ACTIVE", sort="DESC")["taskDefinitionArns"]
    assert [arn.rsplit(":", 1)[1] for arn in listed] == ["3", "2"]
    again = ecs.register_task_definition(**{k: current[k] for k in keep})["taskDefinition"]
    assert again["revision"] == 4  # numbered as on a fresh start
    demo_world.reset("healthy")


def test_bad_deploy_redeploy_of_the_bad_revision_trips_the_circuit_breaker_and_rolls_back(demo_world):
    ecs = client(demo_world, "ecs")
    demo_world.set_scenario("bad-deploy")
    before = describe(ecs)
    assert before["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    settled_id = before["deployments"][0]["id"]
    failing = ecs.update_service(cluster=CLUSTER, service=SERVICE, forceNewDeployment=True)["service"]["deployments"][0]

    def failed():
        deployments = {d["id"]: d for d in describe(ecs)["deployments"]}
        mine = deployments.get(failing["id"])
        return mine if mine and mine["rolloutState"] == "FAILED" else None

    tripped = within_ticks(demo_world, ROLLOUT_TICKS, failed, "the circuit breaker to fail the deployment", interval=0.05)
    assert tripped["rolloutStateReason"] == "ECS deployment circuit breaker: tasks failed to start."
    assert tripped["failedTasks"] >= 3 and tripped["status"] == "ACTIVE" and tripped["runningCount"] == 0
    service = describe(ecs)
    primary = service["deployments"][0]
    assert primary["status"] == "PRIMARY" and primary["id"] not in (failing["id"], settled_id)
    assert primary["taskDefinition"] == before["taskDefinition"]
    messages = [e["message"] for e in service["events"]]
    assert f"(service {SERVICE}) (deployment {failing['id']}) deployment failed: tasks failed to start." in messages
    assert f"(service {SERVICE}) rolling back to deployment {settled_id}." in messages
    assert any("is unhealthy in (target-group arn:aws:elasticloadbalancing:" in m for m in messages)
    stopped_arns = ecs.list_tasks(cluster=CLUSTER, serviceName=SERVICE, desiredStatus="STOPPED")["taskArns"]
    reasons = {t["stoppedReason"] for t in ecs.describe_tasks(cluster=CLUSTER, tasks=stopped_arns)["tasks"]}
    assert any(r.startswith("Task failed ELB health checks in (target-group ") for r in reasons)

    done = within_ticks(demo_world, ROLLOUT_TICKS, lambda: completed(ecs), "the rollback deployment to complete")
    assert done["deployments"][0]["id"] == primary["id"] and (done["runningCount"], done["desiredCount"]) == (2, 2)


def test_a_rollback_in_bad_deploy_is_not_failed_by_the_circuit_breaker(demo_world):
    ecs = client(demo_world, "ecs")
    demo_world.set_scenario("bad-deploy")
    ecs.update_service(cluster=CLUSTER, service=SERVICE, taskDefinition="kojan-map-business:2")
    service = within_ticks(demo_world, ROLLOUT_TICKS, lambda: completed(ecs), "the rollback to complete")
    assert service["taskDefinition"].endswith(":2") and service["deployments"][0]["failedTasks"] == 0
