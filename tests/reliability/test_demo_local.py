"""The demo server stays local: a non-loopback --host exits 2 with one line; the child gets none of the user's AWS keys."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kojan_tui.demo.embedded import EmbeddedAws

REPO = Path(__file__).resolve().parents[2]
USER_AWS = {
    "AWS_ACCESS_KEY_ID": "AKIAUSERREALKEY00000",
    "AWS_SECRET_ACCESS_KEY": "user-real-secret",
    "AWS_SESSION_TOKEN": "user-real-token",
    "AWS_PROFILE": "user-profile",
    "AWS_DEFAULT_PROFILE": "user-default-profile",
    "AWS_SHARED_CREDENTIALS_FILE": "/root/.aws/credentials",
    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/real",
    "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token",
}


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.com"])
def test_non_loopback_host_exits_2_with_one_line(host):
    result = subprocess.run(
        [sys.executable, "-m", "kojan_tui.demo.server", "--host", host, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("usage:")]
    assert len(lines) == 1, result.stderr
    assert host in lines[0] and "loopback" in lines[0]
    assert "READY" not in result.stdout


def test_embedded_child_does_not_inherit_user_aws_keys(monkeypatch):
    for key, value in USER_AWS.items():
        monkeypatch.setenv(key, value)
    aws = EmbeddedAws(tick_seconds=5.0)
    aws.start()
    try:
        assert aws.pid is not None
        environ = Path(f"/proc/{aws.pid}/environ").read_bytes().split(b"\0")
        names = {entry.split(b"=", 1)[0].decode() for entry in environ if entry}
        values = b"\0".join(environ)
        assert not {name for name in names if name.upper().startswith("AWS_")}
        for value in USER_AWS.values():
            assert value.encode() not in values
        assert aws.status()  # and the world still answers without them
    finally:
        aws.stop()
