"""S27's log archive as a CloudWatch Logs export task that takes a few ticks, and the simulated API's health URL."""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from tests.demo.helpers import ROLLOUT_TICKS, SERVICE, client, utcnow, within_ticks

ARCHIVE = "kojan-map-log-archive"
EXPORT_TICKS = 12  # COMPLETED 3 ticks after it was created


def export_status(logs, task_id: str) -> str:
    return logs.describe_export_tasks(taskId=task_id)["exportTasks"][0]["status"]["code"]


def test_an_export_task_runs_for_a_few_ticks_then_writes_the_range_to_the_bucket(demo_world):
    logs, s3 = client(demo_world, "logs"), client(demo_world, "s3")
    end = utcnow()
    start = end - timedelta(hours=1)
    task_id = logs.create_export_task(
        taskName="kojan-map-2026-11",
        logGroupName=SERVICE.log_group,
        fromTime=int(start.timestamp() * 1000),
        to=int(end.timestamp() * 1000),
        destination=ARCHIVE,
        destinationPrefix="ecs/kojan-map-business",
    )["taskId"]
    seen = [export_status(logs, task_id)]
    assert seen[0] == "PENDING"
    with pytest.raises(ClientError) as second:  # one active export per account, as in AWS
        logs.create_export_task(logGroupName=SERVICE.log_group, fromTime=0, to=1, destination=ARCHIVE, destinationPrefix="again")
    assert second.value.response["Error"]["Code"] == "LimitExceededException"

    def finished():
        seen.append(export_status(logs, task_id))
        return seen[-1] == "COMPLETED"

    within_ticks(demo_world, EXPORT_TICKS, finished, "the export to complete", interval=0.05)
    assert "RUNNING" in seen and seen.index("RUNNING") < seen.index("COMPLETED")
    task = logs.describe_export_tasks(taskId=task_id)["exportTasks"][0]
    assert task["executionInfo"]["completionTime"] >= task["executionInfo"]["creationTime"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=ARCHIVE, Prefix=f"ecs/kojan-map-business/{task_id}/")["Contents"]]
    assert keys and all(
        k.startswith(f"ecs/kojan-map-business/{task_id}/ecs/business/") and k.endswith("/000000.gz") for k in keys
    )
    lines = gzip.decompress(s3.get_object(Bucket=ARCHIVE, Key=keys[0])["Body"].read()).decode().splitlines()
    assert lines and all(line[:2] == "20" and line[23] == "Z" for line in lines)  # 2026-11-29T00:00:00.000Z <message>

    demo_world.reset("healthy")  # the archive is emptied and the tasks forgotten
    assert "Contents" not in s3.list_objects_v2(Bucket=ARCHIVE)
    assert logs.describe_export_tasks()["exportTasks"] == []


def test_an_export_to_a_missing_bucket_is_refused(demo_world):
    with pytest.raises(ClientError) as refused:
        client(demo_world, "logs").create_export_task(logGroupName=SERVICE.log_group, fromTime=0, to=1, destination="no-such")
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"


def health(demo_world) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{demo_world.endpoint_url}/_kojan/app/health", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_health_url_follows_the_scenario(demo_world):
    assert health(demo_world) == (200, {"status": "ok", "checks": {"database": "ok"}, "tasks": 2, "revision": "3"})
    demo_world.set_scenario("db-outage")
    status, body = health(demo_world)
    assert status == 503 and body["checks"] == {"database": "unreachable"}
    demo_world.set_scenario("healthy")
    assert health(demo_world)[0] == 200


def test_the_health_url_answers_503_when_no_task_runs(demo_world):
    ecs = client(demo_world, "ecs")
    ecs.update_service(cluster=SERVICE.cluster, service=SERVICE.name, desiredCount=0)
    within_ticks(demo_world, ROLLOUT_TICKS, lambda: health(demo_world)[0] == 503, "the last task to stop")
    assert health(demo_world)[1]["status"] == "unavailable"
