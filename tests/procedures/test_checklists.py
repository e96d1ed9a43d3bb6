"""The guide's checklists as data: every file loads in both languages, a broken one is named (file and field)
while the others load; progress and the Markdown export of a run (golden file); writing it never overwrites."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kojan_tui.procedures.checklist import export_name, progress, run_markdown, write_new_file
from kojan_tui.procedures.checks import Verdict
from kojan_tui.procedures.loader import CONTENT_DIR, load_procedures
from kojan_tui.procedures.models import Kind
from kojan_tui.procedures.runs import ProcedureRun, StepRecord, StepState

GOLDEN = Path(__file__).parent.parent / "golden"
GUIDE_ITEMS = {"S11", "S12", "S13", "S14", "S15", "S18", "S19", "S21", "S27", "S28", "S29"}
AUTOMATIC = {
    "ecs.service_healthy",
    "logs.no_errors_1h",
    "logs.no_errors_24h",
    "metrics.within_thresholds",
    "api.health",
    "ecs.rollback_plan",
    "deploy.stability",
    "secrets.jwt_length",
    "logs.archive_last_month",
    "ecr.image_age",  # S13: the image the service runs is the rebuilt one
    "ecr.findings",  # the security engineer's checks (procedures/checks_security.py)
    "tokens.lifetimes",
    "iam.validate_policy",
}


def shipped():
    return load_procedures([Kind.CHECKLIST], user_dir=None)


def test_every_guide_checklist_loads_in_japanese_and_english():
    result = shipped()
    assert result.errors == ()
    by_language = {lang: {p.id: p for p in result.procedures if p.language.value == lang} for lang in ("ja", "en")}
    assert set(by_language["ja"]) == set(by_language["en"]) and len(by_language["ja"]) == 11
    assert {p.guide_item for p in by_language["ja"].values()} == GUIDE_ITEMS
    for procedure_id, ja in by_language["ja"].items():
        en = by_language["en"][procedure_id]
        shape = lambda p: [(s.id, s.check, s.action, [(f.id, f.show) for f in s.files]) for s in p.steps]  # noqa: E731
        assert shape(ja) == shape(en), procedure_id
        assert ja.kind is Kind.CHECKLIST
    used = {s.check for p in result.procedures for s in p.steps if s.check}
    assert used == AUTOMATIC
    s27 = by_language["ja"]["s27-start-of-month"]
    assert s27.steps[0].action == "logs.archive_last_month" and s27.steps[0].text.startswith("前月のログをアーカイブ")
    s29 = [s.text for s in by_language["ja"]["s29-after-deploy"].steps]
    assert s29[0].startswith("ヘルスチェック成功") and s29[-1].startswith("30分間の安定稼働確認")


BROKEN = {
    "unknown-check.toml": ('check = "api.helth"', "steps[1].check"),
    "missing-text.toml": (None, "steps[1].text"),
    "wrong-kind.toml": ('kind = "runbook"', "kind"),
    "bad-language.toml": ('language = "fr"', "language"),
}


def broken_file(name: str, mistake: str | None, field: str) -> str:
    header = 'id = "{id}"\nkind = "checklist"\nlanguage = "en"\ntitle = "Mine"\n'.format(id=name.removesuffix(".toml"))
    if field in ("kind", "language"):
        header = "\n".join(mistake if line.startswith(field) else line for line in header.splitlines()) + "\n"
        return header + '[[steps]]\nid = "a"\ntext = "tick me"\n'
    if mistake is None:
        return header + '[[steps]]\nid = "a"\n'
    return header + f'[[steps]]\nid = "a"\ntext = "auto"\n{mistake}\n'


def test_a_broken_user_checklist_is_named_and_the_rest_still_load(tmp_path):
    user = tmp_path / "checklists"
    user.mkdir()
    for name, (mistake, field) in BROKEN.items():
        (user / name).write_text(broken_file(name, mistake, field), encoding="utf-8")
    (user / "mine.toml").write_text(
        'id = "mine"\nkind = "checklist"\nlanguage = "en"\ntitle = "Mine"\n[[steps]]\nid = "a"\ntext = "tick me"\n'
        '[[steps]]\nid = "b"\ntext = "auto"\ncheck = "api.health"\n',
        encoding="utf-8",
    )
    result = load_procedures([Kind.CHECKLIST], user_dir=tmp_path)
    named = {Path(e.path).name: e.field for e in result.errors}
    assert named == {name: field for name, (_, field) in BROKEN.items()}
    assert all(str(user) in str(e) for e in result.errors)
    ids = {p.id for p in result.procedures}
    assert "mine" in ids and len(ids) == 12  # the eleven shipped ones and the user's own
    assert "did you mean" in str(next(e for e in result.errors if e.field == "steps[1].check"))


def test_a_user_file_replaces_the_shipped_one_with_its_id_and_language(tmp_path):
    user = tmp_path / "checklists"
    user.mkdir()
    (user / "daily.toml").write_text(
        'id = "s11-daily"\nkind = "checklist"\nlanguage = "en"\ntitle = "Our daily"\n[[steps]]\nid = "a"\ntext = "coffee"\n',
        encoding="utf-8",
    )
    result = load_procedures([Kind.CHECKLIST], user_dir=tmp_path)
    assert result.by_id("s11-daily", "en").title == "Our daily"
    assert result.by_id("s11-daily", "ja").title == "S11 日次チェック"
    assert CONTENT_DIR.joinpath("checklists").is_dir()


def at(minute: int, second: int = 0) -> datetime:
    return datetime(2026, 11, 29, 1, minute, second, tzinfo=UTC)


def sample_run() -> ProcedureRun:
    s29 = shipped().by_id("s29-after-deploy", "en")
    records = (
        StepRecord(
            "health",
            "check",
            "healthy: 2/2 running, 2 healthy targets, none unhealthy",
            at(5, 10),
            Verdict.PASS,
            ("running 2 / desired 2",),
        ),
        StepRecord(
            "no-errors", "check", "3 ERROR lines in the last hour", at(5, 12), Verdict.FAIL, ("newest:", "01:04:58  ERROR | db")
        ),
        StepRecord("no-errors", "mark", "done: known noise from the old revision", at(6), done=True),
        StepRecord("stable", "check", "timer running: 0:00 of 30:00, no threshold breached so far", at(6, 30), Verdict.WARN),
        StepRecord("stable", "alert", "ECS CPU: 91.0 % — consider scaling", at(20)),
    )
    run = ProcedureRun(
        7, s29.id, "checklist", "en", s29.title, at(5), "arn:aws:iam::123456789012:user/oncall", "stable", records=records
    )
    return run.with_step("no-errors", StepState(True, at(6), "known noise from the old revision"))


def test_progress_counts_ticked_items_and_passing_checks():
    s29 = shipped().by_id("s29-after-deploy", "en")
    assert progress(s29, sample_run()) == (2, 5)


def test_the_markdown_export_matches_the_golden_file():
    s29 = shipped().by_id("s29-after-deploy", "en")
    assert run_markdown(s29, sample_run()) == (GOLDEN / "checklist_s29_run7.md").read_text(encoding="utf-8")


def test_the_export_never_overwrites_and_is_private(tmp_path):
    s29 = shipped().by_id("s29-after-deploy", "en")
    stem = export_name(s29, sample_run())
    assert stem == "checklist-s29-after-deploy-run7-20261129-0105"
    (tmp_path / f"{stem}.md").write_text("the team's own file", encoding="utf-8")
    first = write_new_file(tmp_path, stem, "one")
    second = write_new_file(tmp_path, stem, "two")
    assert (first.name, second.name) == (f"{stem}-2.md", f"{stem}-3.md")
    assert (tmp_path / f"{stem}.md").read_text(encoding="utf-8") == "the team's own file"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    (tmp_path / "link.md").symlink_to(tmp_path / "elsewhere.md")
    taken = write_new_file(tmp_path, "link", "x")
    assert taken.name == "link-2.md" and not (tmp_path / "elsewhere.md").exists()


def test_markup_and_pipes_in_a_note_stay_literal():
    s29 = shipped().by_id("s29-after-deploy", "en")
    run = sample_run().with_step("health", StepState(True, at(7), "[red]x[/] | \x1b[2J"))
    text = run_markdown(s29, run)
    assert "  - note: [red]x[/] \\| ␛[2J\n" in text
    assert "\x1b" not in text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_each_language_exports(language):
    s11 = shipped().by_id("s11-daily", language)
    run = ProcedureRun(1, s11.id, "checklist", language, s11.title, at(0))
    text = run_markdown(s11, run)
    assert text.startswith(f"# {s11.title}\n") and text.count("- [ ] ") == 4 and "not checked" in text
