"""The audit trail: append-only JSON lines, UTC timestamps, 0600 file, no secret values."""

from __future__ import annotations

import json
import stat
from datetime import datetime, timedelta, timezone

from kojan_tui.core.audit import REDACTED, AuditTrail, default_audit_path


def test_each_record_appends_one_json_line_with_a_utc_timestamp(tmp_path):
    trail = AuditTrail(tmp_path / "state" / "audit.jsonl")
    jst = timezone(timedelta(hours=9))
    trail.record(
        "update_service",
        "kojan-map-production/kojan-map-business",
        "ok",
        "arn:aws:iam::1:user/a",
        {"task_definition": "kojan-map-business:41"},
        now=datetime(2026, 5, 1, 9, 0, tzinfo=jst),
    )
    trail.record("update_service", "kojan-map-production/kojan-map-business", "refused", None, {})
    lines = trail.path.read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["ts"] == "2026-05-01T00:00:00.000+00:00"
    assert first["action"] == "update_service"
    assert first["outcome"] == "ok"
    assert first["identity"] == "arn:aws:iam::1:user/a"
    assert first["details"] == {"task_definition": "kojan-map-business:41"}
    assert json.loads(lines[1])["outcome"] == "refused"
    assert [e["outcome"] for e in trail.entries()] == ["ok", "refused"]


def test_file_is_private_and_existing_lines_are_kept(tmp_path):
    path = tmp_path / "audit.jsonl"
    AuditTrail(path).record("a", "t", "ok", None, {})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    AuditTrail(path).record("b", "t", "ok", None, {})  # a second trail (new process) appends
    assert [e["action"] for e in AuditTrail(path).entries()] == ["a", "b"]


def test_secret_looking_values_are_never_written(tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")
    trail.record(
        "check_secret",
        "/kojan-map/business/jwt-secret",
        "ok",
        None,
        {
            "jwt_secret": "hunter2-very-secret",
            "nested": {"db_password": "pw123"},
            "length": 40,
            "containers": [{"AWS_SECRET_ACCESS_KEY": "AKIA-SECRET"}],
        },
    )
    text = trail.path.read_text()
    for value in ("hunter2-very-secret", "pw123", "AKIA-SECRET"):
        assert value not in text
    details = trail.entries()[0]["details"]
    assert details["jwt_secret"] == REDACTED and details["nested"]["db_password"] == REDACTED
    assert details["length"] == 40


def test_entries_are_bounded_to_the_newest(tmp_path):
    trail = AuditTrail(tmp_path / "audit.jsonl")
    for i in range(5):
        trail.record(f"a{i}", "t", "ok", None, {})
    assert [e["action"] for e in trail.entries(limit=2)] == ["a3", "a4"]


def test_default_path_is_in_the_user_state_dir(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))  # honoured on Linux; elsewhere the OS's own dir
    expected = platformdirs.user_state_path("kojan-tui") / "audit.jsonl"
    assert default_audit_path() == expected == AuditTrail().path
    assert "kojan-tui" in expected.parts
