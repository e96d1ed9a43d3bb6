"""Keyboard (help lists every binding, palette reaches every action), demo scenarios, compact vs wide."""

from dataclasses import dataclass

from textual.command import CommandPalette

from kojan_tui.ui.app import KojanApp
from kojan_tui.ui.screens.dashboard import DashboardScreen
from kojan_tui.ui.screens.help import HelpScreen
from kojan_tui.ui.widgets.context_bar import ContextBar
from kojan_tui.ui.widgets.metric_panel import MetricPanel
from kojan_tui.ui.widgets.service_panel import ServicePanel
from tests.ui.harness import make_app, palette_highlights, plain, quiet_config, refresh, until


def near(triplet, hex_colour: str) -> bool:
    """Theme colours pass through Textual's colour system, which may shift a channel by one."""
    want = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return all(abs(a - b) <= 2 for a, b in zip(triplet, want))


def help_text(screen: HelpScreen) -> str:
    return "\n".join(f"{key} {description}" for key, description in screen.keys)


async def test_help_lists_every_binding_of_the_app_and_the_dashboard():
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app.screen)
        for binding in [*KojanApp.BINDINGS, *DashboardScreen.BINDINGS]:
            if binding.action == "pick_scenario":
                continue  # demo only: absent without a demo (see the demo test)
            assert binding.description in text, binding
        for key in ("q", "r", "?", "/", "1", "2", "3", "tab", "^p"):
            assert any(key in keys.split(", ") for keys, _ in app.screen.keys), key
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_slash_opens_the_palette_and_it_reaches_every_action():
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        titles = [title for title, _, _ in app.palette_commands()]
        for expected in ("Dashboard", "Keys (help)", "Refresh now", "Chart window: 24h", "Theme: kojan-light", "Quit"):
            assert expected in titles
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"24h")
        await until(pilot, lambda: palette_highlights(app, "Chart window: 24h"), "the palette's hit")
        await pilot.press("enter")
        await until(pilot, lambda: app.sources.window == "24h", "the 24 h window")


async def test_theme_key_and_palette_switch_themes():
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.theme == "kojan-dark"
        await pilot.press("t")
        await pilot.pause()
        assert app.theme == "kojan-high-contrast"
        await pilot.pause()
        panel = app.screen.query_one(ServicePanel)
        assert panel.rich_style.bgcolor.triplet.hex.upper() == "#000000"
        assert near(panel.style_for("alert").color.triplet, "#FF0000")
        command = dict((t, cb) for t, _, cb in app.palette_commands())["Theme: kojan-light"]
        command()
        await pilot.pause()
        assert app.theme == "kojan-light" and not app.current_theme.dark
        assert panel.rich_style.bgcolor.triplet.hex.upper() == "#F7F8FA"
        assert near(panel.style_for("alert").color.triplet, "#C0262D")
        muted = panel.style_for("muted")  # muted text must stay visible on a light background
        assert sum(muted.color.triplet) < sum(muted.bgcolor.triplet) - 150


async def test_theme_from_config_and_unknown_theme_falls_back():
    from tests.ui.harness import quiet_config

    assert make_app(config=quiet_config(theme="kojan-high-contrast")).theme == "kojan-high-contrast"
    app = make_app(config=quiet_config(theme="no-such-theme"))
    assert app.theme == "kojan-dark"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("unknown theme 'no-such-theme'" in n.message for n in app._notifications)


async def test_compact_layout_at_80x24_shows_all_six_levels_and_the_verdict():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await refresh(app, pilot)
        screen = app.screen
        assert screen.has_class("-compact")
        panels = list(screen.query(MetricPanel))
        assert len(panels) == 6
        for panel in panels:
            assert panel.region.height == 1 and panel.region.width > 0  # visible, one line
            assert panel.region.bottom <= 24 and "✓ OK" in plain(panel.render())
        service = screen.query_one(ServicePanel)
        assert service.region.height >= 1 and "HEALTHY" in plain(service.render())
        assert service.region.width >= 78  # the full width: no wide-layout cap in compact mode
        assert screen.query_one("#log-slot").region.height >= 3


