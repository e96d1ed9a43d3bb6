"""Issue 20, one worker error policy: hostile runbook titles, er.md files and database files never end the app;
it says what is wrong (with the path) and leaves the file untouched; an uncaught exception is shown, logged once,
and the app goes on; a crash dump never prints local variables."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest
from rich.console import Console
from textual.command import CommandList, CommandPalette
from textual.markup import escape
from textual.worker import WorkerFailed

from kojan_tui.core.config import AlertSettings, IncidentSettings
from kojan_tui.core.logtext import make_visible
from kojan_tui.core.secret_rule import MASK
from kojan_tui.store.database import LazyDatabase
from kojan_tui.ui.error_policy import ErrorPolicy
from kojan_tui.ui.screens.incident import IncidentScreen, recorder_of
from kojan_tui.ui.screens.runbook import RunbookScreen
from tests.ui.harness import make_app, palette_highlights, quiet_config, until

HOSTILE_TITLES = [
    "x [/] [bold]y",
    "[link=https://evil.example]click[/link]",
    "[red",
    "close ]] and [/red] open [",
    "esc \x1b]0;pwned\x07 title",
    "$variable [@click=app.quit]q[/]",
]


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def hit_index(app, shown: str) -> int | None:
    lists = app.screen.query(CommandList)
    if not lists:
        return None
    hits = lists.first()
    prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
    return next((i for i, prompt in enumerate(prompts) if prompt.splitlines()[0] == shown), None)


def runbook_file(title: str) -> str:
    return (
        f'id = "mine"\nkind = "runbook"\nlanguage = "en"\ntitle = {json.dumps(title)}\nsymptom = {json.dumps(title)}\n'
        '[[steps]]\nid = "a"\ntext = "look"\ncheck = "rds.instance"\n'
    )


@pytest.mark.parametrize("title", HOSTILE_TITLES)
async def test_a_hostile_runbook_title_is_literal_in_the_palette_and_the_screen(title, tmp_path, monkeypatch):
    user = tmp_path / "config" / "kojan-tui" / "runbooks"
    user.mkdir(parents=True)
    (user / "mine.toml").write_text(runbook_file(title), encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = make_app(config=quiet_config(language="en"), database=LazyDatabase(None))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"Runbook: ")
        shown = f"Runbook: {make_visible(title)}"
        await until(pilot, lambda: hit_index(app, shown) is not None, "the hostile title among the palette's hits")
        hits = app.screen.query_one(CommandList)
        hits.highlighted = hit_index(app, shown)
        await until(pilot, lambda: palette_highlights(app, shown), "the hostile title highlighted")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RunbookScreen), "the runbook screen")
        frame_title = app.screen.query_one(".modal-frame").border_title
        assert frame_title == escape(make_visible(title))  # the markup form of the literal text: nothing parsed
        assert app.is_running


MALFORMED_ER_MD = {
    "wrong cell count": "| 管理番号 | a |\n|---|---|\n| ER-001 | only two |\n",
    "not a record number": (
        "| 管理番号 | テスト項目管理番号 | モジュール名 | 障害状況 | 障害対処内容 | トラブル分類 |\n"
        "|---|---|---|---|---|---|\n| ER-X1 | T-1 | m | w | d | c |\n"
    ),
    "binary garbage": b"\xff\xfe\x00\x01garbage\x1b[2J",
    "markup and escapes": "| [bold]ER-1[/] | \x1b]0;x\x07 |\n",
}


@pytest.mark.parametrize("content", MALFORMED_ER_MD.values(), ids=list(MALFORMED_ER_MD))
async def test_a_malformed_er_md_then_a_new_incident_is_named_and_left_untouched(content, tmp_path):
    er_md = tmp_path / "er.md"
    er_md.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = er_md.read_bytes()
    paths = IncidentSettings(er_md_path=str(er_md), reports_dir=str(tmp_path / "incidents"))
    config = replace(quiet_config(language="en"), incidents=paths, alerts=AlertSettings(clear_after_seconds=0))
    app = make_app(config=config, database=LazyDatabase(None))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident screen")
        screen = app.screen
        await pilot.press("n")
        message = lambda: str(screen.query_one("#incident-message").render())  # noqa: E731
        await until(pilot, lambda: "No incident started" in message(), "the refusal")
        assert str(er_md) in message() and "left untouched" in message()
        assert recorder_of(app.services).current is None and app.is_running
    assert er_md.read_bytes() == before


def newer_schema(path):
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 999")
    connection.close()


HOSTILE_DATABASES = {
    "random bytes": lambda p: p.write_bytes(b"this is not a database at all\x00\xff" * 200),
    "header then garbage": lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x13\x37" * 4000),
    "newer schema": newer_schema,
    "a directory": lambda p: p.mkdir(),
}
EXPECTED = {
    "random bytes": "file is not a database",
    "header then garbage": "",
    "newer schema": "written by a newer kojan-tui (schema version 999",
    "a directory": "",
}


@pytest.mark.parametrize("kind", list(HOSTILE_DATABASES))
async def test_a_corrupted_or_newer_database_is_named_left_untouched_and_the_app_goes_on(kind, tmp_path):
    """Refused once (never retried, never written), named with its path; the features that need it say so."""
    path = tmp_path / "kojan.sqlite3"
    HOSTILE_DATABASES[kind](path)
    before = path.read_bytes() if path.is_file() else None
    app = make_app(config=quiet_config(language="en"), database=LazyDatabase(path))
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: any("Database not used" in n for n in notes(app)), "the database problem")
        (line,) = [n for n in notes(app) if "Database not used" in n]
        assert str(path) in line and EXPECTED[kind] in line and "left untouched" in line
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident screen")
        screen = app.screen
        await pilot.press("n")  # what needs the file says why it cannot, with the path
        message = lambda: str(screen.query_one("#incident-message").render())  # noqa: E731
        await until(pilot, lambda: "No incident started" in message(), "the refusal")
        assert str(path) in message() and recorder_of(app.services).current is None
        await pilot.press("escape", "r")  # the dashboard goes on
        assert app.is_running and len([n for n in notes(app) if "Database not used" in n]) == 1
    assert (path.read_bytes() if path.is_file() else None) == before
    assert not (tmp_path / "kojan.sqlite3-wal").exists()


async def test_an_uncaught_exception_in_a_worker_or_callback_is_shown_logged_once_and_the_app_goes_on(monkeypatch, caplog):
    monkeypatch.delenv("KOJAN_STRICT_ERRORS")
    app = make_app(config=quiet_config(language="en"), database=LazyDatabase(None))

    async def broken_worker() -> None:
        raise RuntimeError("x [/] [bold]y password=hunter2")

    def broken_callback() -> None:
        raise KeyError("gone")

    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            app.run_worker(broken_worker(), group="broken")
        app.call_later(broken_callback)
        await until(pilot, lambda: len(app.error_policy.handled) == 4, "four errors handled")
        shown = [n for n in notes(app) if n.startswith("Internal error")]
        assert len(shown) == 2  # the same error from the same place: one toast
        assert any("RuntimeError: x [/] [bold]y password=" + MASK in n for n in shown)
        assert any("KeyError: 'gone'" in n for n in shown)
        assert all("hunter2" not in n for n in notes(app))
        await pilot.press("r")  # still answering keys
        assert app.is_running
    logged = [r for r in caplog.records if r.name == "kojan_tui.ui.errors"]
    assert len(logged) == 2 and all("hunter2" not in r.getMessage() for r in logged)


async def test_the_crash_dump_never_prints_local_variables():
    app = make_app(config=quiet_config(language="en"), database=LazyDatabase(None))  # strict: the dump is made

    dumped: list = []

    async def crash() -> None:
        api_token = "TopSecret" + "LocalValue"  # noqa: F841 - a local the dump must not show (joined: not in the source)
        raise RuntimeError("boom")

    with pytest.raises(WorkerFailed):
        async with app.run_test(size=(120, 40)) as pilot:
            app.run_worker(crash(), group="crash")
            await until(pilot, lambda: app._exit_renderables, "the crash dump")
            dumped = list(app._exit_renderables)  # printed and cleared when the test app exits
    console = Console(record=True, width=200)
    for renderable in dumped:
        console.print(renderable)
    dump = console.export_text()
    assert "RuntimeError" in dump and "boom" in dump and "TopSecretLocalValue" not in dump


def test_the_message_in_both_languages():
    try:
        raise ValueError("mysql://admin:pw@db/x \x1b[31m")
    except ValueError as error:
        en, ja = ErrorPolicy(language="en").message(error), ErrorPolicy(language="ja").message(error)
    assert en.startswith("Internal error (test_hostile_inputs.py:") and f"mysql://admin:{MASK}@db/x" in en
    assert ja.startswith("内部エラー（test_hostile_inputs.py:") and "\x1b" not in ja


async def test_a_screen_whose_handler_raised_keeps_handling_messages(monkeypatch):
    from kojan_tui.ui.screens.help import HelpScreen

    monkeypatch.delenv("KOJAN_STRICT_ERRORS")
    app = make_app(config=quiet_config(language="ja"), database=LazyDatabase(None))
    ran: list[str] = []

    def broken() -> None:
        raise ZeroDivisionError("in a screen callback")

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        screen = app.screen
        screen.call_later(broken)
        await until(pilot, lambda: len(app.error_policy.handled) == 1, "the error handled")
        screen.call_later(lambda: ran.append("after"))  # the screen's own loop still runs
        await until(pilot, lambda: ran == ["after"], "the screen's next callback")
        assert any(n.startswith("内部エラー（") and "ZeroDivisionError" in n for n in notes(app))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen), "the help screen closed by its key")
        assert app.is_running


def test_the_refusals_in_both_languages():
    from kojan_tui.core.incidents import ErFileError
    from kojan_tui.store.database import DatabaseUnavailable
    from kojan_tui.ui.error_policy import database_problem_text
    from kojan_tui.ui.screens.incident import cannot_start

    er = ErFileError("/repo/er.md", 3, "a record row has 2 cells, the table has 6")
    assert cannot_start(er, "en") == (
        "No incident started: /repo/er.md, line 3: a record row has 2 cells, the table has 6 — the file is left "
        "untouched. Fix it, or set [incidents] er_md_path."
    )
    assert cannot_start(er, "ja").startswith("インシデントを開始できません: /repo/er.md, line 3:")
    db = DatabaseUnavailable("/s/kojan.sqlite3: file is not a database")
    assert "er_md_path" not in cannot_start(db, "en") and "/s/kojan.sqlite3" in cannot_start(db, "ja")
    assert database_problem_text("/s/k.sqlite3: x\x1b", "ja").startswith("データベースを使用しません: /s/k.sqlite3: x␛")
