"""Issue 27 "what changed": the service's configuration as named fields, recorded while the dashboard is healthy,
and what differs from the last healthy record. Pure.

Environment values are never kept: each is a keyed hash (HMAC-SHA256 with a per-installation random key the store
keeps), so a short secret cannot be guessed from the record; the screen says only "changed". Secrets are their
``valueFrom`` references (ARNs), never values; the JWT secret is its current version id (DescribeSecret's
``AWSCURRENT``), so a new value shows as a new id, never as the value.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from kojan_tui.core.dashboard import DashboardData, DashboardView
from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.levels import Level
from kojan_tui.core.security_models import ScalableTarget
from kojan_tui.core.verdict import task_definition_label

ENV_PREFIX = "env "  # fields whose values are keyed hashes: shown as "changed", never as the hash
RECORD_EVERY = timedelta(minutes=10)  # at most one new record (or confirmation) this often
NOT_READ = "(not read)"  # a field the app could not read this time: never compared (not a change)
SCALING_FIELD = "autoscaling min–max"
SECRET_VERSION_FIELD = "JWT secret version"


@dataclass(frozen=True)
class ConfigSnapshot:
    at: datetime  # when it was recorded
    fields: tuple[tuple[str, str], ...]  # (field, value) in display order
    confirmed_at: datetime | None = None  # the newest time the same configuration was seen healthy again

    def as_dict(self) -> dict[str, str]:
        return dict(self.fields)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None  # None: absent in the snapshot
    after: str | None  # None: absent now
    first_seen: datetime  # when the app first saw this difference

    @property
    def hashed(self) -> bool:
        return self.field.startswith(ENV_PREFIX)


def tagged_images(data: DashboardData) -> list[str]:
    """The task definition's images named by tag only (their digest is ECR's to tell)."""
    td = data.task_definition
    return [c.image for c in (td.containers if td else ()) if image_digest(c.image) is None]


def value_hash(key: bytes, name: str, value: str) -> str:
    """A keyed hash of an environment value (its name mixed in): equal values compare, nothing can be guessed."""
    return hmac.new(key, f"{name}\0{value}".encode(), hashlib.sha256).hexdigest()[:32]


def image_digest(image: str) -> str | None:
    """``repo@sha256:…`` → ``sha256:…`` (None when the image is named by tag only)."""
    return image.rsplit("@", 1)[1] if "@" in image else None


def scaling_text(target: ScalableTarget | None) -> str:
    return f"{target.min_capacity}–{target.max_capacity}" if target is not None else "not registered"


def config_fields(
    data: DashboardData,
    key: bytes,
    scaling: str | None = None,
    digests: Mapping[str, str] | None = None,
    secret_version: str | None = None,
) -> tuple[tuple[str, str], ...] | None:
    """The configuration the dashboard knows, as fields; None while the service or its task definition is unknown
    (a half-known configuration is never recorded: its missing fields would read as changes later). ``scaling``:
    ``scaling_text`` of the service's scalable target (None: not read); ``digests``: image → digest as ECR answered
    for images named by tag (an image without one is "not read", never compared); ``secret_version``: the JWT
    secret's current version id (None: not read)."""
    service, td = data.service, data.task_definition
    if service is None or td is None:
        return None
    fields: list[tuple[str, str]] = [
        ("task definition", task_definition_label(td.arn)),
        ("desired count", str(service.desired)),
        (SCALING_FIELD, scaling if scaling is not None else NOT_READ),
    ]
    if td.cpu:
        fields.append(("task cpu", td.cpu))
    if td.memory:
        fields.append(("task memory", td.memory))
    many = len(td.containers) > 1
    for container in td.containers:
        prefix = f"{container.name}: " if many else ""
        fields.append((f"{prefix}image", container.image))
        digest = image_digest(container.image) or (digests or {}).get(container.image, NOT_READ)
        fields.append((f"{prefix}image digest", digest))
        for name, value in sorted(container.environment):
            fields.append((f"{ENV_PREFIX}{prefix}{name}", value_hash(key, name, value)))
        for name, value_from in sorted(container.secrets):
            fields.append((f"secret {prefix}{name}", value_from))
    fields.append((SECRET_VERSION_FIELD, secret_version or NOT_READ))
    db = data.db_instance
    if db is not None:
        fields += [
            ("RDS status", db.status),
            ("RDS instance class", db.instance_class),
            ("RDS engine version", f"{db.engine} {db.engine_version}"),
            ("RDS parameter groups", ", ".join(db.parameter_groups) or "none"),
        ]
    return tuple(fields)


