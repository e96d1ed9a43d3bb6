"""The Logs Insights subset: parsing, filtering, counting, and refusing what it does not implement."""

from __future__ import annotations

import pytest

from kojan_tui.demo.insights import Record, UnsupportedQuery, execute, parse, split_commands
from kojan_tui.demo.logs_patch import compile_filter

RECORDS = [
    Record(1_000, "s1", '{"level":"ERROR","msg":"database connection failed"}'),
    Record(2_000, "s2", '{"level":"INFO","msg":"request completed","status":200}'),
    Record(3_000, "s1", '{"level":"ERROR","msg":"database connection failed"}'),
    Record(4_000, "s2", '{"level":"ERROR","msg":"invalid token: malformed JWT"}'),
    Record(5_000, "s2", '{"level":"WARN","msg":"slow query"}'),
]
S05 = "fields @timestamp, @message | filter @message like /ERROR/ | stats count() by @message"


def test_the_guides_s05_query_counts_errors_by_message():
    outcome = execute(parse(S05), RECORDS)
    rows = [dict(r) for r in outcome.rows]
    assert rows == [{"@message": RECORDS[0].message, "count()": "2"}, {"@message": RECORDS[3].message, "count()": "1"}]
    assert outcome.records_matched == 3 and outcome.records_scanned == 5


def test_filter_sort_limit_and_fields():
    outcome = execute(
        parse("fields @timestamp, @message, @logStream | filter @message like 'ERROR' | sort @timestamp asc | limit 2"), RECORDS
    )
    assert [dict(r)["@logStream"] for r in outcome.rows] == ["s1", "s1"]
    assert dict(outcome.rows[0])["@timestamp"] == "1970-01-01 00:00:01.000"
    assert [f for f, _ in outcome.rows[0]] == ["@timestamp", "@message", "@logStream"]


def test_not_like_count_without_by_and_json_fields():
    assert [dict(r) for r in execute(parse("filter @message not like /ERROR/ | stats count() as n"), RECORDS).rows] == [
        {"n": "2"}
    ]
    by_level = [dict(r) for r in execute(parse("stats count(*) by level"), RECORDS).rows]
    assert by_level[0] == {"level": "ERROR", "count()": "3"}


def test_regex_with_a_pipe_stays_one_command():
    assert split_commands("filter @message like /WARN|ERROR/ | limit 5") == ["filter @message like /WARN|ERROR/", "limit 5"]
    assert execute(parse("filter @message like /WARN|ERROR/ | stats count()"), RECORDS).rows == [[("count()", "4")]]


@pytest.mark.parametrize(
    "query",
    ["parse @message 'x * y' as a", "stats avg(latency) by bin(5m)", "fields @message | dedup @message", "filter status >= 500"],
)
def test_unsupported_queries_say_so(query):
    with pytest.raises(UnsupportedQuery, match="not supported by the kojan-tui demo"):
        parse(query)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("", [True, True, True, True, True]),
        ("ERROR", [True, False, True, True, False]),
        ('"database connection"', [True, False, True, False, False]),
        ("ERROR -database", [False, False, False, True, False]),
        ("?WARN ?token", [False, False, False, True, True]),
        ('{ $.level = "ERROR" }', [True, False, True, True, False]),
        ("{ $.status >= 200 }", [False, True, False, False, False]),
    ],
)
def test_filter_patterns(pattern, expected):
    matches = compile_filter(pattern)
    assert [matches(r.message) for r in RECORDS] == expected
