"""S06's response flow kept on an incident's timeline: the current stage, the next one, the stage at a moment, the
export's section (nothing when the flow never moved: the golden report stays as it was)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kojan_tui.core.i18n import tr
from kojan_tui.core.incidents import IncidentRecord, TimelineEntry
from kojan_tui.core.response_flow import STAGES, current_stage, next_stage, report_lines, stage_at, stage_entry, stage_times

OPENED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return OPENED + timedelta(minutes=minutes)


def test_the_stages_are_the_guides_words_in_japanese_and_english_in_english():
    assert [tr(s.english, "ja") for s in STAGES] == [s.guide for s in STAGES]
    assert " → ".join(s.guide for s in STAGES) == "事象発生 → CloudWatch Logs確認 → 原因特定 → 対応方法決定 → 実施 → 検証"
    assert [tr(s.english, "en") for s in STAGES][1] == "Read CloudWatch Logs"


def test_current_next_and_the_stage_at_a_moment():
    record = IncidentRecord(8, OPENED)
    assert current_stage(record).number == 1 and next_stage(record) is STAGES[1]
    record = record.with_entry(stage_entry(STAGES[1], at(3), "en")).with_entry(stage_entry(STAGES[2], at(7), "ja"))
    record = record.with_entry(TimelineEntry(at(8), "note", "S06 6/6: a note that looks like one is not a stage"))
    record = record.with_entry(stage_entry(STAGES[1], at(9), "en"))  # twice: the first time counts
    assert record.timeline[0].text == "S06 2/6: Read CloudWatch Logs" and record.timeline[1].text == "S06 3/6: 原因特定"
    assert stage_times(record) == {1: OPENED, 2: at(3), 3: at(7)}
    assert current_stage(record).guide == "原因特定" and next_stage(record).guide == "対応方法決定"
    assert [stage_at(record, at(m)).number for m in (0, 2, 3, 6, 7, 60)] == [1, 1, 2, 2, 3, 3]
    last = IncidentRecord(9, OPENED, timeline=(stage_entry(STAGES[5], at(1), "en"),))
    assert current_stage(last).guide == "検証" and next_stage(last) is None


def test_the_export_section():
    assert report_lines(IncidentRecord(8, OPENED)) == []
    record = IncidentRecord(8, OPENED)
    for stage, minutes in zip(STAGES[1:3], (3, 130), strict=True):
        record = record.with_entry(stage_entry(stage, at(minutes), "en"))
    assert report_lines(record) == [
        "## Response flow (S06, UTC)",
        "",
        "| stage | entered | took |",
        "|---|---|---|",
        "| 1/6 事象発生 (the incident occurs) | 2026-11-28 12:00:00 | 3 min 00 s |",
        "| 2/6 CloudWatch Logs確認 (read CloudWatch Logs) | 2026-11-28 12:03:00 | 2 h 07 min |",
        "| 3/6 原因特定 (find the cause) | 2026-11-28 14:10:00 | current |",
        "| 4/6 対応方法決定 (decide the remedy) | — | |",
        "| 5/6 実施 (carry out the remedy) | — | |",
        "| 6/6 検証 (verify the result) | — | |",
        "",
    ]
