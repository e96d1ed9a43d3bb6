"""Incident records: ER numbering from er.md, a malformed er.md named and untouched, exports (golden files)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kojan_tui.core.incidents import (
    ErFileError,
    IncidentRecord,
    TimelineEntry,
    append_er_row,
    er_row,
    markdown_report,
    next_er_number,
)

GOLDEN = Path(__file__).parent.parent / "golden"
OPENED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
TEAM_ER_MD = """# 障害管理表

| 管理番号 | テスト項目管理番号 | モジュール名 | 障害状況 | 障害対処内容 | トラブル分類 |
|---|---|---|---|---|---|
| ER-001 | T-004 | auth | ログインで 401 | JWT_SECRET を再設定 | 設定ミス |
| ER-007 | T-010 | db | 接続エラー | RDS 再起動 | インフラ |
"""


def record(number: int = 8) -> IncidentRecord:
    r = IncidentRecord(
        number=number,
        opened_at=OPENED,
        title="database connection down",
        test_item="T-021",
        module="internal/db",
        what_failed="500 on every endpoint | database connection refused",
        what_was_done="rolled back to kojan-map-business:2",
        classification="インフラ",
        closed_at=datetime(2026, 11, 28, 12, 31, tzinfo=UTC),
    )
    for minute, kind, text in (
        (0, "s25", "every request is failing: 5XX rate 100.0 %"),
        (2, "alert", "ALB 5XX rate: 100.00 % — check logs, debug"),
        (9, "action", "rollback kojan-map-business:3 → kojan-map-business:2: succeeded"),
        (14, "s25-cleared", "every request is failing"),
    ):
        r = r.with_entry(TimelineEntry(OPENED.replace(minute=minute), kind, text))
    return r


def test_numbering_continues_from_the_teams_er_md(tmp_path):
    er = tmp_path / "er.md"
    er.write_text(TEAM_ER_MD, encoding="utf-8")
    assert next_er_number(er) == 8
    assert next_er_number(er, taken=[8, 9]) == 10  # records not exported yet count too
    assert next_er_number(tmp_path / "missing.md") == 1


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("| a | b |\n|---|---|\n", 1, "not the er.md header"),
        (TEAM_ER_MD + "| ER-008 | T-1 | x |\n", 7, "has 3 cells"),
        (TEAM_ER_MD + "| E-8 | T-011 | a | b | c | d |\n", 7, "'E-8' is not a record number"),
    ],
    ids=["header", "cells", "number"],
)
def test_a_malformed_er_md_is_named_and_left_untouched(tmp_path, text, line, message):
    er = tmp_path / "er.md"
    er.write_text(text, encoding="utf-8")
    before = er.read_bytes()
    with pytest.raises(ErFileError) as caught:
        append_er_row(er, record())
    assert caught.value.line == line and message in str(caught.value) and str(er) in str(caught.value)
    assert er.read_bytes() == before


def test_the_row_appended_to_er_md_matches_the_golden_file(tmp_path):
    er = tmp_path / "er.md"
    er.write_text(TEAM_ER_MD, encoding="utf-8")
    append_er_row(er, record())
    assert er.read_text(encoding="utf-8") == (GOLDEN / "er_after_append.md").read_text(encoding="utf-8")
    assert next_er_number(er) == 9
    with pytest.raises(ErFileError, match="ER-008 is already in the file"):
        append_er_row(er, record())


def test_a_new_er_md_gets_the_header(tmp_path):
    er = tmp_path / "er.md"
    append_er_row(er, record(1))
    assert er.read_text(encoding="utf-8").splitlines()[2] == er_row(record(1))


def test_the_report_matches_the_golden_file():
    assert markdown_report(record()) == (GOLDEN / "er_008_report.md").read_text(encoding="utf-8")


def test_missing_fields_are_listed_before_export():
    empty = IncidentRecord(number=3, opened_at=OPENED, test_item="T1")
    assert empty.missing_fields() == ["test_item (T-YYY)", "module", "what_failed", "what_was_done", "classification"]
    assert record().missing_fields() == []
