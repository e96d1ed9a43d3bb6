"""Each scenario shows its symptom within its first simulated minute (12 ticks of the default 5 s).

Symptoms are read the way the product reads them: the S03 queries of ``metrics_catalog`` compared with
the alert thresholds of ``Config``, or the guide's log patterns via FilterLogEvents.
"""

from __future__ import annotations

from datetime import timedelta

from kojan_tui.core.thresholds import Thresholds
from kojan_tui.demo.scenarios import SCENARIOS
from tests.demo.helpers import ROLLOUT_TICKS, client, s03_since, utcnow, wait_for, wait_ticks, within_ticks

FIRST_MINUTE_TICKS = 12  # 60 s of simulated time at the default 5 s tick
OOM_TICKS = 40  # memory-leak: 42 % + 4.5 points a tick passes 100 % about 13 ticks in
LIMITS = Thresholds()
GIB = 1024**3


def error_rate_percent(series):
    requests = sum(series["alb_requests"])
    return 100.0 * sum(series["alb_5xx"]) / requests if requests else 0.0


def log_lines(aws, pattern, since):
    events = client(aws, "logs").filter_log_events(
        logGroupName="/ecs/kojan-map-business", filterPattern=pattern, startTime=int(since.timestamp() * 1000)
    )["events"]
    return [e["message"] for e in events]


def within_first_minute(aws, symptom, what):
    """Switch-relative: poll ``symptom`` and require it before the scenario's 12th tick has passed (in ticks,
    not seconds: a loaded machine ticks slower, and that must not fail the test)."""
    return within_ticks(aws, FIRST_MINUTE_TICKS, symptom, what)


def switch(aws, name):
    """Switch and return the first whole second after it: every tick from then on runs the new scenario."""
    aws.set_scenario(name)
    assert aws.scenario == name
    now = utcnow()
    return now.replace(microsecond=0) + timedelta(seconds=1)


def test_every_scenario_has_a_name_and_a_one_line_description():
    assert list(SCENARIOS) == [
        "healthy",
        "auth-errors",
        "db-outage",
        "memory-leak",
        "high-latency",
        "cpu-saturation",
        "storage-full",
        "outage",
        "error-burst",
        "bad-deploy",
    ]
    assert all(s.name == key and s.description and "\n" not in s.description for key, s in SCENARIOS.items())


def test_healthy_stays_below_every_threshold(demo_world):
    since = utcnow()
    wait_ticks(demo_world, FIRST_MINUTE_TICKS, "a simulated minute")
    series = s03_since(client(demo_world, "cloudwatch"), since, period=5)
    assert series["alb_requests"] and max(series["p99_latency"]) * 1000 < LIMITS.p99_latency_ms.alert
    assert error_rate_percent(series) < LIMITS.error_rate_percent.alert
    assert max(series["ecs_cpu"]) < LIMITS.ecs_cpu_percent.alert and max(series["ecs_memory"]) < LIMITS.ecs_memory_percent.alert
    assert max(series["rds_cpu"]) < LIMITS.rds_cpu_percent.alert
    assert min(series["rds_free_storage"]) > 100 * GIB * (1 - LIMITS.rds_storage_used_percent.alert / 100)
    assert log_lines(demo_world, "ERROR", since) == []


def test_auth_errors_fill_the_logs_with_invalid_token(demo_world):
    since = switch(demo_world, "auth-errors")
    lines = within_first_minute(demo_world, lambda: log_lines(demo_world, '"invalid token"', since), "'invalid token' lines")
    assert any('"status":401' in line or '"status":403' in line for line in log_lines(demo_world, "request completed", since))
    assert all("invalid token" in line for line in lines)


def test_db_outage_fails_every_request_with_database_connection_errors(demo_world):
    since = switch(demo_world, "db-outage")
    within_first_minute(demo_world, lambda: log_lines(demo_world, '"database connection"', since), "'database connection' lines")
    series = within_first_minute(
        demo_world,
        lambda: (s := s03_since(client(demo_world, "cloudwatch"), since, period=5))["alb_requests"] and s,
        "5XX datapoints",
    )
    assert error_rate_percent(series) > 99.0  # S25: every API call returns 500
    rds = client(demo_world, "rds")
    within_first_minute(
        demo_world,
        lambda: (
            rds.describe_db_instances(DBInstanceIdentifier="kojan-map-db")["DBInstances"][0]["DBInstanceStatus"] == "rebooting"
        ),
        "S08's first check: the instance is not available",
    )


