"""Error lines grouped by shape: the demo's own JSON lines give a few groups whose counts add up."""

from __future__ import annotations

import json
import random

from hypothesis import given

from kojan_tui.core.log_groups import group_lines, insights_timestamp_ms, lines_of_rows, mask, shape_of
from kojan_tui.demo.loglines import ERROR_MESSAGES, request_line
from tests.fixtures.hostile import fuzz_settings, hostile_lines

T0 = 1_795_867_200_000  # 2026-11-28 12:00:00 UTC


def demo_error_lines(kind: str, statuses: tuple[int, ...], requests: int = 400, seed: int = 7) -> list[tuple[int, str]]:
    """The ERROR lines the demo's service writes for ``requests`` failing requests of one scenario."""
    rng = random.Random(seed)
    lines = []
    for n in range(requests):
        at = T0 + n * 250
        lines += [
            (at, text) for text in request_line(rng, at, rng.choice(statuses), rng.uniform(5, 3000), kind) if '"ERROR"' in text
        ]
    return lines


def test_db_outage_and_bad_deploy_lines_give_a_few_groups_that_add_up():
    for kind, statuses in (("database", (500, 503)), ("panic", (500,))):  # db-outage, bad-deploy
        lines = demo_error_lines(kind, statuses)
        groups = group_lines(lines)
        assert len(lines) == 800  # each failed request: the error, then its access line
        assert len({text for _, text in lines}) == len(lines)  # every line is unique: one group per line today
        assert sum(g.count for g in groups) == len(lines)
        assert len(groups) == len(ERROR_MESSAGES[kind]) + 1  # each error message, and "request completed"
        assert groups[0].key == "request completed" and groups[0].count == 400
        assert {g.key for g in groups[1:]} == {mask(m) for m in ERROR_MESSAGES[kind]}


def test_every_scenario_together_stays_under_ten_groups():
    lines = [*demo_error_lines("database", (500, 503)), *demo_error_lines("panic", (500,), seed=8)]
    lines += demo_error_lines("storage", (500,), seed=9) + demo_error_lines("auth", (403, 500), seed=10)
    groups = group_lines(lines)
    assert len(groups) <= 10 and sum(g.count for g in groups) == len(lines)


def test_a_group_knows_its_first_and_last_seen_and_keeps_its_newest_line_as_example():
    lines = [
        (
            T0 + 5000,
            '{"level":"ERROR","msg":"database connection failed: dial tcp 10.0.21.37:3306: i/o timeout","request_id":"a"}',
        ),
        (T0, '{"level":"ERROR","msg":"database connection failed: dial tcp 10.0.9.1:3306: i/o timeout","request_id":"b"}'),
        (T0 + 9000, '{"level":"ERROR","msg":"database connection failed: dial tcp 10.0.21.38:3307: i/o timeout"}'),
    ]
    (group,) = group_lines(lines)
    assert (group.count, group.first_ms, group.last_ms) == (3, T0, T0 + 9000)
    assert group.example == lines[2][1]
    assert group.key == "database connection failed: dial tcp <ip>:<num>: i/o timeout"
    assert all(group.term in text for _, text in lines)  # Enter filters the tail to text every line contains


def test_the_json_msg_wins_then_error_then_the_masked_text():
    assert shape_of('{"msg":"request failed","error":"timeout after 30s","id":7}').key == "request failed · timeout after <dur>"
    assert shape_of('{"error":"no such host db-7f3a91.internal"}').key == "no such host <id>.internal"
    assert shape_of('{"msg": 42, "level": "error"}').key.startswith("{")  # no text field: the masked line
    text = (
        "2026-11-28T12:00:01.234Z ERROR req 0a1b2c3d-1111-4222-8333-444455556666 from 203.0.113.9 took 1532ms retry=3 0xdeadbeef"
    )
    assert shape_of(text).key == "<time> ERROR req <uuid> from <ip> took <dur> retry=<num> <hex>"


def test_plain_lines_with_different_ids_share_a_group():
    lines = [(T0 + n, f"ERROR order {1000 + n} failed for user u_{48213 + n} in {n + 1}.5s") for n in range(50)]
    (group,) = group_lines(lines)
    assert group.count == 50 and group.key == "ERROR order <num> failed for user <id> in <dur>"


def test_insights_rows_become_lines():
    rows = [{"@timestamp": "2026-11-28 12:00:00.037", "@message": "ERROR x"}, {"@message": "ERROR y"}, {"@timestamp": "?"}]
    assert lines_of_rows(rows) == [(T0 + 37, "ERROR x"), (0, "ERROR y")]
    assert insights_timestamp_ms("not a time") is None


@fuzz_settings(150)
@given(hostile_lines)
def test_grouping_never_raises(text):
    shape = shape_of(text)
    assert isinstance(shape.key, str) and len(shape.key) <= 300
    (group,) = group_lines([(T0, text), (T0 + 1, text)])
    assert group.count == 2


def test_json_lines_from_the_demo_are_json():
    (at, text), *_ = demo_error_lines("database", (500,), requests=1)
    assert json.loads(text)["level"] == "ERROR" and at == T0
