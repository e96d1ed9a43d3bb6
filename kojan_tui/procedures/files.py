"""Files the user names on a step (``[[steps.files]]``; S15: last month's benchmark, this month's, their
``benchstat`` comparison), recorded on the run as one ``files`` record.

Each file is kept as its absolute path, size and SHA-256 (so the export says exactly which files were compared);
a ``show`` file (the comparison) also keeps its text, at most ``MAX_SHOWN_LINES`` lines, with its significant
benchstat changes in the summary. Nothing is recorded when a file is missing, not a regular file, unreadable or
too large: ``FilesError`` says which.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from kojan_tui.core.benchstat import largest, significant_changes
from kojan_tui.core.i18n import ntr, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.procedures.models import Step
from kojan_tui.procedures.runs import ProcedureRun, StepRecord

RECORD_TYPE = "files"
SHOWN_PREFIX = "│ "  # an evidence line that is a shown file's text (the export puts these in a code block)
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_SHOWN_LINES = 40
MAX_SHOWN_BYTES = 64 * 1024


class FilesError(Exception):
    """A named file cannot be recorded: the message says which and why."""


def latest_files(run: ProcedureRun, step_id: str) -> StepRecord | None:
    return next((r for r in reversed(run.records) if r.step_id == step_id and r.type == RECORD_TYPE), None)


def recorded_paths(record: StepRecord | None) -> dict[str, str]:
    """The paths a ``files`` record kept, by file id (to fill the form again)."""
    paths: dict[str, str] = {}
    for line in record.evidence if record else ():
        file_id, sep, rest = line.partition("=")
        if sep and not line.startswith(SHOWN_PREFIX) and " · " in rest:
            paths[file_id] = rest.rsplit(" · ", 2)[0]
    return paths


def shown_lines(step: Step, record: StepRecord) -> list[str]:
    """A ``files`` record's evidence as a person reads it: ``<label>: <path> · <size> B · sha256 <hash>``, then
    each shown file's label and its text (lines starting with ``SHOWN_PREFIX``)."""
    labels = {f.id: f.label for f in step.files}
    lines: list[str] = []
    for line in record.evidence:
        file_id, sep, rest = line.partition("=")
        if sep and not line.startswith(SHOWN_PREFIX) and " · " in rest:
            lines.append(f"{labels.get(file_id, file_id)}: {rest}")
        else:
            lines.append(line)
    return lines


def record_files(step: Step, paths: Mapping[str, str], at: datetime, language: str, *, base: Path | None = None) -> StepRecord:
    """The ``files`` record of ``step`` for ``paths`` (file id → the path the user typed, relative to ``base``,
    default the current directory). Raises ``FilesError`` when one cannot be recorded (nothing is then)."""
    base = base or Path.cwd()
    evidence: list[str] = []
    shown: list[str] = []
    changes_text = ""
    for field in step.files:
        typed = (paths.get(field.id) or "").strip()
        if not typed:
            raise FilesError(tr("{label}: no path given", language).format(label=field.label))
        path = (base / Path(typed).expanduser()).resolve()
        data = _read(path, field.label, language)
        digest = hashlib.sha256(data).hexdigest()[:16]
        evidence.append(f"{field.id}={make_visible(str(path))} · {len(data)} B · sha256 {digest}")
        if field.show:
            text = data[:MAX_SHOWN_BYTES].decode("utf-8", errors="replace")
            lines = [make_visible(line.rstrip()) for line in text.splitlines()]
            shown.append(f"{field.label}:")
            shown += [SHOWN_PREFIX + line for line in lines[:MAX_SHOWN_LINES]]
            if len(lines) > MAX_SHOWN_LINES:
                shown.append(SHOWN_PREFIX + tr("… {n} more lines", language).format(n=len(lines) - MAX_SHOWN_LINES))
            changes = significant_changes(text)
            top = largest(changes)
            if top is None:
                changes_text = tr("benchstat: no significant change", language)
            else:
                changes_text = ntr(
                    "benchstat: {n} significant change, largest {change}",
                    "benchstat: {n} significant changes, largest {change}",
                    len(changes),
                    language,
                ).format(n=len(changes), change=top.text)
    summary = ntr("{n} file recorded", "{n} files recorded", len(step.files), language).format(n=len(step.files))
    if changes_text:
        summary += f"; {changes_text}"
    return StepRecord(step.id, RECORD_TYPE, summary, at, evidence=(*evidence, *shown), done=True)


def _read(path: Path, label: str, language: str) -> bytes:
    def fail(why: str) -> FilesError:
        return FilesError(tr("{label}: {path}: {why}", language).format(label=label, path=make_visible(str(path)), why=why))

    try:
        if not path.is_file():
            raise fail(tr("not found", language) if not path.exists() else tr("not a regular file", language))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(tr("too large ({size} bytes; at most {limit})", language).format(size=size, limit=MAX_FILE_BYTES))
        return path.read_bytes()
    except OSError as error:
        raise fail(error.strerror or str(error)) from None
