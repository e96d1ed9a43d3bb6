"""FilterLogEvents (interleaved, paged) and Logs Insights against the live demo log group."""

from __future__ import annotations

import time
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.demo.helpers import client, wait_for

GROUP = "/ecs/kojan-map-business"
S05 = "fields @timestamp, @message | filter @message like /ERROR/ | stats count() by @message"


def test_filter_log_events_interleaves_streams_and_pages_without_loss(demo_world):
    logs = client(demo_world, "logs")
    start = int((time.time() - 3600) * 1000)
    everything = logs.filter_log_events(logGroupName=GROUP, startTime=start)["events"]
    assert len({e["logStreamName"] for e in everything}) == 2
    keys = [(e["timestamp"], int(e["eventId"])) for e in everything]
    assert keys == sorted(keys)  # one timeline across both task streams
    assert [e["logStreamName"] for e in everything[:50]] != sorted(
        e["logStreamName"] for e in everything[:50]
    )  # truly interleaved
    paged, token = [], None
    while True:
        kwargs = {"nextToken": token} if token else {}
        page = logs.filter_log_events(
            logGroupName=GROUP, startTime=start, endTime=everything[-1]["timestamp"], limit=37, **kwargs
        )
        paged.extend(page["events"])
        token = page.get("nextToken")
        if not token:
            break
    assert [e["eventId"] for e in paged] == [e["eventId"] for e in everything[: len(paged)]]
    assert len(paged) >= len([e for e in everything if e["timestamp"] <= everything[-1]["timestamp"]])


def test_insights_s05_query_matches_the_published_error_lines(demo_world):
    logs = client(demo_world, "logs")
    demo_world.set_scenario("db-outage")
    wait_for(
        lambda: logs.filter_log_events(logGroupName=GROUP, filterPattern="ERROR", startTime=int((time.time() - 60) * 1000))[
            "events"
        ],
        what="ERROR lines",
    )
    end = int(time.time()) + 1
    start = end - 3600
    query_id = logs.start_query(logGroupName=GROUP, startTime=start, endTime=end, queryString=S05)["queryId"]
    result = wait_for(lambda: (r := logs.get_query_results(queryId=query_id))["status"] == "Complete" and r, what="the query")
    counts = {f["value"]: None for row in result["results"] for f in row if f["field"] == "@message"}
    rows = [{f["field"]: f["value"] for f in row} for row in result["results"]]
    assert rows and all("ERROR" in r["@message"] for r in rows)
    errors = logs.filter_log_events(logGroupName=GROUP, filterPattern="ERROR", startTime=start * 1000, endTime=end * 1000 + 999)[
        "events"
    ]
    expected: dict[str, int] = {}
    for event in errors:
        expected[event["message"]] = expected.get(event["message"], 0) + 1
    got = {r["@message"]: int(r["count()"]) for r in rows}
    # the query ran a moment before FilterLogEvents: every counted line exists, with at most the later ticks' extra
    assert set(got) <= set(expected) and all(got[m] <= expected[m] for m in got)
    assert sum(got.values()) == result["statistics"]["recordsMatched"]
    assert len(counts) == len(rows)


def test_insights_refuses_what_it_does_not_support(demo_world):
    logs = client(demo_world, "logs")
    with pytest.raises(ClientError) as caught:
        logs.start_query(
            logGroupName=GROUP,
            startTime=int(time.time()) - 60,
            endTime=int(time.time()),
            queryString="fields @message | parse @message '* *' as a, b",
        )
    assert caught.value.response["Error"]["Code"] == "MalformedQueryException"
    assert "not supported by the kojan-tui demo" in caught.value.response["Error"]["Message"]


def test_equal_timestamps_across_streams_page_exactly_once(demo_world):
    logs = client(demo_world, "logs")
    group = f"/kojan-test/equal-timestamps-{uuid.uuid4().hex[:8]}"
    logs.create_log_group(logGroupName=group)
    at = int(time.time() * 1000) - 5000
    for stream in ("b", "a"):
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        logs.put_log_events(
            logGroupName=group, logStreamName=stream, logEvents=[{"timestamp": at, "message": f"{stream}{i}"} for i in range(5)]
        )
    seen, token = [], None
    while True:
        page = logs.filter_log_events(logGroupName=group, startTime=at, limit=3, **({"nextToken": token} if token else {}))
        seen.extend(page["events"])
        token = page.get("nextToken")
        if not token:
            break
    assert sorted(e["message"] for e in seen) == sorted(f"{s}{i}" for s in "ab" for i in range(5))
    assert len({e["eventId"] for e in seen}) == 10
    assert [int(e["eventId"]) for e in seen] == sorted(int(e["eventId"]) for e in seen)
