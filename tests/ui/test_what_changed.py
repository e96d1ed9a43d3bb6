"""Key w (issue 27): a healthy dashboard records a configuration snapshot; after the fake's task definition
changes (image, environment), the screen names the differences with their times and never a secret value."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.models import ContainerDefinition, TaskDefinition
from kojan_tui.ui.screens.what_changed import EXTENSION, WhatChangedScreen
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, make_screen_app, quiet_config, refresh, until

OLD_SECRET = "old-s3cr3t-value"
NEW_SECRET = "n3w-s3cr3t-value"
NEW_ARN = b.TD_ARN.replace(":42", ":43")


def definition(arn: str, revision: int, image: str, password: str) -> TaskDefinition:
    env = (("DB_PASSWORD", password), ("PORT", "8080"))
    return TaskDefinition(arn, "kojan-map-business", revision, (ContainerDefinition("business", image, environment=env),))


def fake_with_secret():
    fake = healthy_fake()
    fake.task_definitions = {b.TD_ARN: definition(b.TD_ARN, 42, "repo/business:v1.4.2", OLD_SECRET)}
    return fake


async def test_no_snapshot_yet_is_said_plainly() -> None:
    fake = fake_with_secret()
    fake.service = replace(b.service(), running=0)  # unhealthy from the start: nothing is recorded
    app = make_screen_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await refresh(app, pilot)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhatChangedScreen), "the what-changed screen")
        assert "No healthy snapshot yet" in app.screen.text
        assert app.services.extensions[EXTENSION].latest is None


async def test_healthy_snapshot_then_a_change_is_shown_without_secret_values() -> None:
    fake = fake_with_secret()
    app = make_screen_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        recorder = app.services.extensions[EXTENSION]
        await refresh(app, pilot)
        await until(pilot, lambda: recorder.latest is not None, "a healthy snapshot")
        assert await recorder.store.count() == 1  # in the store, not only in memory
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhatChangedScreen), "the what-changed screen")
        assert "Nothing differs" in app.screen.text
        await pilot.press("escape")
        fake.task_definitions[NEW_ARN] = definition(NEW_ARN, 43, "repo/business:v1.5.0", NEW_SECRET)
        fake.service = replace(fake.service, running=1, task_definition=NEW_ARN)  # a rollout: not healthy
        await refresh(app, pilot)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhatChangedScreen), "the what-changed screen again")
        text = app.screen.text
        assert "kojan-map-business:42 → kojan-map-business:43" in text
        assert "repo/business:v1.4.2 → repo/business:v1.5.0" in text
        assert "env DB_PASSWORD: changed (value not shown)" in text
        assert f"first seen {b.NOW:%H:%M:%S} UTC" in text and f"recorded {b.NOW:%Y-%m-%d %H:%M:%S}" in text
        assert OLD_SECRET not in text and NEW_SECRET not in text
        assert recorder.latest.fields != ()  # the old snapshot stays: the service is not healthy now
        assert await recorder.store.count() == 1


async def test_japanese_words() -> None:
    app = make_screen_app(fake_with_secret(), quiet_config(language="ja"))
    async with app.run_test(size=(120, 40)) as pilot:
        recorder = app.services.extensions[EXTENSION]
        await refresh(app, pilot)
        await until(pilot, lambda: recorder.latest is not None, "a healthy snapshot")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhatChangedScreen), "the what-changed screen")
        assert "差分はありません" in app.screen.text


async def test_the_s25_banner_names_the_key_when_something_differs() -> None:
    from kojan_tui.core import metrics_catalog as q
    from kojan_tui.ui.widgets.rollback_banner import RollbackBanner
    from tests.ui.harness import plain

    fake = fake_with_secret()
    app = make_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 48)) as pilot:
        recorder = app.services.extensions[EXTENSION]
        await refresh(app, pilot)
        await until(pilot, lambda: recorder.latest is not None, "a healthy snapshot")
        banner = app.screen.query_one(RollbackBanner)
        fake.metrics[q.ECS_MEMORY] = b.flat(q.ECS_MEMORY, 97)  # S25: memory > 95 %, nothing changed yet
        await refresh(app, pilot)
        await until(pilot, lambda: "ROLL BACK NOW" in plain(banner.render()), "the S25 banner")
        assert "press w" not in plain(banner.render())  # nothing differs: no line
        fake.task_definitions[NEW_ARN] = definition(NEW_ARN, 43, "repo/business:v1.5.0", NEW_SECRET)
        fake.service = replace(fake.service, task_definition=NEW_ARN)
        await refresh(app, pilot)
        await until(pilot, lambda: "press w" in plain(banner.render()), "the what-changed line on the banner")


async def test_scaling_limits_read_when_recorded_and_when_the_screen_opens() -> None:
    from kojan_tui.core.security_models import ScalableTarget

    resource = "service/kojan-map-production/kojan-map-business"
    fake = fake_with_secret()
    fake.scalable_target = ScalableTarget(resource, "ecs:service:DesiredCount", 2, 4)
    app = make_screen_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        recorder = app.services.extensions[EXTENSION]
        await refresh(app, pilot)
        await until(pilot, lambda: recorder.latest is not None, "a healthy snapshot")
        assert dict(recorder.latest.fields)["autoscaling min–max"] == "2–4"
        fake.scalable_target = ScalableTarget(resource, "ecs:service:DesiredCount", 2, 8)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhatChangedScreen), "the what-changed screen")
        assert "~ autoscaling min–max: 2–4 → 2–8" in app.screen.text, app.screen.text


async def test_a_refused_database_keeps_snapshots_in_memory_and_says_so() -> None:
    import sqlite3

    from kojan_tui.ui.screens.what_changed import SnapshotRecorder

    class FullDisk:
        async def hash_key(self) -> bytes:
            return b"k" * 32

        async def latest(self):
            return None

        async def add(self, snapshot) -> None:
            raise sqlite3.OperationalError("database or disk is full")

    recorder = SnapshotRecorder(FullDisk())
    await recorder.load()
    fields = (("task definition", "kojan-map-business:42"),)
    from types import SimpleNamespace

    from kojan_tui.core.dashboard import DashboardData

    await recorder.record("new", fields, b.NOW, SimpleNamespace(data=DashboardData()))
    assert recorder.latest is not None and recorder.store is None and "disk is full" in recorder.problem


async def test_a_rotated_jwt_secret_shows_its_new_version_id_and_no_value() -> None:
    """The fake's JWT secret gets a new version: w names the two ids, read once when the screen opens (not per
    refresh), and nothing on screen or in the record holds a secret value."""
    jwt_id = quiet_config().service.jwt_secret_id
    old_id, new_id = "11111111-aaaa-4aaa-8aaa-000000000001", "22222222-bbbb-4bbb-8bbb-000000000002"
    fake = fake_with_secret()
    fake.secret_versions[jwt_id] = old_id
    app = make_screen_app(fake, quiet_config(language="en"))
    async with app.run_test(size=(160, 40)) as pilot:
        recorder = app.services.extensions[EXTENSION]
        await refresh(app, pilot)
        await until(pilot, lambda: recorder.latest is not None, "a healthy snapshot")
        assert dict(recorder.latest.fields)["JWT secret version"] == old_id
        reads = fake.calls["secret_version"]
        await refresh(app, pilot)
        await refresh(app, pilot)
        assert fake.calls["secret_version"] == reads  # not read per refresh
        fake.secret_versions[jwt_id] = new_id  # rotated: a new AWSCURRENT version
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhatChangedScreen), "the what-changed screen")
        assert fake.calls["secret_version"] == reads + 1  # read when w is pressed
        text = app.screen.text
        assert f"~ JWT secret version: {old_id} → {new_id} (value not shown)" in text, text
        assert "task definition" not in text  # nothing else changed
        shown = app.export_screenshot()
        assert new_id in shown.replace("&#160;", " ")
        assert OLD_SECRET not in shown and OLD_SECRET not in repr(recorder.latest.fields)
        await pilot.press("escape")
        fake.failures["secret_version"] = AwsFailure(FailureKind.ACCESS_DENIED, "denied", operation="DescribeSecret")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhatChangedScreen), "the screen after a failed read")
        assert "JWT secret version" not in app.screen.text and "Nothing differs" in app.screen.text  # unknown
