"""What a checklist run amounts to: which items are done (ticked, or automatic with a passing check), the
progress, and the run as the Markdown document the team files (``- [x]`` items, results, the full record).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kojan_tui.core.logtext import make_visible
from kojan_tui.procedures.checks import Verdict
from kojan_tui.procedures.files import SHOWN_PREFIX, latest_files, shown_lines
from kojan_tui.procedures.models import Procedure, Step
from kojan_tui.procedures.runs import ProcedureRun, StepRecord

FENCE = "    ```"  # a code block inside an item
VERDICT_WORDS = {Verdict.PASS: "PASS", Verdict.WARN: "WARN", Verdict.FAIL: "FAIL", Verdict.UNAVAILABLE: "N/A"}


@dataclass(frozen=True)
class ItemStatus:
    step: Step
    done: bool  # ticked by the user, or an automatic item whose latest check passed
    ticked: bool
    note: str
    latest: StepRecord | None  # the newest check result

    @property
    def verdict(self) -> Verdict | None:
        return self.latest.verdict if self.latest else None


def item_status(step: Step, run: ProcedureRun) -> ItemStatus:
    state = run.state(step.id)
    latest = run.latest_check(step.id) if step.check else None
    passed = latest is not None and latest.verdict is Verdict.PASS
    recorded = bool(step.files) and latest_files(run, step.id) is not None  # S15: the files it asks for are named
    return ItemStatus(step, state.done or passed or recorded, state.done, state.note, latest)


def progress(procedure: Procedure, run: ProcedureRun) -> tuple[int, int]:
    """(items done, items)."""
    return sum(item_status(s, run).done for s in procedure.steps), len(procedure.steps)


def _line(text: str) -> str:
    """One Markdown-safe line: control characters visible, no newline, no table-breaking pipe."""
    return make_visible(" ".join(text.split())).replace("|", "\\|")


def _time(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "—"


def run_markdown(procedure: Procedure, run: ProcedureRun) -> str:
    """The run as Markdown: header (who, when, progress), the items as the guide's ``- [ ]`` list with their
    latest result and note, then every tick, check, action and alert in order."""
    done, total = progress(procedure, run)
    lines = [
        f"# {_line(procedure.title)}",
        "",
        f"- Checklist: `{procedure.id}` ({procedure.guide_item or '—'}, {run.language})",
        f"- Run: #{run.id}, started {_time(run.started_at)}",
        f"- Run by: {_line(run.started_by) if run.started_by else 'unknown (caller identity not available)'}",
        f"- Finished: {_time(run.finished_at) if run.finished_at else 'no (still open)'}",
        f"- Progress: {done} / {total} done",
        "",
        "## Items",
        "",
    ]
    for step in procedure.steps:
        status = item_status(step, run)
        kind = "auto" if step.check else "manual"
        lines.append(f"- [{'x' if status.done else ' '}] {_line(step.text)} ({kind})")
        if status.latest is not None:
            verdict = VERDICT_WORDS.get(status.verdict, "?") if status.verdict else "?"
            lines.append(f"  - {verdict} at {_time(status.latest.at)}: {_line(status.latest.summary)}")
            lines += [f"    - {_line(e)}" for e in status.latest.evidence]
        elif step.check:
            lines.append("  - not checked")
        if step.files:
            lines += _files_lines(step, run)
        if status.ticked:
            state = run.state(step.id)
            lines.append(f"  - ticked at {_time(state.done_at)}")
        if status.note:
            lines.append(f"  - note: {_line(status.note)}")
    lines += ["", "## Record", "", "| time (UTC) | item | what |", "|---|---|---|"]
    for record in run.records:
        what = record.type
        if record.verdict is not None:
            what += f" {VERDICT_WORDS[record.verdict]}"
        lines.append(f"| {record.at:%Y-%m-%d %H:%M:%S} | {_line(record.step_id)} | {what}: {_line(record.summary)} |")
    return "\n".join(lines) + "\n"


def _files_lines(step: Step, run: ProcedureRun) -> list[str]:
    """The step's newest ``files`` record: its summary, each file, a shown file's text in a code block."""
    record = latest_files(run, step.id)
    if record is None:
        return ["  - files: not given"]
    lines = [f"  - files recorded at {_time(record.at)}: {_line(record.summary)}"]
    in_block = False
    for line in shown_lines(step, record):
        if line.startswith(SHOWN_PREFIX):
            if not in_block:
                lines.append(FENCE)
                in_block = True
            lines.append("    " + make_visible(line.removeprefix(SHOWN_PREFIX)).replace("`", "'"))
            continue
        if in_block:
            lines.append(FENCE)
            in_block = False
        lines.append(f"    - {_line(line)}")
    if in_block:
        lines.append(FENCE)
    return lines


def export_name(procedure: Procedure, run: ProcedureRun) -> str:
    return f"checklist-{procedure.id}-run{run.id}-{run.started_at:%Y%m%d-%H%M}"


def write_new_file(directory: Path, stem: str, text: str, *, attempts: int = 100) -> Path:
    """Write ``text`` to ``<stem>.md`` in ``directory`` (``<stem>-2.md``… when taken): created exclusively,
    mode 0600, never overwriting anything and never following a symlink."""
    for n in range(1, attempts + 1):
        path = directory / (f"{stem}.md" if n == 1 else f"{stem}-{n}.md")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path
    raise FileExistsError(f"{directory / stem}.md and {attempts - 1} numbered names are all taken")
