"""What changed (issue 27): the configuration as fields, hashed env values, when to record, what differs, since when."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from kojan_tui.core.config_snapshot import (
    RECORD_EVERY,
    ChangeWatch,
    ConfigSnapshot,
    change_text,
    config_fields,
    differences,
    image_digest,
    is_healthy,
    should_record,
    value_hash,
)
from kojan_tui.core.dashboard import DashboardData, build_view
from kojan_tui.core.models import ContainerDefinition
from tests.fixtures import builders as b
from tests.ui.harness import quiet_config

KEY = b"k" * 32
SECRET = "hunter2"


def data(image: str = "repo/business:v1", env=(("DB_PASSWORD", SECRET), ("PORT", "8080")), desired: int = 2) -> DashboardData:
    td = b.task_definition()
    container = ContainerDefinition(
        "business", image, environment=env, secrets=(("JWT_SECRET", "arn:aws:secretsmanager:ap-northeast-1:1:secret:jwt"),)
    )
    service = replace(b.service(), desired=desired)
    return DashboardData(service=service, task_definition=replace(td, containers=(container,)), db_instance=b.db_instance())


def test_fields_name_revision_image_secrets_and_rds_but_never_an_env_value() -> None:
    fields = dict(config_fields(data(), KEY))
    assert fields["task definition"] == "kojan-map-business:42"
    assert fields["image"] == "repo/business:v1" and fields["desired count"] == "2"
    assert fields["secret JWT_SECRET"].startswith("arn:aws:secretsmanager:")
    assert fields["RDS instance class"] and fields["RDS engine version"].startswith("mysql")
    assert SECRET not in repr(fields) and fields["env DB_PASSWORD"] == value_hash(KEY, "DB_PASSWORD", SECRET)


def test_the_hash_is_keyed_so_a_short_secret_cannot_be_looked_up() -> None:
    assert value_hash(KEY, "PIN", "1234") != value_hash(b"x" * 32, "PIN", "1234")
    assert value_hash(KEY, "PIN", "1234") == value_hash(KEY, "PIN", "1234")


def test_a_half_known_configuration_is_not_recorded() -> None:
    assert config_fields(replace(data(), task_definition=None), KEY) is None
    assert config_fields(DashboardData(), KEY) is None


def test_digest_only_when_the_image_names_one() -> None:
    assert image_digest("repo@sha256:abc") == "sha256:abc" and image_digest("repo:v1") is None
    assert dict(config_fields(data(image="repo@sha256:abc"), KEY))["image digest"] == "sha256:abc"


def test_record_new_at_first_then_at_most_once_per_interval_and_confirm_when_unchanged() -> None:
    fields = config_fields(data(), KEY)
    assert should_record(None, fields, b.NOW) == "new"
    last = ConfigSnapshot(b.NOW, fields)
    assert should_record(last, fields, b.NOW + timedelta(minutes=1)) is None
    other = config_fields(data(image="repo/business:v2"), KEY)
    assert should_record(last, other, b.NOW + timedelta(minutes=1)) is None  # not yet
    assert should_record(last, other, b.NOW + RECORD_EVERY) == "new"
    assert should_record(last, fields, b.NOW + RECORD_EVERY) == "confirm"
    confirmed = replace(last, confirmed_at=b.NOW + RECORD_EVERY)
    assert should_record(confirmed, fields, b.NOW + RECORD_EVERY + timedelta(minutes=1)) is None


def test_differences_and_their_first_seen_time() -> None:
    snapshot = ConfigSnapshot(b.NOW, config_fields(data(), KEY))
    now = config_fields(data(image="repo/business:v2", env=(("DB_PASSWORD", "other"),), desired=3), KEY)
    diff = {name: (before, after) for name, before, after in differences(snapshot, now)}
    assert diff["image"] == ("repo/business:v1", "repo/business:v2") and diff["desired count"] == ("2", "3")
    assert diff["env PORT"][1] is None and "env DB_PASSWORD" in diff
    watch = ChangeWatch()
    later = b.NOW + timedelta(minutes=5)
    first = {c.field: c for c in watch.changes(snapshot, now, later)}
    again = {c.field: c for c in watch.changes(snapshot, now, later + timedelta(minutes=3))}
    assert again["image"].first_seen == later  # the first time it was seen, not the latest
    texts = [change_text(c) for c in first.values()]
    assert any("repo/business:v1 → repo/business:v2" in t for t in texts)
    password = change_text(first["env DB_PASSWORD"])
    assert "changed (value not shown)" in password and SECRET not in password and "other" not in password
    assert "removed" in change_text(first["env PORT"]) and "8080" not in change_text(first["env PORT"])
    assert "変更あり" in change_text(first["env DB_PASSWORD"], "ja")
    assert differences(snapshot, snapshot.fields) == []


def test_healthy_only_when_every_item_is_measured_and_ok() -> None:
    config = quiet_config()
    good = DashboardData(
        service=b.service(),
        task_definition=b.task_definition(),
        db_instance=b.db_instance(),
        metrics=b.healthy_metrics(),
        errors_last_hour=0,
        db_connection_errors=0,
    )
    view = build_view(good, config, b.NOW)
    assert is_healthy(view, "")
    assert not is_healthy(view, "first poll running")
    unhealthy = build_view(replace(good, service=replace(b.service(), running=0)), config, b.NOW)
    assert not is_healthy(unhealthy, "")
    no_metrics = build_view(replace(good, metrics={}), config, b.NOW)
    assert not is_healthy(no_metrics, "")


def test_scaling_limits_compared_only_when_read() -> None:
    from kojan_tui.core.config_snapshot import NOT_READ, SCALING_FIELD, scaling_text
    from kojan_tui.core.security_models import ScalableTarget

    two_four = scaling_text(ScalableTarget("service/c/s", "ecs:service:DesiredCount", 2, 4))
    assert two_four == "2–4" and scaling_text(None) == "not registered"
    snapshot = ConfigSnapshot(b.NOW, config_fields(data(), KEY, two_four))
    assert differences(snapshot, config_fields(data(), KEY, None)) == []  # not read this time: not a change
    assert dict(config_fields(data(), KEY, None))[SCALING_FIELD] == NOT_READ
    assert differences(snapshot, config_fields(data(), KEY, "2–6")) == [(SCALING_FIELD, "2–4", "2–6")]


def test_a_tagged_image_digest_comes_from_ecr_and_is_never_compared_unread() -> None:
    from kojan_tui.core.config_snapshot import NOT_READ, tagged_images

    known = data()
    assert tagged_images(known) == ["repo/business:v1"] and tagged_images(data(image="repo@sha256:abc")) == []
    read = config_fields(known, KEY, digests={"repo/business:v1": "sha256:111"})
    assert dict(read)["image digest"] == "sha256:111" and dict(config_fields(known, KEY))["image digest"] == NOT_READ
    snapshot = ConfigSnapshot(b.NOW, read)
    assert differences(snapshot, config_fields(known, KEY)) == []
    moved = config_fields(known, KEY, digests={"repo/business:v1": "sha256:222"})  # the same tag pushed again
    assert differences(snapshot, moved) == [("image digest", "sha256:111", "sha256:222")]


def test_a_field_an_older_record_lacks_is_not_an_addition() -> None:
    fields = config_fields(data(), KEY, "2–4", {"repo/business:v1": "sha256:1"})
    older = ConfigSnapshot(b.NOW, tuple(f for f in fields if f[0] not in ("autoscaling min–max", "image digest")))
    assert differences(older, fields) == []
    without_port = ConfigSnapshot(b.NOW, tuple(f for f in fields if f[0] != "env PORT"))
    assert [d[0] for d in differences(without_port, fields)] == ["env PORT"]  # a variable added is an addition


def test_the_jwt_secret_version_id_is_compared_only_when_read_and_shown_without_a_value() -> None:
    from kojan_tui.core.config_snapshot import NOT_READ, SECRET_VERSION_FIELD, FieldChange

    old, new = "a1b2c3d4-0000-4000-8000-000000000001", "a1b2c3d4-0000-4000-8000-000000000002"
    snapshot = ConfigSnapshot(b.NOW, config_fields(data(), KEY, secret_version=old))
    assert dict(snapshot.fields)[SECRET_VERSION_FIELD] == old
    assert dict(config_fields(data(), KEY))[SECRET_VERSION_FIELD] == NOT_READ
    assert differences(snapshot, config_fields(data(), KEY, secret_version=None)) == []  # a failed read: unknown
    assert differences(ConfigSnapshot(b.NOW, config_fields(data(), KEY)), snapshot.fields) == []
    assert differences(snapshot, snapshot.fields) == []
    assert differences(snapshot, config_fields(data(), KEY, secret_version=new)) == [(SECRET_VERSION_FIELD, old, new)]
    older = ConfigSnapshot(b.NOW, tuple(f for f in snapshot.fields if f[0] != SECRET_VERSION_FIELD))
    assert differences(older, snapshot.fields) == []  # a record from before the field: not an addition
    change = FieldChange(SECRET_VERSION_FIELD, old, new, b.NOW)
    assert change_text(change).startswith(f"~ JWT secret version: {old} → {new} (value not shown)")
    assert change_text(change, "ja").startswith(f"~ JWT シークレットのバージョン: {old} → {new} (値は表示しません)")
