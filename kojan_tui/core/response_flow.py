"""S06's response flow (対応フロー), kept on an incident's timeline:

    事象発生 → CloudWatch Logs確認 → 原因特定 → 対応方法決定 → 実施 → 検証

The incident starts at the first stage (its opening time is that stage's time); moving on records a ``stage``
timeline entry ``S06 N/6: <stage>`` with its time, so the store, the export and the replay all have it. The
current stage is the highest one recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.incidents import IncidentRecord, TimelineEntry

STAGE_KIND = "stage"


@dataclass(frozen=True)
class Stage:
    number: int  # 1…6
    guide: str  # the guide's own words
    english: str  # the English UI's (tr() gives the Japanese UI the guide's words)


STAGES = (
    Stage(1, "事象発生", N_("The incident occurs")),
    Stage(2, "CloudWatch Logs確認", N_("Read CloudWatch Logs")),
    Stage(3, "原因特定", N_("Find the cause")),
    Stage(4, "対応方法決定", N_("Decide the remedy")),
    Stage(5, "実施", N_("Carry out the remedy")),
    Stage(6, "検証", N_("Verify the result")),
)
_ENTRY = re.compile(r"^S06 (\d)/6\b")


def label(stage: Stage, language: str) -> str:
    return tr(stage.english, language)


def stage_entry(stage: Stage, at: datetime, language: str) -> TimelineEntry:
    return TimelineEntry(at, STAGE_KIND, f"S06 {stage.number}/{len(STAGES)}: {label(stage, language)}")


def stage_times(record: IncidentRecord) -> dict[int, datetime]:
    """When each stage reached was entered: the first at the opening, the others as recorded (the first time)."""
    times = {1: record.opened_at}
    for entry in record.timeline:
        match = _ENTRY.match(entry.text) if entry.kind == STAGE_KIND else None
        if match and 1 <= (number := int(match.group(1))) <= len(STAGES):
            times.setdefault(number, entry.at)
    return times


def current_stage(record: IncidentRecord) -> Stage:
    return STAGES[max(stage_times(record)) - 1]


def stage_at(record: IncidentRecord, moment: datetime) -> Stage:
    """The stage the incident was in at ``moment`` (for a replayed frame)."""
    reached = [n for n, at in stage_times(record).items() if at <= moment]
    return STAGES[max(reached, default=1) - 1]


def next_stage(record: IncidentRecord) -> Stage | None:
    """The stage after the current one; None at the last (検証)."""
    number = current_stage(record).number
    return STAGES[number] if number < len(STAGES) else None


def _took(start: datetime, end: datetime) -> str:
    minutes, seconds = divmod(max(0, int((end - start).total_seconds())), 60)
    return f"{minutes} min {seconds:02d} s" if minutes < 120 else f"{minutes // 60} h {minutes % 60:02d} min"


def report_lines(record: IncidentRecord) -> list[str]:
    """The export's S06 section (UTC, both languages as the report's fields are): each stage, when it was entered
    and how long it took; empty when the flow never moved past the first stage."""
    times = stage_times(record)
    if len(times) == 1:
        return []
    lines = ["## Response flow (S06, UTC)", "", "| stage | entered | took |", "|---|---|---|"]
    reached = sorted(times)
    for stage in STAGES:
        name = f"{stage.number}/{len(STAGES)} {stage.guide} ({stage.english[0].lower()}{stage.english[1:]})"
        at = times.get(stage.number)
        if at is None:
            lines.append(f"| {name} | — | |")
            continue
        later = [times[n] for n in reached if n > stage.number]
        end = later[0] if later else record.closed_at
        took = _took(at, end) if end is not None else "current"
        lines.append(f"| {name} | {at:%Y-%m-%d %H:%M:%S} | {took} |")
    return [*lines, ""]
