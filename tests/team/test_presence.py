"""Presence (issue 25): who has the console open on which screen, and the line when someone else is watching a
rollout, which the deployment guard consults so two people do not roll back at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kojan_tui.aws.gateway import AwsGateway
from kojan_tui.core.config import TeamSettings
from kojan_tui.core.presence import Presence, others, presence_line, rollout_blocked, screen_name
from kojan_tui.store.presence import PresenceTable
from kojan_tui.ui.presence_view import presence_of
from kojan_tui.ui.screens.rollback import open_rollback
from kojan_tui.ui.widgets.context_bar import ContextBar
from tests.fixtures.aws_seed import fast_settings
from tests.team.helpers import new_table_name
from tests.ui.harness import healthy_fake, make_app, quiet_config, refresh, until

NOW = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
BOB = Presence("bob-console", "bob", "bob-laptop", "rollback", NOW, watching="rollback → kojan-map:41: IN_PROGRESS (40 s)")


def test_the_others_are_the_recent_items_but_mine_and_a_watcher_comes_first():
    alice = Presence("a", "alice", "h", "dashboard", NOW - timedelta(seconds=5))
    gone = Presence("g", "carol", "h", "incident", NOW - timedelta(seconds=31))
    mine = Presence("me", "me", "h", "dashboard", NOW)
    present = others([alice, gone, mine], "me", NOW, refresh_s=10)
    assert present == [alice]
    assert presence_line(present, "en") == "ALSO OPEN: alice (dashboard)"
    assert rollout_blocked(present, "en") is None
    assert presence_line([alice, BOB], "en") == "ROLLOUT WATCHED BY bob: rollback → kojan-map:41: IN_PROGRESS (40 s)"
    assert "bob" in rollout_blocked([BOB], "ja") and rollout_blocked([BOB], "ja") != rollout_blocked([BOB], "en")
    assert screen_name("ForceDeploymentScreen") == "force-deployment"


async def test_presence_round_trips_on_moto(moto_endpoint):
    gateway = AwsGateway(fast_settings(moto_endpoint))
    name = new_table_name()
    await gateway.dynamodb_create_table(name)
    table = PresenceTable(gateway, name, "cluster", "service")
    await table.put(BOB)
    await table.put(replace(BOB, at=NOW + timedelta(seconds=10)))  # its own item, overwritten
    assert await table.everyone() == [replace(BOB, at=NOW + timedelta(seconds=10))]
    await gateway.close()


def team(tmp_path):
    return replace(quiet_config(language="en"), team=TeamSettings(table="kojan-team"))


async def test_two_consoles_see_each_other_and_a_rollout_watched_elsewhere_blocks_the_rollback(tmp_path):
    fake = healthy_fake()
    await fake.dynamodb_create_table("kojan-team")
    one, two = make_app(fake, config=team(tmp_path)), make_app(fake, config=team(tmp_path))
    async with one.run_test(size=(160, 48)) as pilot, two.run_test(size=(160, 48)) as pilot_two:
        await refresh(one, pilot)
        await refresh(two, pilot_two)
        open_rollback(one)
        board_one, board_two = presence_of(one.services), presence_of(two.services)
        assert board_one is not None and board_two is not None
        await board_one.beat()
        await board_two.beat()
        assert [p.screen for p in board_two.present] == ["rollback"]  # the colleague is on the rollback screen
        await PresenceTable(fake, "kojan-team", one.config.service.cluster, one.config.service.name).put(
            replace(BOB, at=two.services.clock())
        )
        await board_two.beat()
        await two.poller.refresh_now(wait=True)  # a new state: the top line is drawn again
        bar = two.screen.query_one(ContextBar)
        await until(pilot_two, lambda: "ROLLOUT WATCHED BY bob" in str(bar.render()), "the watcher on the top line")
        blocked = two.services.lifecycles.deploy_blocked()
        assert blocked is not None and "bob is watching a rollout on another console (bob-laptop" in blocked
