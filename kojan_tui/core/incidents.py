"""Incident records (S23, S24): ER-NNN numbers continuing the team's ``er.md``, a timeline, and the exports.

``er.md`` is the team's incident table (障害管理表). Its rows look like::

    | 管理番号 | テスト項目管理番号 | モジュール名 | 障害状況 | 障害対処内容 | トラブル分類 |
    |---|---|---|---|---|---|
    | ER-001 | T-012 | auth | 401 on every login | rotated JWT_SECRET | 設定ミス |

Reading never rewrites the file: a malformed table is reported (file and line) and left untouched.
Exports are a row appended to it and a full Markdown report with the timeline.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from kojan_tui.core.logtext import make_visible
from kojan_tui.core.private_files import create_exclusive
from kojan_tui.core.secret_rule import mask_text

ER_HEADER = ("管理番号", "テスト項目管理番号", "モジュール名", "障害状況", "障害対処内容", "トラブル分類")
ER_HEADER_EN = ("Record", "Test item", "Module", "What failed", "What was done", "Classification")
_ER_ID = re.compile(r"^ER-(\d{3,})$")
_TEST_ITEM = re.compile(r"^T-\d{3,}$")


class ErFileError(Exception):
    """``er.md`` cannot be read as the guide's table: the file and line are named; the file is untouched."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = str(path), line, message

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # alert | alert-cleared | s25 | s25-cleared | step | check | action | deployment | note
    text: str


@dataclass(frozen=True)
class IncidentRecord:
    """The guide's record fields (S23), filled in by the engineer; ``number`` is ER-NNN's NNN."""

    number: int
    opened_at: datetime
    title: str = ""
    test_item: str = ""  # T-YYY
    module: str = ""
    what_failed: str = ""
    what_was_done: str = ""
    classification: str = ""
    closed_at: datetime | None = None
    timeline: tuple[TimelineEntry, ...] = field(default_factory=tuple)

    @property
    def record_id(self) -> str:
        return f"ER-{self.number:03d}"

    def with_entry(self, entry: TimelineEntry) -> IncidentRecord:
        return replace(self, timeline=(*self.timeline, entry))

    def missing_fields(self) -> list[str]:
        """The guide's fields still empty or malformed (exporting asks for them first)."""
        missing = [
            name for name in ("module", "what_failed", "what_was_done", "classification") if not getattr(self, name).strip()
        ]
        if not _TEST_ITEM.match(self.test_item.strip()):
            missing.insert(0, "test_item (T-YYY)")
        return missing


def read_er_numbers(path: Path) -> list[int]:
    """The ER numbers already in ``path`` (empty when the file does not exist); ``ErFileError`` if malformed."""
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ErFileError(path, None, f"cannot read it ({type(error).__name__}: {error})") from None
    numbers: list[int] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line.startswith("|"):
            continue
        cells = _cells(line)
        if not header_seen:
            if tuple(cells[: len(ER_HEADER)]) not in (ER_HEADER, ER_HEADER_EN):
                raise ErFileError(path, number, f"the first table row is not the er.md header ({' | '.join(ER_HEADER)})")
            header_seen = True
            continue
        if all(set(c) <= set(":- ") for c in cells):
            continue  # the |---|---| separator
        if len(cells) != len(ER_HEADER):
            raise ErFileError(path, number, f"a record row has {len(cells)} cells, the table has {len(ER_HEADER)}")
        match = _ER_ID.match(cells[0])
        if match is None:
            raise ErFileError(path, number, f"{cells[0]!r} is not a record number like ER-001")
        numbers.append(int(match.group(1)))
    return numbers


def next_er_number(path: Path, taken: list[int] | None = None) -> int:
    """One more than the highest ER number in ``er.md`` and in ``taken`` (records not exported yet)."""
    return max([0, *read_er_numbers(path), *(taken or [])]) + 1


def er_row(record: IncidentRecord) -> str:
    """The record as one row of the guide's table (pipes and line breaks in the text are escaped)."""
    cells = (record.record_id, record.test_item, record.module, record.what_failed, record.what_was_done, record.classification)
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def append_er_row(path: Path, record: IncidentRecord) -> None:
    """Append the record's row to ``er.md`` (a new file gets the header); refuses a malformed file or a duplicate."""
    numbers = read_er_numbers(path)  # validates first: a malformed file is never written to
    if record.number in numbers:
        raise ErFileError(path, None, f"{record.record_id} is already in the file")
    if not path.exists():  # created exclusively, 0600 (a file that appeared meanwhile is never overwritten)
        header = "| " + " | ".join(ER_HEADER) + " |\n|" + "---|" * len(ER_HEADER) + "\n"
        create_exclusive(path, header + er_row(record) + "\n", tighten_dir=False)
        return
    if path.is_symlink():
        raise ErFileError(path, None, "is a symbolic link; refusing to write through it")
    existing = path.read_bytes()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        if existing and not existing.endswith(b"\n"):
            out.write("\n")
        out.write(er_row(record) + "\n")


def markdown_report(record: IncidentRecord, sections: Sequence[str] = ()) -> str:
    """The full write-up: the guide's fields, ``sections`` (lines of Markdown), then the timeline, in UTC."""
    lines = [
        f"# {record.record_id}: {_line(record.title or record.what_failed or 'incident')}",
        "",
        f"- Opened: {_utc(record.opened_at)}",
        f"- Closed: {_utc(record.closed_at) if record.closed_at else 'open'}",
        f"- {ER_HEADER[1]} (test item): {_line(record.test_item) or '—'}",
        f"- {ER_HEADER[2]} (module): {_line(record.module) or '—'}",
        f"- {ER_HEADER[3]} (what failed): {_line(record.what_failed) or '—'}",
        f"- {ER_HEADER[4]} (what was done): {_line(record.what_was_done) or '—'}",
        f"- {ER_HEADER[5]} (classification): {_line(record.classification) or '—'}",
        "",
    ]
    lines += list(sections)  # e.g. S06's response flow (core/response_flow.report_lines), before the timeline
    lines += ["## Timeline (UTC)", "", "| time | kind | what happened |", "|---|---|---|"]
    lines += [f"| {entry.at:%Y-%m-%d %H:%M:%S} | {entry.kind} | {_cell(entry.text)} |" for entry in record.timeline]
    lines += ["", f"Commit: `docs: add error record {record.record_id}`", ""]
    return "\n".join(lines)


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


def _cell(text: object) -> str:
    """AWS and user text as an export holds it: secrets masked (the one rule), one line, control characters
    made visible, pipes escaped."""
    return _line(text).replace("|", "\\|")


def _line(text: object) -> str:
    return make_visible(" ".join(mask_text(str(text)).split()))


def _utc(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else ""
