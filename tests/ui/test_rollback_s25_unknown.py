"""The rollback screen's S25 line never says "no condition holds" on data the app does not have."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Static

from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.errors import AwsFailure, FailureKind
from tests.ui.harness import make_screen_app, quiet_config, refresh
from tests.ui.test_no_data import GATEWAY_CALLS
from tests.ui.test_rollback_screen import fake_with_revisions, open_rollback, text_of

CLEAR_EN = "no roll-back-at-once condition holds."


def config_in(language: str):
    config = quiet_config()
    return replace(config, ui=replace(config.ui, language=language))


async def s25_text(app, pilot) -> str:
    screen = await open_rollback(app, pilot)
    return text_of(screen.query_one("#rollback-s25", Static))


async def test_with_no_credentials_s25_says_it_could_not_judge_and_why(tmp_path) -> None:
    fake = fake_with_revisions()
    for method in GATEWAY_CALLS:
        fake.failures[method] = AwsFailure(FailureKind.CREDENTIALS, "Unable to locate credentials")
    app = make_screen_app(fake, config_in("en"), audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        text = await s25_text(app, pilot)
        assert "S25 now: could not judge — credentials missing or expired" in text
        assert "S25 now: " + CLEAR_EN not in text
        for method in GATEWAY_CALLS:  # the credentials come back: judged, and clear
            del fake.failures[method]
        await refresh(app, pilot)
        await pilot.pause()
        assert text_of(app.screen.query_one("#rollback-s25", Static)) == "S25 now: " + CLEAR_EN


async def test_aws_unreachable_after_a_good_poll_is_not_clear_either(tmp_path) -> None:
    fake = fake_with_revisions()
    app = make_screen_app(fake, config_in("en"), audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        for method in GATEWAY_CALLS:
            fake.failures[method] = AwsFailure(FailureKind.UNAVAILABLE, "Could not connect to the endpoint URL")
        text = await s25_text(app, pilot)
        assert "could not judge — unavailable" in text and CLEAR_EN not in text


async def test_in_japanese_too(tmp_path) -> None:
    fake = fake_with_revisions()
    for method in GATEWAY_CALLS:
        fake.failures[method] = AwsFailure(FailureKind.CREDENTIALS, "Unable to locate credentials")
    app = make_screen_app(fake, config_in("ja"), audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(160, 48)) as pilot:
        text = await s25_text(app, pilot)
        assert text.startswith("S25 現在: 判定できません") and "成立していないとは言えません" in text
