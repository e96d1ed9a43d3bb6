"""S06's response flow as one line on the incident screen: the stages passed (with the local time each was
entered), the current one marked, the ones to come dim; ``s`` moves on."""

from __future__ import annotations

from rich.text import Text

from kojan_tui.core.i18n import tr
from kojan_tui.core.incidents import IncidentRecord
from kojan_tui.core.localtime import clock
from kojan_tui.core.response_flow import STAGES, current_stage, label, stage_times


def flow_text(record: IncidentRecord, language: str, zone: str) -> Text:
    times = stage_times(record)
    current = current_stage(record).number
    text = Text(tr("S06 response flow", language) + "  ", style="bold")
    for stage in STAGES:
        if stage.number > 1:
            text.append(" → ", style="dim")
        name = f"{stage.number} {label(stage, language)}"
        if stage.number == current:
            text.append(f"▶ {name}", style="bold reverse")
            text.append(f" {clock(times[stage.number], zone)}", style="bold")
        elif stage.number < current:
            at = times.get(stage.number)
            text.append(f"✓ {name}", style="green")
            if at is not None:
                text.append(f" {clock(at, zone)}", style="dim")
        else:
            text.append(name, style="dim")
    if current < len(STAGES) and record.closed_at is None:
        text.append("   " + tr("s: next stage", language), style="dim")
    return text