async def test_wide_layout_at_160x48_shows_charts_and_switches_on_resize():
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        assert app.screen.has_class("-wide")
        panel = app.screen.query_one("#metric-ecs_cpu_percent", MetricPanel)
        assert panel.region.height >= 8
        text = plain(panel.render())
        assert "-1h" in text and "now" in text and "█" in text and "━" in text  # bars and the alert line
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.has_class("-compact") and panel.region.height == 1
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert app.screen.has_class("-wide")


async def test_focus_moves_between_panels_with_tab_and_arrows():
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert app.focused is app.screen.query_one(ServicePanel)
        seen = {app.focused.id}
        for key in ("tab", "down", "right", "tab"):
            await pilot.press(key)
            seen.add(app.focused.id)
        assert len(seen) == 5
        await pilot.press("shift+tab", "up", "left", "shift+tab")
        assert app.focused is app.screen.query_one(ServicePanel)


@dataclass
class Scenario:
    name: str
    description: str


class FakeDemo:
    def __init__(self):
        self.scenario = "healthy"
        self.calls: list[str] = []

    def scenarios(self):
        return [Scenario("healthy", "all green"), Scenario("memory-leak", "memory climbs")]

    def set_scenario(self, name: str) -> None:
        self.calls.append(name)
        self.scenario = name


async def test_demo_badge_and_scenario_switch_in_a_thread():
    demo = FakeDemo()
    app = make_app(demo=demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        bar = app.screen.query_one(ContextBar)
        assert "DEMO: healthy" in bar.render().plain
        assert ("s", "Scenario — demo only: switch the embedded AWS scenario") in app.key_list()
        assert "Demo scenario: memory-leak" in [t for t, _, _ in app.palette_commands()]
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"memory")
        await until(pilot, lambda: palette_highlights(app, "memory-leak"), "the palette's hit")
        await pilot.press("enter")
        await until(pilot, lambda: "DEMO: memory-leak" in bar.render().plain, "the badge to follow the switch")
        assert demo.calls == ["memory-leak"]


async def test_scenario_key_is_inert_without_a_demo_and_read_only_badge_shows():
    from dataclasses import replace

    from tests.ui.harness import healthy_fake, quiet_config

    fake = healthy_fake()
    fake.read_only = True
    config = quiet_config()
    app = make_app(fake, config=replace(config, aws=replace(config.aws, profile="kojan-prod")))
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert all(not description.startswith("Scenario") for _, description in app.key_list())
        text = app.screen.query_one(ContextBar).render().plain
        assert "READ-ONLY" in text and "DEMO" not in text and "account 123456789012 (profile kojan-prod)" in text
        assert "ap-northeast-1" in text and "kojan-map-production/kojan-map-business" in text


class BrokenDemo(FakeDemo):
    def set_scenario(self, name: str) -> None:
        raise ConnectionError("embedded AWS not answering")


async def test_a_failing_demo_switch_is_reported_not_fatal():
    app = make_app(demo=BrokenDemo())
    async with app.run_test(size=(160, 48)) as pilot:
        await refresh(app, pilot)
        app.switch_scenario("memory-leak")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.demo_scenario == "healthy"
        assert any("embedded AWS not answering" in n.message for n in app._notifications)


async def test_question_mark_lists_the_keys_of_a_modal_screen_too(tmp_path):
    """A modal screen hides the app's bindings; `?` must still answer "what can I press here?"."""
    from kojan_tui.core.audit import AuditTrail
    from kojan_tui.store.database import LazyDatabase
    from kojan_tui.ui.screens.checklist import ChecklistScreen, checklists

    app = make_app(  # the help lists the bindings as declared: in English
        config=quiet_config(language="en"), database=LazyDatabase(None), audit=AuditTrail(tmp_path / "a.jsonl")
    )
    async with app.run_test(size=(160, 48)) as pilot:
        procedure = next(p for p in checklists(app.services) if p.id == "s21-release-docs")
        app.push_screen(ChecklistScreen(app.services, procedure))
        await pilot.pause()
        checklist = app.screen
        assert isinstance(checklist, ChecklistScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app.screen)
        for binding in ChecklistScreen.BINDINGS:
            if binding.show:
                assert binding.description in text, binding
        assert "Roll back" not in text  # the dashboard's keys do not work here, so they are not listed
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is checklist