def is_healthy(view: DashboardView, unjudged_reason: str) -> bool:
    """Every S03 item (and every other alert input) measured and OK, the service healthy, nothing stale."""
    return (
        not unjudged_reason
        and view.verdict.healthy
        and not view.rollback
        and all(item.level is Level.OK for item in view.alert_inputs())
    )


def should_record(last: ConfigSnapshot | None, fields: tuple[tuple[str, str], ...], now: datetime) -> str | None:
    """ "new" (a new record), "confirm" (the last one seen healthy again) or None, at most once per ``RECORD_EVERY``."""
    if last is None:
        return "new"
    newest = max(last.at, last.confirmed_at or last.at)
    if now - newest < RECORD_EVERY:
        return None
    return "confirm" if last.fields == fields else "new"


def differences(snapshot: ConfigSnapshot, now_fields: tuple[tuple[str, str], ...]) -> list[tuple[str, str | None, str | None]]:
    """(field, before, after) for every field that differs, in the current order then the removed ones."""
    before, after = snapshot.as_dict(), dict(now_fields)
    changes = [(name, before.get(name), value) for name, value in now_fields if before.get(name) != value]
    changes += [(name, value, None) for name, value in snapshot.fields if name not in after]
    # unread is not changed; a fixed field the snapshot lacks was not recorded then (an older version), not added
    return [(name, b, a) for name, b, a in changes if NOT_READ not in (b, a) and not (b is None and _fixed(name))]


FIXED_FIELDS = frozenset({"task definition", "desired count", SCALING_FIELD, "image digest", SECRET_VERSION_FIELD})


def _fixed(name: str) -> bool:
    """A field every record has (not one per variable, secret or container)."""
    return name.rsplit(": ", 1)[-1] in FIXED_FIELDS and not name.startswith((ENV_PREFIX, "secret "))


class ChangeWatch:
    """Remembers when each difference from the snapshot was first seen (in memory: the screen's "since")."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str | None, str | None], datetime] = {}
        self._snapshot_at: datetime | None = None

    def changes(self, snapshot: ConfigSnapshot, now_fields: tuple[tuple[str, str], ...], now: datetime) -> list[FieldChange]:
        if snapshot.at != self._snapshot_at:
            self._seen, self._snapshot_at = {}, snapshot.at
        diff = differences(snapshot, now_fields)
        for item in diff:
            self._seen.setdefault(item, now)
        current = set(diff)
        self._seen = {k: v for k, v in self._seen.items() if k in current}
        return [FieldChange(name, b, a, self._seen[(name, b, a)]) for name, b, a in diff]


WORDS: Mapping[str, str] = {  # by key, in English; ``words(language)`` translates them
    "title": N_("What changed since the last healthy snapshot"),
    "none_yet": N_("No healthy snapshot yet: one is recorded when the dashboard is healthy (every item measured and OK)."),
    "unknown_now": N_("The current configuration is not known yet (the service or its task definition not read)."),
    "snapshot": N_("Healthy snapshot recorded {at:%Y-%m-%d %H:%M:%S} UTC{confirmed}."),
    "confirmed": N_(", last seen healthy with it {at:%H:%M:%S} UTC"),
    "nothing": N_("Nothing differs from it."),
    "differs": N_("{n} difference(s) (first seen: when this console first saw it):"),
    "changed": N_("changed (value not shown)"),
    "added": N_("added"),
    "removed": N_("removed"),
    "since": N_("first seen {at:%H:%M:%S} UTC"),
    "secret_version": N_("JWT secret version"),
    "value_not_shown": N_("(value not shown)"),
    "banner": N_("What changed since the last healthy snapshot: press {key}."),
    "banner_modal": N_("What changed since the last healthy snapshot: Esc, then {key} on the dashboard."),
}


def words(language: str) -> Mapping[str, str]:
    """Every word of the view in ``language``, by key (the what-changed screen formats them)."""
    return {key: tr(text, language) for key, text in WORDS.items()}


def change_text(change: FieldChange, language: str = "en") -> str:
    """One line; a hashed field says only added / removed / changed."""
    say = words(language)
    since = say["since"].format(at=change.first_seen)
    if change.before is None:
        what = f"+ {change.field}: {say['added']}" + ("" if change.hashed else f" {change.after}")
    elif change.after is None:
        what = f"- {change.field}: {say['removed']}" + ("" if change.hashed else f" {change.before}")
    elif change.hashed:
        what = f"~ {change.field}: {say['changed']}"
    elif change.field == SECRET_VERSION_FIELD:  # ids only: the line says so
        what = f"~ {say['secret_version']}: {change.before} → {change.after} {say['value_not_shown']}"
    else:
        what = f"~ {change.field}: {change.before} → {change.after}"
    return f"{what}  ({since})"
