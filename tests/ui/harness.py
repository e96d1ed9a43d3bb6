"""Builds a FakeGateway with a healthy kojan-map world, a KojanApp on it with a frozen clock, and helpers.

``make_app`` is the whole dashboard; ``make_screen_app`` is the same app (its services, sources, poller, bindings,
capabilities, themes and CSS) over a blank screen instead of the dashboard, for a test of one screen: it boots in
a fifth of the time because no panel, chart or footer is built, styled and repainted on every poll.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual.pilot import Pilot
from textual.screen import Screen

import kojan_tui.ui.app as app_module
from kojan_tui.aws.fake import FakeGateway
from kojan_tui.core.config import Config
from kojan_tui.core.models import LogEvent
from kojan_tui.ui.app import KojanApp
from tests.fixtures import builders as b
from tests.fixtures.waits import until  # noqa: F401 - re-exported: the UI tests' wait


def palette_highlights(app: KojanApp, title: str) -> bool:
    """The command palette's search has finished enough that ``title`` is the highlighted hit (enter runs it)."""
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists:
        return False
    hits = lists.first()
    return hits.highlighted is not None and title in str(hits.get_option_at_index(hits.highlighted).prompt)


def healthy_fake() -> FakeGateway:
    fake = FakeGateway()
    fake.service = b.service()
    fake.task_definitions = {b.TD_ARN: b.task_definition()}
    fake.db_instance = b.db_instance()
    fake.metrics = b.healthy_metrics()
    return fake


def quiet_config(**ui) -> Config:
    """The default config without bell and toasts, in English (tests that want them, or Japanese, say so: the
    app's own default language is the guide's, ``ja``)."""
    config = Config()
    return replace(config, ui=replace(config.ui, **({"bell": False, "notify": False, "language": "en"} | ui)))


def make_app(fake: FakeGateway | None = None, config: Config | None = None, **kwargs) -> KojanApp:
    return KojanApp(config or quiet_config(), fake or healthy_fake(), clock=lambda: b.NOW, **kwargs)


class ScreenApp(KojanApp):
    """``KojanApp`` with a blank screen where the dashboard would be: a screen under test is pushed over it (by its
    capability, the palette or ``push_screen``) exactly as over the dashboard, on the same services."""

    CSS_PATH = str(Path(app_module.__file__).with_name(KojanApp.CSS_PATH))  # Textual resolves it next to the subclass

    def base_screen(self) -> Screen:
        return Screen(id="blank-base")


def make_screen_app(fake: FakeGateway | None = None, config: Config | None = None, **kwargs) -> ScreenApp:
    """``make_app`` without the dashboard: for tests of one screen (the dashboard's own tests keep ``make_app``)."""
    return ScreenApp(config or quiet_config(), fake or healthy_fake(), clock=lambda: b.NOW, **kwargs)


async def refresh(app: KojanApp, pilot: Pilot, names: list[str] | None = None) -> None:
    """Poll (all or the named sources) to completion and let the screen repaint."""
    await app.poller.refresh_now(names, wait=True)
    await pilot.pause()


def error_lines(n: int, text: str = "ERROR request failed") -> list[LogEvent]:
    now_ms = int(b.NOW.timestamp() * 1000)
    return [LogEvent(f"e{i}", now_ms - 1000 * (i + 1), "ecs/business/1", text) for i in range(n)]


async def open_force_deployment_screen(app: KojanApp, pilot: Pilot):
    """Poll once, then open S09 (the palette's way in) and return its screen."""
    from kojan_tui.ui.screens.force_deployment import ForceDeploymentScreen, open_force_deployment

    await refresh(app, pilot)
    open_force_deployment(app)
    await pilot.pause()
    assert isinstance(app.screen, ForceDeploymentScreen)
    return app.screen


async def confirm_deployment(app: KojanApp, pilot: Pilot, typed: str):
    """Enter on a deploy screen, type ``typed`` into the confirmation it opens, Enter; wait for the answer."""
    from kojan_tui.ui.widgets.confirmation import ConfirmationDialog

    await pilot.press("enter")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ConfirmationDialog)
    await pilot.press(*typed, "enter")
    await dialog.workers.wait_for_complete()
    await pilot.pause()
    return dialog


async def try_every_way_to_confirm(app: KojanApp, pilot: Pilot, typed: str):
    """Read-only: Enter opens the confirmation disabled; then typing ``typed`` + Enter, a click on its button and
    the action itself (what a palette command or a binding would call) are all tried. Returns the dialog."""
    from kojan_tui.ui.widgets.confirmation import ConfirmationDialog

    await pilot.press("enter")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ConfirmationDialog) and dialog.disabled
    await pilot.press(*typed, "enter")
    await pilot.click("#confirm-ok")
    dialog.action_confirm()
    await pilot.pause()
    return dialog


def plain(renderable) -> str:
    """The text of what a widget's ``render()`` returned (Text or a Group of Texts)."""
    if isinstance(renderable, Text):
        return renderable.plain
    if isinstance(renderable, Group):
        return "\n".join(plain(r) for r in renderable.renderables)
    return str(renderable)


def alert_fake() -> FakeGateway:
    """A bad hour: CPU and memory climbing into alert, p99 in warning, a task missing, 12 ERROR lines."""
    from kojan_tui.core import metrics_catalog as q

    fake = healthy_fake()
    fake.metrics[q.ECS_CPU] = b.series(q.ECS_CPU, [30] * 40 + [60 + i * 2 for i in range(20)])
    fake.metrics[q.ECS_MEMORY] = b.series(q.ECS_MEMORY, [50] * 30 + [70 + i * 0.6 for i in range(30)])
    fake.metrics[q.P99_LATENCY] = b.series(q.P99_LATENCY, [0.2] * 50 + [0.9] * 10)
    fake.service = b.service(running=1, desired=2)
    fake.log_events = error_lines(12)
    return fake