def test_starting_in_memory_leak_shows_the_s09_climb_in_the_last_24_hours(demo_world):
    demo_world.reset("memory-leak")
    now = utcnow()
    points = client(demo_world, "cloudwatch").get_metric_statistics(
        Namespace="AWS/ECS",
        MetricName="MemoryUtilization",
        Dimensions=[
            {"Name": "ServiceName", "Value": "kojan-map-business"},
            {"Name": "ClusterName", "Value": "kojan-map-production"},
        ],
        StartTime=now - timedelta(hours=24),
        EndTime=now,
        Period=300,
        Statistics=["Maximum"],
    )["Datapoints"]
    values = [p["Maximum"] for p in sorted(points, key=lambda p: p["Timestamp"])]
    assert values[0] < 50 and max(values[:-40]) > 80  # the previous tasks climbed all day...
    assert min(values[-28:-24]) < 50  # ...until the deployment 2.5 h ago replaced them...
    assert values[-2] > LIMITS.ecs_memory_percent.warn  # ...and the new ones are climbing again


def test_memory_leak_climbs_past_the_threshold_and_a_forced_deployment_resets_it(demo_world):
    cloudwatch, ecs = client(demo_world, "cloudwatch"), client(demo_world, "ecs")
    since = switch(demo_world, "memory-leak")
    within_first_minute(
        demo_world,
        lambda: max(s03_since(cloudwatch, since, period=5)["ecs_memory"] or [0]) > LIMITS.ecs_memory_percent.alert,
        "memory above 85 %",
    )
    ecs.update_service(cluster="kojan-map-production", service="kojan-map-business", forceNewDeployment=True)
    within_ticks(
        demo_world,
        ROLLOUT_TICKS,
        lambda: (d := describe_service(ecs)["deployments"]) and len(d) == 1 and d[0]["rolloutState"] == "COMPLETED",
        "the forced deployment",
    )
    after = utcnow().replace(microsecond=0) + timedelta(seconds=1)
    fresh = within_ticks(
        demo_world, FIRST_MINUTE_TICKS, lambda: s03_since(cloudwatch, after, period=1)["ecs_memory"], "memory of the new tasks"
    )
    assert max(fresh) < LIMITS.ecs_memory_percent.warn  # new tasks start from the baseline and leak slowly


def test_memory_leak_ends_in_tasks_killed_for_memory(demo_world):
    ecs = client(demo_world, "ecs")
    switch(demo_world, "memory-leak")

    def killed():
        arns = ecs.list_tasks(cluster="kojan-map-production", serviceName="kojan-map-business", desiredStatus="STOPPED")[
            "taskArns"
        ]
        tasks = ecs.describe_tasks(cluster="kojan-map-production", tasks=arns)["tasks"] if arns else []
        # As AWS writes an OOM kill: the task's essential container exited; the container says why (exit 137).
        return [t for t in tasks if t["containers"][0].get("reason") == "OutOfMemoryError: Container killed due to memory usage"]

    task = within_ticks(demo_world, OOM_TICKS, killed, "a task stopped for memory")[0]
    assert (task["lastStatus"], task["stopCode"]) == ("STOPPED", "EssentialContainerExited")
    assert task["stoppedReason"] == "Essential container in task exited" and task["containers"][0]["exitCode"] == 137
    task_id = task["taskArn"].rsplit("/", 1)[1]
    events = ecs.describe_services(cluster="kojan-map-production", services=["kojan-map-business"])["services"][0]["events"]
    assert f"(service kojan-map-business) has stopped 1 running tasks: (task {task_id})." in [e["message"] for e in events]
    running = ecs.list_tasks(cluster="kojan-map-production", serviceName="kojan-map-business")["taskArns"]
    assert task["taskArn"] not in running  # ListTasks answers RUNNING tasks unless asked otherwise


def test_high_latency_pushes_p99_over_a_second(demo_world):
    since = switch(demo_world, "high-latency")
    within_first_minute(
        demo_world,
        lambda: (
            max(s03_since(client(demo_world, "cloudwatch"), since, period=5)["p99_latency"] or [0]) * 1000
            > LIMITS.p99_latency_ms.alert
        ),
        "p99 above 1000 ms",
    )


def test_high_latency_leaves_slow_queries_in_the_rds_slow_query_log(demo_world):
    since = switch(demo_world, "high-latency")
    logs = client(demo_world, "logs")
    group = "/aws/rds/instance/kojan-map-db/slowquery"

    def query_seconds() -> list[float]:
        events = logs.filter_log_events(logGroupName=group, filterPattern="Query_time", startTime=int(since.timestamp() * 1000))
        return [float(e["message"].split("Query_time: ")[1].split()[0]) for e in events["events"]]

    # The entries' times are drawn at random above the 0.85 s logging line: wait until one over 1 s is there
    # (the first two can both be under it), then every entry must be above the line.
    seconds = within_first_minute(demo_world, lambda: (s := query_seconds()) and max(s) > 1.0 and s, "a query over 1 s logged")
    assert all(s > 0.85 for s in seconds)  # S17: only slow queries are logged, and queries over 1 s are among them


