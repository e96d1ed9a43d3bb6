"""Acknowledgements in the app (Pilot, FakeGateway): ``a`` on the dashboard records "I'm on it" on an alert,
the alert bar says who and until when, on SQLite and in team mode (shared by two consoles), and a team
table that stops answering is said on a line of its own while the last acknowledgements stay shown."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.config import TeamSettings
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.ui.screens.acknowledge import AcknowledgeScreen, board_of
from kojan_tui.ui.widgets.alert_bar import AlertBar
from tests.fixtures import builders as b
from tests.ui.harness import healthy_fake, make_app, plain, quiet_config, refresh, until


def bar_text(app) -> str:
    return plain(app.screen.query_one(AlertBar).render())


async def acknowledge_first_alert(app, pilot, minutes_key: str = "") -> None:
    await pilot.press("a")
    await until(pilot, lambda: isinstance(app.screen, AcknowledgeScreen), "the acknowledge dialog")
    if minutes_key:
        await pilot.press(minutes_key)
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(app.screen, AcknowledgeScreen), "the dialog to close after recording")


async def test_an_acknowledgement_shows_on_its_alert_line_on_sqlite():
    fake = healthy_fake()
    fake.metrics[q.ECS_CPU] = b.flat(q.ECS_CPU, 90)
    app = make_app(fake, quiet_config(language="ja"))  # the app's default (the harness's is en)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert "ECS CPU" in bar_text(app) and "ack:" not in bar_text(app)
        await acknowledge_first_alert(app, pilot, minutes_key="3")  # 60 minutes
        until_text = f"{b.NOW.hour + 1:02d}:{b.NOW.minute:02d}"
        # the default language is Japanese: 対応中 (on it), まで (until)
        await until(pilot, lambda: f"対応中: oncall {until_text}まで" in bar_text(app), "the ack on the alert bar")
        line = next(line for line in bar_text(app).splitlines() if "ECS CPU" in line)
        assert "対応中: oncall" in line  # on that alert's own line
        stored = await board_of(app.services).store.acknowledgements(b.NOW)
        assert [(a.alert_key, a.who) for a in stored] == [(app.services.state.current.alerts.active[0].key, "oncall")]


def team_config(table: str):
    return replace(quiet_config(language="en"), team=TeamSettings(table=table))


async def test_team_mode_shares_acknowledgements_and_says_when_the_table_fails():
    fake = healthy_fake()
    fake.metrics[q.ECS_CPU] = b.flat(q.ECS_CPU, 90)
    await fake.dynamodb_create_table("kojan-team")
    mine, theirs = make_app(fake, config=team_config("kojan-team")), make_app(fake, config=team_config("kojan-team"))
    async with mine.run_test(size=(160, 48)) as pilot:
        await refresh(mine, pilot)
        await acknowledge_first_alert(mine, pilot)
        assert len([key for key in fake.tables["kojan-team"] if key[0] == "ACK"]) == 1  # in the team table, not SQLite
    async with theirs.run_test(size=(160, 48)) as pilot:  # a colleague's console
        await refresh(theirs, pilot)
        await until(pilot, lambda: "ack: oncall until 13:30" in bar_text(theirs), "the colleague's ack")
        fake.failures["dynamodb_query"] = AwsFailure(
            FailureKind.ACCESS_DENIED, "not authorized", code="AccessDeniedException", operation="Query"
        )
        await board_of(theirs.services).refresh()
        await until(pilot, lambda: "team table kojan-team" in bar_text(theirs), "the team table's failure line")
        lines = bar_text(theirs).splitlines()
        failure_line = next(line for line in lines if "team table kojan-team" in line)
        assert "access denied" in failure_line and "carrying on with what this console has" in failure_line
        assert "ack: oncall until 13:30" in bar_text(theirs)  # what it read last stays shown
        del fake.failures["dynamodb_query"]
        await board_of(theirs.services).refresh()
        await until(pilot, lambda: "team table" not in bar_text(theirs), "the failure line to go once it answers")


async def test_a_refused_acknowledgement_is_said_in_the_dialog_and_nothing_is_shown_as_recorded():
    fake = healthy_fake()
    fake.metrics[q.ECS_CPU] = b.flat(q.ECS_CPU, 90)
    await fake.dynamodb_create_table("kojan-team")
    fake.failures["dynamodb_put_item"] = AwsFailure(
        FailureKind.THROTTLED, "slow down", code="ThrottlingException", operation="PutItem"
    )
    app = make_app(fake, config=team_config("kojan-team"))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AcknowledgeScreen), "the acknowledge dialog")
        await pilot.press("enter")
        message = app.screen.query_one("#ack-message")
        await until(pilot, lambda: "Not recorded" in str(message.render()), "the refusal in the dialog")
        assert "throttled" in str(message.render())
        await pilot.press("escape")
        await until(pilot, lambda: "team table kojan-team: PutItem: throttled" in bar_text(app), "the failure line")
        assert "ack:" not in bar_text(app)


async def test_the_dialog_fits_80x24_with_many_alerts():
    from textual.geometry import Region

    fake = healthy_fake()
    for metric in (q.ECS_CPU, q.ECS_MEMORY, q.RDS_CPU):
        fake.metrics[metric] = b.flat(metric, 99)
    app = make_app(fake, config=quiet_config(language="en"))
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AcknowledgeScreen), "the acknowledge dialog")
        await pilot.pause()
        for selector in ("#ack-list", "#ack-how", "#ack-message"):
            region = app.screen.query_one(selector).region
            assert Region(0, 0, 80, 24).contains_region(region), f"{selector} at {region} is off the 80x24 screen"
        assert "I'm on it for 30 min" in str(app.screen.query_one("#ack-how").render())
