"""The procedure loader: shipped and user files, each mistake named by file and field, the rest still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from kojan_tui.procedures.loader import load_procedures
from kojan_tui.procedures.models import Kind, Language

CHECKS = {"logs.invalid_token", "rds.instance"}
ACTIONS = {"ecs.force_new_deployment"}

GOOD = """
id = "{id}"
kind = "runbook"
language = "{lang}"
title = "Title {id}"
symptom = "something is wrong"
guide_item = "S09"

[triggers]
alerts = ["ecs_memory_percent"]
rollback_reasons = ["memory"]
log_patterns = ['"invalid token"']

[[steps]]
id = "look"
text = "Look at the logs"
check = "logs.invalid_token"

[[steps]]
id = "fix"
text = "Force a new deployment"
action = "ecs.force_new_deployment"
"""

# (file name, content, field the error must name, words the message must contain)
BROKEN = [
    ("syntax.toml", 'id = "x\n', "", "invalid TOML"),
    (
        "unknown-check.toml",
        GOOD.replace('check = "logs.invalid_token"', 'check = "logs.invalid_tokn"'),
        "steps[1].check",
        "unknown check",
    ),
    (
        "unknown-action.toml",
        GOOD.replace('action = "ecs.force_new_deployment"', 'action = "ecs.nuke"'),
        "steps[2].action",
        "unknown action",
    ),
    ("missing-title.toml", GOOD.replace('title = "Title {id}"\n', ""), "title", "missing"),
    ("missing-step-text.toml", GOOD.replace('text = "Look at the logs"\n', ""), "steps[1].text", "missing"),
    ("wrong-type.toml", GOOD.replace('title = "Title {id}"', "title = 42"), "title", "must be a string, got an integer"),
    ("duplicate-step.toml", GOOD.replace('id = "fix"', 'id = "look"'), "steps[2].id", "duplicate step id"),
    ("bad-language.toml", GOOD.replace('language = "{lang}"', 'language = "fr"'), "language", "choose ja or en"),
    (
        "bad-alert.toml",
        GOOD.replace('alerts = ["ecs_memory_percent"]', 'alerts = ["ecs_memroy"]'),
        "triggers.alerts",
        "unknown alert key",
    ),
    (
        "bad-reason.toml",
        GOOD.replace('rollback_reasons = ["memory"]', 'rollback_reasons = ["oom"]'),
        "triggers.rollback_reasons",
        "unknown S25",
    ),
    (
        "unknown-key.toml",
        GOOD.replace('symptom = "something is wrong"', 'symptom = "x"\nsymptoms = "y"'),
        "symptoms",
        "unknown key",
    ),
    (
        "unknown-step-key.toml",
        GOOD.replace('text = "Force a new deployment"', 'text = "F"\nchek = "x"'),
        "steps[2].chek",
        "unknown key",
    ),
    ("bad-kind.toml", GOOD.replace('kind = "runbook"', 'kind = "checklist"'), "kind", "does not belong"),
    ("no-steps.toml", "steps = []\n" + GOOD.split("[[steps]]")[0], "steps", "at least one step"),
    ("steps-not-tables.toml", 'steps = ["a"]\n' + GOOD.split("[[steps]]")[0], "steps", "array of tables"),
    (
        "triggers-wrong-type.toml",
        GOOD.replace("log_patterns = ['\"invalid token\"']", "log_patterns = 3"),
        "triggers.log_patterns",
        "array",
    ),
    ("empty-id.toml", GOOD.replace('id = "{id}"', 'id = " "', 1), "id", "must not be empty"),
    ("not-utf8.toml", None, "", "not UTF-8"),
    (
        "bad-budget.toml",
        GOOD.replace('text = "Force a new deployment"', 'text = "F"\nbudget_minutes = "5"'),
        "steps[2].budget_minutes",
        "whole number",
    ),
]


def write(directory: Path, name: str, text: str | None, n: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if text is None:
        path.write_bytes(b'id = "\xff\xfe"\n')
    else:
        path.write_text(text.replace("{id}", f"broken-{n}").replace("{lang}", "en"), encoding="utf-8")
    return path


def test_every_kind_of_mistake_is_named_by_file_and_field_and_the_rest_load(tmp_path):
    shipped = tmp_path / "content" / "runbooks"
    for n, (name, text, _, _) in enumerate(BROKEN):
        write(shipped, name, text, n)
    write(shipped, "good-en.toml", GOOD.replace("{id}", "good").replace("{lang}", "en"), 0)
    write(shipped, "good-ja.toml", GOOD.replace("{id}", "good").replace("{lang}", "ja"), 0)
    write(shipped, "other.toml", GOOD.replace("{id}", "other").replace("{lang}", "ja"), 0)

    result = load_procedures([Kind.RUNBOOK], content_dir=tmp_path / "content", user_dir=None, checks=CHECKS, actions=ACTIONS)

    assert sorted((p.id, p.language.value) for p in result.procedures) == [("good", "en"), ("good", "ja"), ("other", "ja")]
    by_file = {Path(e.path).name: e for e in result.errors}
    assert set(by_file) == {name for name, *_ in BROKEN}
    for name, _, field, words in BROKEN:
        error = by_file[name]
        assert error.field == field, (name, str(error))
        assert words in error.message, (name, str(error))
        assert str(error).startswith(str(shipped / name)), str(error)
        if field:
            assert f": {field}: " in str(error)


def test_a_user_file_replaces_the_shipped_one_and_adds_its_own(tmp_path):
    write(tmp_path / "content" / "runbooks", "a.toml", GOOD.replace("{id}", "a").replace("{lang}", "en"), 0)
    user = tmp_path / "user"
    write(user / "runbooks", "a.toml", GOOD.replace("{id}", "a").replace("{lang}", "en").replace("Title a", "Mine"), 0)
    write(user / "runbooks", "b.toml", GOOD.replace("{id}", "b").replace("{lang}", "en"), 0)
    result = load_procedures([Kind.RUNBOOK], content_dir=tmp_path / "content", user_dir=user, checks=CHECKS, actions=ACTIONS)
    assert not result.errors
    assert {p.id: p.title for p in result.procedures} == {"a": "Mine", "b": "Title b"}


def test_the_same_id_twice_in_one_directory_is_named(tmp_path):
    runbooks = tmp_path / "content" / "runbooks"
    write(runbooks, "1.toml", GOOD.replace("{id}", "a").replace("{lang}", "en"), 0)
    write(runbooks, "2.toml", GOOD.replace("{id}", "a").replace("{lang}", "en"), 0)
    result = load_procedures([Kind.RUNBOOK], content_dir=tmp_path / "content", user_dir=None, checks=CHECKS, actions=ACTIONS)
    assert len(result.procedures) == 1
    assert [(Path(e.path).name, e.field) for e in result.errors] == [("2.toml", "id")]


def test_language_choice_falls_back_to_the_other_language(tmp_path):
    runbooks = tmp_path / "content" / "runbooks"
    write(runbooks, "a-en.toml", GOOD.replace("{id}", "a").replace("{lang}", "en"), 0)
    write(runbooks, "a-ja.toml", GOOD.replace("{id}", "a").replace("{lang}", "ja"), 0)
    write(runbooks, "b-en.toml", GOOD.replace("{id}", "b").replace("{lang}", "en"), 0)
    result = load_procedures([Kind.RUNBOOK], content_dir=tmp_path / "content", user_dir=None, checks=CHECKS, actions=ACTIONS)
    chosen = {p.id: p.language for p in result.in_language("ja")}
    assert chosen == {"a": Language.JA, "b": Language.EN}
    procedure = result.by_id("a", "en")
    assert procedure is not None and [s.id for s in procedure.steps] == ["look", "fix"]
    assert procedure.steps[0].automatic and not procedure.steps[1].automatic
    assert procedure.triggers.alerts == ("ecs_memory_percent",)


@pytest.mark.parametrize("kind", [Kind.RUNBOOK, Kind.CHECKLIST])
def test_shipped_content_loads_without_errors(kind):
    result = load_procedures([kind], user_dir=None)
    assert not result.errors, [str(e) for e in result.errors]
