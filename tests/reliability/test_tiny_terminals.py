"""Screens at 1×1, 20×5 and 40×10 raise nothing, and resizing back restores the layout."""

from __future__ import annotations

import pytest

from kojan_tui.ui.registry import CAPABILITIES
from tests.ui.harness import make_app, refresh

FULL = (120, 40)
TINY = [(1, 1), (20, 5), (40, 10)]


def layout(app) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Every visible widget of the current screen with its region: what "the layout" is."""
    return [(f"{type(w).__name__}#{w.id}", tuple(w.region)) for w in app.screen.walk_children() if w.display]


async def settled_layout(app, pilot) -> list[tuple[str, tuple[int, int, int, int]]]:
    """The layout once it stops changing (a footer lays its keys out a refresh after the screen)."""
    current = layout(app)
    for _ in range(20):
        await pilot.pause()
        again = layout(app)
        if again == current:
            return again
        current = again
    return current


async def full_size_layout() -> list:
    app = make_app()
    async with app.run_test(size=FULL) as pilot:
        await refresh(app, pilot)
        return await settled_layout(app, pilot)


@pytest.mark.parametrize("size", TINY, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_dashboard_at_a_tiny_size_then_back(size):
    expected = await full_size_layout()
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await refresh(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        assert app.is_running
        await pilot.resize_terminal(*FULL)
        await refresh(app, pilot)
        assert await settled_layout(app, pilot) == expected
        for tiny in TINY:  # resizing down again while running
            await pilot.resize_terminal(*tiny)
            await pilot.pause()
        await pilot.resize_terminal(*FULL)
        assert await settled_layout(app, pilot) == expected


WITHOUT_DEMO = [c for c in CAPABILITIES if c.name != "scenario"]  # the scenario picker needs a demo


@pytest.mark.parametrize("capability", WITHOUT_DEMO, ids=lambda c: c.name)
async def test_every_screen_opens_at_tiny_sizes(capability):
    app = make_app()
    async with app.run_test(size=FULL) as pilot:
        await refresh(app, pilot)
        capability.open(app)
        await pilot.pause()
        screen = app.screen
        before = await settled_layout(app, pilot)
        for size in TINY:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.is_running and app.screen is screen
        await pilot.resize_terminal(*FULL)
        assert await settled_layout(app, pilot) == before
