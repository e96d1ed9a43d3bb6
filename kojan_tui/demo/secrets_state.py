"""Secrets Manager as a months-old account shows it (S07, S18, S20): rotation on for one secret, dates set.

moto dates every secret "now", never reports LastAccessedDate, and needs a Lambda to turn rotation on; here
the seeded secrets get their history, GetSecretValue marks a secret accessed (AWS keeps the day only), and
``auth-errors`` swaps the JWT secret for a 16-character one (S20 fails) until another scenario restores 64.
"""

from __future__ import annotations

import secrets as random_secrets
from datetime import UTC, datetime
from typing import Any

from moto.secretsmanager import models as sm_models

from kojan_tui.demo import world_clock
from kojan_tui.demo.world import World

DAY = 86400
HISTORY = {  # secret name under the prefix -> (created, last changed, last accessed) in days ago; rotation days or None
    "jwt-secret": (230, 41, 0, None),
    "db-password": (230, 12, 0, 30),
    "google-oauth-client-secret": (200, 150, 0, None),
}
ROTATION_LAMBDA = "arn:aws:lambda:{region}:{account}:function:kojan-map-secret-rotation"
HEALTHY_JWT_LENGTH, SHORT_JWT_LENGTH = 64, 16

_original_to_dict = sm_models.FakeSecret.to_dict
_original_get_value = sm_models.SecretsManagerBackend.get_secret_value


def _day(epoch: float) -> datetime:
    """AWS reports LastAccessedDate rounded down to the day (UTC)."""
    return datetime.fromtimestamp(epoch, UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def backend(world: World) -> Any:
    return sm_models.secretsmanager_backends[world.account_id][world.region]


def secret_id(world: World, name: str) -> str:
    service = world.config.service
    return service.jwt_secret_id if name == "jwt-secret" else f"{service.secret_prefix}{name}"


def seed(world: World, now: float) -> None:
    """Dates and rotation for every seeded secret (db-password rotates every 30 days; jwt-secret had rotation
    turned off; the OAuth client secret never had it)."""
    sm = backend(world)
    for name, (created, changed, accessed, rotation_days) in HISTORY.items():
        secret = sm.secrets[secret_id(world, name)]
        secret.created_date = int(now - created * DAY)
        secret.last_changed_date = int(now - changed * DAY)
        secret.__dict__["_kojan_last_accessed"] = _day(now - accessed * DAY)
        if rotation_days is not None:
            secret.rotation_requested = secret.rotation_enabled = True
            secret.rotation_lambda_arn = ROTATION_LAMBDA.format(region=world.region, account=world.account_id)
            secret.auto_rotate_after_days = rotation_days
            secret.last_rotation_date = secret.last_changed_date
            secret.next_rotation_date = int(secret.last_changed_date + rotation_days * DAY)
        elif name == "jwt-secret":  # configured once, then turned off: DescribeSecret says RotationEnabled false
            secret.rotation_requested, secret.rotation_enabled = True, False
            secret.rotation_lambda_arn = ROTATION_LAMBDA.format(region=world.region, account=world.account_id)
            secret.auto_rotate_after_days = 90
            secret.last_rotation_date = int(now - 200 * DAY)
            secret.next_rotation_date = None


def follow_scenario(world: World) -> None:
    """``auth-errors``: the JWT secret is 16 characters long (someone put a short one); any other scenario: 64."""
    sm = backend(world)
    secret = sm.secrets.get(world.config.service.jwt_secret_id)
    if secret is None or not secret.versions:
        return
    want = SHORT_JWT_LENGTH if world.scenario_name == "auth-errors" else HEALTHY_JWT_LENGTH
    if len(secret.secret_string or "") != want:
        value = random_secrets.token_urlsafe(want)[:want]
        secret.secret_string = value
        secret.versions[secret.default_version_id]["secret_string"] = value
        secret.last_changed_date = int(world.now())


def to_dict(self: Any) -> dict[str, Any]:
    answer = _original_to_dict(self)
    accessed = self.__dict__.get("_kojan_last_accessed")
    if accessed is None:
        answer.pop("LastAccessedDate", None)  # AWS omits it for a secret never read
    else:
        answer["LastAccessedDate"] = int(accessed.timestamp())
    for key in ("NextRotationDate", "DeletedDate"):
        if answer.get(key) is None:
            answer.pop(key, None)
    return answer


def get_secret_value(self: Any, secret_id: str, version_id: str | None, version_stage: str | None) -> dict[str, Any]:
    value = _original_get_value(self, secret_id, version_id, version_stage)
    self.secrets[secret_id].__dict__["_kojan_last_accessed"] = _day(world_clock.now())  # found: it was just read
    return value


def apply() -> None:
    sm_models.FakeSecret.to_dict = to_dict
    sm_models.SecretsManagerBackend.get_secret_value = get_secret_value
