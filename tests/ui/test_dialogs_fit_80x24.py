"""At 80x24 every mutation dialog keeps its controls on screen: the input, both buttons and, in read-only mode,
why it cannot be confirmed; a long explanation (the rollback diff) scrolls above them instead of pushing them off."""

from __future__ import annotations

from textual.geometry import Region

from kojan_tui.core.audit import AuditTrail
from kojan_tui.ui.widgets.confirmation import ConfirmationDialog
from tests.ui.harness import make_app, make_screen_app, open_force_deployment_screen, quiet_config
from tests.ui.test_rollback_screen import ARN, fake_with_revisions, open_rollback, revision

SIZE = (80, 24)
CONTROLS = ("#confirm-input", "#confirm-cancel", "#confirm-ok")


def long_diff_fake():
    """Revision 2 differs from the running 3 in 30 environment variables: a diff far taller than 24 lines."""
    fake = fake_with_revisions()
    many = {f"SETTING_{i:02d}": f"value-{i}" for i in range(30)}
    rev2 = revision(2, "v1.5.0", {"APP_VERSION": "1.5.0", **many})
    fake.task_definitions[ARN.format(2)] = rev2
    return fake


def assert_on_screen(dialog: ConfirmationDialog, selectors: tuple[str, ...]) -> None:
    screen = Region(0, 0, *SIZE)
    for selector in selectors:
        widget = dialog.query_one(selector)
        region = widget.region
        assert region.height > 0 and screen.contains_region(region), f"{selector} at {region} is off the 80x24 screen"
        # and not hidden behind or clipped by anything: the cell in its middle belongs to it
        hit, _ = dialog.get_widget_at(region.x + region.width // 2, region.y + region.height // 2)
        assert hit is widget or widget in hit.ancestors, f"{selector} is covered by {hit!r}"


async def open_dialog(app, pilot) -> ConfirmationDialog:
    await pilot.press("enter")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ConfirmationDialog)
    return dialog


async def test_rollback_confirmation_with_a_long_diff_keeps_input_and_buttons_on_screen(tmp_path) -> None:
    app = make_screen_app(long_diff_fake(), audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=SIZE) as pilot:
        await open_rollback(app, pilot)
        dialog = await open_dialog(app, pilot)
        assert_on_screen(dialog, CONTROLS)
        scroll = dialog.query_one("#confirm-scroll")
        assert scroll.max_scroll_y > 0  # the explanation is what scrolls
        await pilot.press(*"kojan-map-business")
        await pilot.pause()
        assert not dialog.query_one("#confirm-ok").disabled  # typed where it can be seen


async def test_read_only_rollback_confirmation_shows_why_it_is_disabled_at_80x24(tmp_path) -> None:
    app = make_screen_app(long_diff_fake(), quiet_config(read_only=True), audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=SIZE) as pilot:
        await open_rollback(app, pilot)
        dialog = await open_dialog(app, pilot)
        assert dialog.disabled
        assert_on_screen(dialog, (*CONTROLS, "#confirm-disabled"))


async def test_forced_deployment_confirmation_fits_80x24(tmp_path) -> None:
    for read_only in (False, True):
        app = make_screen_app(config=quiet_config(read_only=read_only), audit=AuditTrail(tmp_path / f"audit-{read_only}.jsonl"))
        async with app.run_test(size=SIZE) as pilot:
            await open_force_deployment_screen(app, pilot)
            dialog = await open_dialog(app, pilot)
            assert_on_screen(dialog, (*CONTROLS, "#confirm-disabled") if read_only else CONTROLS)


def rows_on_screen(widget) -> list[str]:
    """What the terminal really shows where the widget is: the composed screen's rows in its region."""
    region = widget.region
    strips = widget.screen._compositor.render_strips()
    rows = ["".join(segment.text for segment in strip) for strip in strips]
    return [row[region.x : region.right] for row in rows[region.y : region.bottom]]


async def test_compact_dashboard_shows_the_rollout_line(tmp_path) -> None:
    from kojan_tui.ui.widgets.context_bar import ContextBar
    from tests.ui.harness import confirm_deployment

    app = make_app(audit=AuditTrail(tmp_path / "audit.jsonl"))
    async with app.run_test(size=SIZE) as pilot:
        await open_force_deployment_screen(app, pilot)
        await confirm_deployment(app, pilot, "kojan-map-business")
        assert app.services.rollout.active
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.has_class("-compact")
        app.services.state.publish(app.services.state.current)
        bar = app.screen.query_one(ContextBar)
        await pilot.pause()
        rows = rows_on_screen(bar)
        rollout = [row for row in rows if "ROLLOUT" in row]
        assert len(rollout) == 1 and len(rollout[0].rstrip()) <= SIZE[0], rows
        assert any("kojan-map-production/kojan-map-business" in row for row in rows)
