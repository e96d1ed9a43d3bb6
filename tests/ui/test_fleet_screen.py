"""Issue 26 on screen (Pilot, fake gateway): the fleet screen is home, the service in ALERT sorts first and Enter
opens its dashboard (the app restarts on it, as ``cli._run_fleet`` does); production refuses to mutate without
--allow-production-writes, and the typed confirmation names environment/service."""

from __future__ import annotations

from dataclasses import replace

from kojan_tui.core import metrics_catalog as q
from kojan_tui.core.audit import AuditTrail
from kojan_tui.core.fleet import metric_plan
from kojan_tui.core.fleet_config import fleet_of, member_of, run_config
from kojan_tui.core.levels import Level
from kojan_tui.sources.fleet import FLEET_PERIOD_S
from kojan_tui.ui.screens.dashboard import DashboardScreen
from kojan_tui.ui.screens.fleet import FleetHome, FleetScreen
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from kojan_tui.ui.widgets.context_bar import ContextBar
from tests.fixtures import builders as b
from tests.fleet.builders import fleet_config
from tests.ui.harness import healthy_fake, make_app, open_force_deployment_screen, plain, refresh

HOT = "staging/svc-1"  # second in the config; its ECS CPU is above the alert level


def fleet_world(open_key: str | None, *, allow: bool = False):
    """(the whole fleet's config, the open service's config, a fake holding every service and series)."""
    fleet = fleet_config(3)
    fleet = replace(fleet, ui=replace(fleet.ui, bell=False, notify=False))
    chosen = run_config(fleet, open_key, allow_production_writes=allow)
    fake = healthy_fake()
    members = fleet_of(fleet)
    for m in members:
        fake.fleet_services[(m.service.cluster, m.service.name)] = replace(
            b.service(), cluster=m.service.cluster, name=m.service.name
        )
        fake.db_instances[m.service.db_instance] = replace(b.db_instance(), identifier=m.service.db_instance)
    opened = member_of(chosen).service
    fake.service = fake.fleet_services[(opened.cluster, opened.name)]  # the open service's own dashboard
    fake.db_instance = fake.db_instances[opened.db_instance]
    healthy = b.healthy_metrics()
    plan = metric_plan(members, FLEET_PERIOD_S)
    for m, reads in zip(members, plan.reads, strict=True):
        for key, qid in reads:
            series = healthy[key] if key in healthy else b.flat(key, 0, 60)
            if key == q.ECS_CPU and m.key == HOT:
                series = b.flat(key, 92, 60)
            fake.metrics[qid] = replace(series, id=qid)
    if member_of(chosen).key == HOT:  # the same world, seen by the open service's own dashboard
        fake.metrics[q.ECS_CPU] = b.flat(q.ECS_CPU, 92, 60)
    fake.read_only = chosen.ui.read_only  # as _run_fleet sets the gateway's backstop
    home = FleetHome(fleet, member_of(chosen).key, home=open_key is None, allow_production_writes=allow)
    return fleet, chosen, fake, home


async def test_the_service_in_alert_sorts_first_and_enter_opens_its_dashboard(tmp_path):
    _fleet, chosen, fake, home = fleet_world(None)
    app = make_app(fake, chosen, fleet=home, audit=AuditTrail(tmp_path / "a.jsonl"))
    async with app.run_test(size=(180, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FleetScreen)  # the home screen of a fleet
        await refresh(app, pilot, ["fleet"])
        screen = app.screen
        assert [r.member.key for r in screen.rows][0] == HOT
        assert screen.rows[0].level is Level.ALERT
        first = screen.query_one("#fleet-table").get_row_at(0)
        assert "STAGING" in plain(first[0]) and "svc-1" in plain(first[1]) and plain(first[2]).startswith("✖ ")
        await pilot.press("enter")  # the cursor is on the first row: the service in ALERT
        await pilot.pause()
    assert home.next_key == HOT  # the app ended to open it

    _fleet, chosen, fake, home = fleet_world(HOT)
    app = make_app(fake, chosen, fleet=home, audit=AuditTrail(tmp_path / "b.jsonl"))
    async with app.run_test(size=(180, 40)) as pilot:
        await refresh(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        bar = plain(app.screen.query_one(ContextBar).render())
        assert "STAGING" in bar and "cluster-1/svc-1" in bar
        assert app.services.state.current.view.readings["ecs_cpu_percent"].level is Level.ALERT
        await pilot.press("colon")  # the fleet again, from the dashboard
        await pilot.pause()
        assert isinstance(app.screen, FleetScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and home.next_key is None


async def test_production_refuses_to_mutate_without_the_flag(tmp_path):
    _fleet, chosen, fake, home = fleet_world("production/svc-2")
    trail = AuditTrail(tmp_path / "audit.jsonl")
    app = make_app(fake, chosen, fleet=home, audit=trail)
    async with app.run_test(size=(180, 48)) as pilot:
        await refresh(app, pilot)
        bar = plain(app.screen.query_one(ContextBar).render())
        assert "READ-ONLY" in bar and "PRODUCTION" in bar and "cluster-0/svc-2" in bar
        await open_force_deployment_screen(app, pilot)
        await pilot.press("enter", *"production/svc-2", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmationDialog) and dialog.disabled
        assert "--allow-production-writes" in plain(dialog.query_one("#confirm-disabled").render())
        assert fake.calls["update_service"] == 0 and fake.updates == [] and trail.entries() == []


async def test_with_the_flag_production_mutates_after_typing_environment_and_service(tmp_path):
    _fleet, chosen, fake, home = fleet_world("production/svc-2", allow=True)
    app = make_app(fake, chosen, fleet=home, audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(180, 48)) as pilot:
        await open_force_deployment_screen(app, pilot)
        await pilot.press("enter", *"svc-2", "enter")  # the name alone is not enough in a fleet
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmationDialog) and not dialog.disabled
        assert fake.updates == []
        await pilot.press(*("backspace",) * 5, *"production/svc-2", "enter", "enter")
        await dialog.workers.wait_for_complete()
        await pilot.pause()
        assert fake.updates == [{"cluster": "cluster-0", "service": "svc-2", "task_definition": None, "force": True}]