def test_cpu_saturation_pins_cpu_and_autoscaling_scales_out(demo_world):
    before = utcnow()
    since = switch(demo_world, "cpu-saturation")
    within_first_minute(
        demo_world,
        lambda: (cpu := s03_since(client(demo_world, "cloudwatch"), since, period=5)["ecs_cpu"]) and min(cpu) > 99.0,
        "CPU at 100 %",
    )
    activities = within_first_minute(
        demo_world,
        lambda: [
            a
            for a in client(demo_world, "application-autoscaling").describe_scaling_activities(ServiceNamespace="ecs")[
                "ScalingActivities"
            ]
            if a["Description"] == "Setting desired count to 4."
        ],
        "a scale-out activity",
    )
    assert activities[0]["StartTime"] >= before.replace(microsecond=0)


def test_storage_full_uses_more_than_90_percent_of_the_allocated_storage(demo_world):
    allocated = (
        client(demo_world, "rds").describe_db_instances(DBInstanceIdentifier="kojan-map-db")["DBInstances"][0]["AllocatedStorage"]
        * GIB
    )
    since = switch(demo_world, "storage-full")

    def used_percent():
        free = s03_since(client(demo_world, "cloudwatch"), since, period=5)["rds_free_storage"]
        return free and 100 * (1 - min(free) / allocated) > LIMITS.rds_storage_used_percent.alert

    within_first_minute(demo_world, used_percent, "storage above 90 %")


def test_bad_deploy_fails_on_the_newest_revision_and_recovers_after_rollback(demo_world):
    ecs, cloudwatch = client(demo_world, "ecs"), client(demo_world, "cloudwatch")
    since = switch(demo_world, "bad-deploy")
    within_first_minute(
        demo_world,
        lambda: error_rate_percent(s03_since(cloudwatch, since, period=5)) > LIMITS.error_rate_percent.alert,
        "5XX above 1 %",
    )
    within_first_minute(demo_world, lambda: log_lines(demo_world, '"panic recovered"', since), "'panic recovered' lines")
    ecs.update_service(cluster="kojan-map-production", service="kojan-map-business", taskDefinition="kojan-map-business:2")
    within_ticks(
        demo_world,
        ROLLOUT_TICKS,
        lambda: (d := describe_service(ecs)["deployments"]) and len(d) == 1 and d[0]["rolloutState"] == "COMPLETED",
        "the rollback",
    )
    recovered = utcnow().replace(microsecond=0) + timedelta(seconds=1)  # whole seconds after the last old task
    wait_ticks(demo_world, 6, "six ticks after the rollback")
    series = s03_since(cloudwatch, recovered, period=5)
    assert sum(series["alb_requests"]) > 0 and error_rate_percent(series) == 0.0
    assert not any("panic recovered" in line for line in log_lines(demo_world, "ERROR", recovered))


def describe_service(ecs):
    return ecs.describe_services(cluster="kojan-map-production", services=["kojan-map-business"])["services"][0]


def test_outage_stops_every_task_and_the_alb_answers_503_itself_until_a_forced_deployment(demo_world):
    ecs, cloudwatch = client(demo_world, "ecs"), client(demo_world, "cloudwatch")
    switch(demo_world, "outage")
    service = within_first_minute(
        demo_world, lambda: (s := describe_service(ecs))["runningCount"] == 0 and s, "every task stopped"
    )
    assert service["desiredCount"] == 2
    assert any("stopped 1 running tasks" in e["message"] for e in service["events"][:10])
    # The first whole second after every task was seen stopped: the last tick with a running task came before it
    # (a window reaching back before this once caught that tick's RequestCount under load).
    outage = utcnow().replace(microsecond=0) + timedelta(seconds=1)
    wait_ticks(demo_world, 6, "six ticks of outage")
    wait_for(lambda: utcnow() >= outage + timedelta(seconds=2), what="two whole seconds of outage")  # wall-clock: whole seconds
    series = s03_since(cloudwatch, outage, period=1)
    assert sum(series["elb_5xx"]) > 0  # the ALB's own 503s, at the load-balancer level
    assert series["alb_requests"] == [] and series["alb_5xx"] == []  # no target chosen: nothing counted for the targets
    assert series["p99_latency"] == []  # no target answered: no latency datapoint at all
    assert series["healthy_hosts"] and max(series["healthy_hosts"]) == 0
    assert describe_service(ecs)["runningCount"] == 0  # the replacements crash too
    ecs.update_service(cluster="kojan-map-production", service="kojan-map-business", forceNewDeployment=True)
    within_ticks(
        demo_world,
        ROLLOUT_TICKS,
        lambda: (d := describe_service(ecs)["deployments"]) and len(d) == 1 and d[0]["rolloutState"] == "COMPLETED",
        "the forced deployment",
    )
    assert describe_service(ecs)["runningCount"] == 2
    after = utcnow().replace(microsecond=0) + timedelta(seconds=1)
    wait_ticks(demo_world, 6, "six ticks after recovery")
    series = s03_since(cloudwatch, after, period=1)
    assert sum(series["alb_requests"]) > 0 and series["elb_5xx"] == [] and series["p99_latency"]
    assert min(series["healthy_hosts"]) == 2
