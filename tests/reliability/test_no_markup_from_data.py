"""No untrusted text is parsed as markup: every notify() with a non-constant message says markup=False."""

from __future__ import annotations

import ast
from pathlib import Path

import kojan_tui

PACKAGE = Path(kojan_tui.__file__).parent


def _is_notify(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr == "notify") or (isinstance(func, ast.Name) and func.id == "notify")


def _message(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == "message"), None)


def _markup_off(call: ast.Call) -> bool:
    return any(k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False for k in call.keywords)


def unsafe_notifies(source: str, filename: str = "<source>") -> list[str]:
    """``file:line`` of each notify(...) whose message is not a plain string constant and that lacks markup=False."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not (isinstance(node, ast.Call) and _is_notify(node)):
            continue
        message = _message(node)
        constant = isinstance(message, ast.Constant) and isinstance(message.value, str)
        if not constant and not _markup_off(node):
            found.append(f"{filename}:{node.lineno}")
    return found


def test_the_checker_catches_what_it_should():
    assert unsafe_notifies('self.notify(f"Filter: {pattern}")') == ["<source>:1"]
    assert unsafe_notifies("app.notify(str(error), severity='error')") == ["<source>:1"]
    assert unsafe_notifies("self.notify(message=text)") == ["<source>:1"]
    assert unsafe_notifies("notify('a' + b, markup=True)") == ["<source>:1"]
    assert unsafe_notifies('self.notify(f"Filter: {pattern}", markup=False)') == []
    assert unsafe_notifies('self.notify("Nothing to copy yet")') == []


def test_no_notify_in_the_package_parses_data_as_markup():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 50  # the walk really sees the package
    offenders = [
        hit for path in files for hit in unsafe_notifies(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    ]
    assert offenders == [], "notify() with interpolated text needs markup=False: " + ", ".join(offenders)


async def test_a_filter_that_looks_like_markup_is_shown_literally(tmp_path):
    from textual.widgets import Input

    from tests.ui.logs.test_log_screen import settle, setup

    gateway, feed, app = setup(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.press("slash")
        app.screen.query_one("#log-prompt", Input).value = "[/oops] [b]x"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.is_running and feed.pattern == "[/oops] [b]x"
        messages = [n.message for n in app._notifications]
        assert "Filter: [/oops] [b]x" in messages
        assert all(not n.markup for n in app._notifications)
