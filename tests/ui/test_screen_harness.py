"""The screen harness (tests/ui/harness.make_screen_app): KojanApp's services and capabilities over a blank screen,
so a test of one screen drives that screen as the app opens it, without building the dashboard."""

from __future__ import annotations

from kojan_tui.ui.screens.dashboard import DashboardScreen
from kojan_tui.ui.screens.tasks import TasksScreen
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from tests.ui.harness import make_app, make_screen_app, refresh, until


async def test_the_screen_app_has_no_dashboard_but_opens_screens_by_their_keys_on_the_same_services() -> None:
    app = make_screen_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.screen.id == "blank-base" and not any(isinstance(s, DashboardScreen) for s in app.screen_stack)
        assert not app.screen.query(MetricPanel)  # nothing of the dashboard is built
        await refresh(app, pilot)
        assert app.state.data.service is not None  # the sources and the poller are the app's own
        await pilot.press("T")  # a capability's key, bound by KojanApp as in the full app
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the tasks screen")
        assert app.screen.services is app.services
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.id == "blank-base", "back on the blank screen")


async def test_the_full_app_still_mounts_the_dashboard_first() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and app.screen.query(MetricPanel)
