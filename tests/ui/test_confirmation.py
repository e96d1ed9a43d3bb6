"""The typed confirmation: exact text, Escape, double Enter, read-only refusal by key and mouse."""

from __future__ import annotations

import asyncio

from rich.console import Group
from rich.text import Text
from textual.app import App
from textual.widgets import Button, Input, Static

from kojan_tui.ui.widgets.confirmation import Confirmation, ConfirmationDialog

SERVICE = "kojan-map-business"


def text_of(static: Static) -> str:
    content = static.content
    if isinstance(content, Group):
        return "\n".join(r.plain for r in content.renderables)
    return content.plain if isinstance(content, Text) else str(content)


class Host(App):
    def __init__(self, dialog: ConfirmationDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


def dialog(*, disabled_reason: str | None = None, run=None) -> ConfirmationDialog:
    what = ["UpdateService kojan-map-business", "task definition :41 → :40"]
    return ConfirmationDialog(Confirmation("Roll back", what, SERVICE, "Roll back", disabled_reason), run)


class Counter:
    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.calls = 0
        self.gate = gate

    async def __call__(self) -> str:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        return "done"


async def test_wrong_text_is_refused_and_nothing_runs() -> None:
    run = Counter()
    app = Host(dialog(run=run))
    async with app.run_test() as pilot:
        await pilot.press(*"kojan-map-busines", "enter")
        await pilot.pause()
        assert run.calls == 0
        assert app.dialog.query_one("#confirm-ok", Button).disabled
        assert "exactly" in text_of(app.dialog.query_one("#confirm-status", Static))
        await pilot.press(*"S", "enter")  # case matters: "…businesS" is not the name
        await pilot.pause()
        assert run.calls == 0 and app.results == []


async def test_exact_text_runs_once_and_dismisses_with_the_result() -> None:
    run = Counter()
    app = Host(dialog(run=run))
    async with app.run_test() as pilot:
        await pilot.press(*SERVICE)
        assert not app.dialog.query_one("#confirm-ok", Button).disabled
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert run.calls == 1
        assert app.results == ["done"]


async def test_escape_cancels_without_running() -> None:
    run = Counter()
    app = Host(dialog(run=run))
    async with app.run_test() as pilot:
        await pilot.press(*SERVICE, "escape")
        await pilot.pause()
        assert run.calls == 0
        assert app.results == [None]


async def test_double_enter_while_in_flight_runs_once() -> None:
    gate = asyncio.Event()
    run = Counter(gate)
    app = Host(dialog(run=run))
    async with app.run_test() as pilot:
        await pilot.press(*SERVICE, "enter", "enter", "enter")
        await pilot.pause()
        assert app.dialog.in_flight and run.calls == 1 and app.dialog.runs == 1
        await pilot.press("escape")  # the request is out: Escape does not lose its answer
        await pilot.pause()
        assert app.results == []
        gate.set()
        await pilot.pause()
        await pilot.pause()
        assert run.calls == 1 and app.results == ["done"]


async def test_read_only_shows_the_reason_and_cannot_be_confirmed() -> None:
    run = Counter()
    app = Host(dialog(run=run, disabled_reason="read-only mode (--read-only)"))
    async with app.run_test() as pilot:
        shown = text_of(app.dialog.query_one("#confirm-disabled", Static))
        assert "read-only mode" in shown
        assert app.dialog.query_one("#confirm-input", Input).disabled
        assert app.dialog.query_one("#confirm-ok", Button).disabled
        await pilot.press(*SERVICE, "enter")
        await pilot.click("#confirm-ok")
        app.dialog.action_confirm()  # what a palette command or a binding would call
        await pilot.pause()
        assert run.calls == 0
        assert "Not possible" in text_of(app.dialog.query_one("#confirm-status", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_a_failing_run_is_shown_and_the_dialog_stays() -> None:
    async def boom() -> None:
        raise RuntimeError("socket closed")

    app = Host(dialog(run=boom))
    async with app.run_test() as pilot:
        await pilot.press(*SERVICE, "enter")
        await pilot.pause()
        await pilot.pause()
        assert "socket closed" in text_of(app.dialog.query_one("#confirm-status", Static))
        assert not app.dialog.in_flight and app.results == []


async def test_untrusted_text_is_never_markup() -> None:
    confirmation = Confirmation("[b]x[/b]", ["[link=http://evil]click[/link]"], "svc")
    app = Host(ConfirmationDialog(confirmation))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "[link=http://evil]click[/link]" in text_of(app.dialog.query_one("#confirm-what", Static))
