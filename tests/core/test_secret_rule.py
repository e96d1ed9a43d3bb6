"""The one secret rule (issue 20): names and credential-shaped values, the same in the diff, the evidence, the
audit details and the frames."""

from __future__ import annotations

import json
import zlib

import pytest

from kojan_tui.core import snapshot_codec
from kojan_tui.core.audit import REDACTED, redact
from kojan_tui.core.dashboard import DashboardData
from kojan_tui.core.models import ContainerDefinition, TaskDefinition
from kojan_tui.core.secret_rule import MASK, is_secret, is_secret_name, mask_text, mask_value
from kojan_tui.core.task_diff import task_definition_diff

PASSWORD, URL_PASSWORD = "Hunter2Pass", "Sup3rS3cretPw"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mysql://admin:pw@db/x", f"mysql://admin:{MASK}@db/x"),
        ("postgres://u:p%40ss@h:5432/d?sslmode=require", f"postgres://u:{MASK}@h:5432/d?sslmode=require"),
        ("password=hunter2 user=x", f"password={MASK} user=x"),
        ('DB_PASS="two words" next', f'DB_PASS="{MASK}" next'),
        ('{"token": "abc 123"}', f'{{"token": "{MASK}"}}'),
        ("GET /login?token=abc&x=1", f"GET /login?token={MASK}&x=1"),
        ("key AKIAIOSFODNN7EXAMPLE in the log", f"key {MASK} in the log"),
        ("Authorization: Bearer abcdefghijkl", f"Authorization: {MASK}"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl ok", f"jwt {MASK} ok"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", MASK),
    ],
)
def test_credential_shaped_parts_are_masked(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/path?page=2",
        "/kojan-map/business/jwt-secret: 48 characters, last changed 2026-11-01",
        "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/kojan-map/business/jwt-secret-AbCdEf",
        "(service kojan-map-business) has reached a steady state.",
        "sha256:0f3c2a9e1b7d4c6a8e2f0b1d3c5a7e9f0b2d4c6a8e0f1b3d5c7a9e1f3b5d7c9a",
        "GET /api/v1/key-points 200",
        "JWT_SECRET = (from Secrets Manager)",
        "OAUTH_TOKEN_TTL = 168h (168 h): longer than the guide's 24 h",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert mask_text(text) == text


def test_names_and_values_decide():
    for name in ("DB_PASS", "DB_PASSWORD", "JWT_SECRET", "API_KEY", "GITHUB_TOKEN", "aws_session_token", "AUTH_HEADER"):
        assert is_secret_name(name), name
    for name in ("APP_ENV", "DB_HOST", "DB_PORT", "DB_MAX_OPEN_CONNS", "LOG_LEVEL", "OAUTH_TOKEN_TTL", "SESSION_TIMEOUT"):
        assert not is_secret_name(name), name
    assert is_secret("DATABASE_URL", "mysql://admin:pw@db/x") and not is_secret("DATABASE_URL", "mysql://db/x")
    assert mask_value("DB_PASS", "x") == MASK and mask_value("DATABASE_URL", "mysql://a:b@h/x") == f"mysql://a:{MASK}@h/x"


def definition(revision: int, password: str, url_password: str) -> TaskDefinition:
    env = (("APP_ENV", "production"), ("DATABASE_URL", f"mysql://admin:{url_password}@db/x"), ("DB_PASS", password))
    container = ContainerDefinition("business", "repo/business:v1", env)
    return TaskDefinition(
        f"arn:aws:ecs:ap-northeast-1:1:task-definition/kojan-map-business:{revision}", "f", revision, (container,)
    )


def test_the_rollback_diff_masks_both_kinds():
    lines = task_definition_diff(definition(3, PASSWORD, URL_PASSWORD), definition(2, "OldPass1", "OldUrlPw1"))
    shown = "\n".join(f"{line.field}: {line.before} -> {line.after}" for line in lines)
    for secret in (PASSWORD, URL_PASSWORD, "OldPass1", "OldUrlPw1"):
        assert secret not in shown
    assert f"env DATABASE_URL: mysql://admin:{MASK}@db/x -> mysql://admin:{MASK}@db/x (hidden part changed)" in shown
    assert "env DB_PASS" in shown


def test_frames_store_the_masked_form():
    payload = snapshot_codec.encode(DashboardData(task_definition=definition(3, PASSWORD, URL_PASSWORD)))
    stored = zlib.decompress(payload).decode("utf-8")
    assert PASSWORD not in stored and URL_PASSWORD not in stored
    env = dict(snapshot_codec.decode(payload).task_definition.containers[0].environment)
    assert env == {"APP_ENV": "production", "DATABASE_URL": f"mysql://admin:{MASK}@db/x", "DB_PASS": MASK}


def test_audit_details_use_the_same_rule():
    details = {"db_pass": PASSWORD, "note": f"DATABASE_URL=mysql://admin:{URL_PASSWORD}@db/x", "nested": [{"api_key": "k"}]}
    shown = json.dumps(redact(details))
    assert PASSWORD not in shown and URL_PASSWORD not in shown and '"api_key": "<redacted>"' in shown
    assert redact(details)["db_pass"] == REDACTED


@pytest.mark.parametrize(
    "text", ["a-" * 5000, "ab.cd-" * 3000 + "=", "password" * 2000, "x://u:" * 3000 + "@", '"token": ' * 3000]
)
def test_long_hostile_lines_cost_linear_time(text):
    """Measured before the patterns were anchored: 10 000 characters of ``a-a-…`` took 22 s (a quadratic
    backtrack); now a few milliseconds. The bound is generous for a loaded CI machine."""
    import time

    started = time.perf_counter()
    mask_text(text)
    assert time.perf_counter() - started < 1.0
