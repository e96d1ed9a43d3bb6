"""Audit trail hardening: concurrent writers give whole lines, a torn last line is skipped, a symlink is refused."""

from __future__ import annotations

import json
import multiprocessing
import os

import pytest

from kojan_tui.core.audit import AuditPathError, AuditTrail

LINES_PER_WRITER = 400
PAYLOAD = "x" * 3000  # lines of several KB each, so interleaved writes would show


def _append_many(path: str, writer: int) -> None:
    trail = AuditTrail(path)
    for number in range(LINES_PER_WRITER):
        trail.record("update_service", f"writer-{writer}", "ok", None, {"n": number, "payload": PAYLOAD})


def test_two_processes_appending_at_once_give_whole_lines(tmp_path):
    path = tmp_path / "audit.jsonl"
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_append_many, args=(str(path), writer)) for writer in (1, 2, 3)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(120)
        assert process.exitcode == 0
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    entries = [json.loads(line) for line in lines[:-1]]  # every line parses on its own
    assert len(entries) == 3 * LINES_PER_WRITER
    for writer in (1, 2, 3):
        numbers = [e["details"]["n"] for e in entries if e["target"] == f"writer-{writer}"]
        assert numbers == list(range(LINES_PER_WRITER))  # each writer's lines whole and in order
    assert len(AuditTrail(path).entries(limit=10_000)) == 3 * LINES_PER_WRITER


def test_entries_skip_a_truncated_last_line(tmp_path):
    path = tmp_path / "audit.jsonl"
    trail = AuditTrail(path)
    trail.record("a", "t", "ok", None, {})
    trail.record("b", "t", "ok", None, {})
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"action": "c", "target": "t", "outc')  # a writer killed mid-line
    assert [e["action"] for e in trail.entries()] == ["a", "b"]


def test_a_record_after_a_torn_line_is_still_a_whole_line(tmp_path):
    path = tmp_path / "audit.jsonl"
    trail = AuditTrail(path)
    trail.record("a", "t", "ok", None, {})
    with path.open("ab") as handle:
        handle.write(b'{"action": "torn')
    trail.record("b", "t", "ok", None, {})
    assert [e["action"] for e in trail.entries()] == ["a", "b"]
    assert path.read_bytes().endswith(b"\n")


def test_a_symlink_at_the_audit_path_is_refused(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("do not touch\n")
    path = tmp_path / "audit.jsonl"
    path.symlink_to(target)
    trail = AuditTrail(path)
    with pytest.raises(AuditPathError) as caught:
        trail.record("update_service", "t", "ok", None, {})
    assert isinstance(caught.value, OSError)  # the actions layer's "cannot be written" path handles it
    assert "symbolic link" in str(caught.value) and str(path) in str(caught.value)
    assert target.read_text() == "do not touch\n"
    with pytest.raises(AuditPathError):
        trail.entries()


def test_a_dangling_symlink_is_refused_and_creates_nothing(tmp_path):
    path = tmp_path / "audit.jsonl"
    target = tmp_path / "created-by-attacker"
    path.symlink_to(target)
    with pytest.raises(AuditPathError, match="symbolic link"):
        AuditTrail(path).record("a", "t", "ok", None, {})
    assert not os.path.lexists(target)
