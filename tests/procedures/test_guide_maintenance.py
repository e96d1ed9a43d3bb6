"""S13 monthly dependency update, S15 monthly benchmark comparison, S19 Go security patch: procedures of their own
(the guide's commands and commit messages verbatim, in Japanese and English), each passing the loader's checks,
each with its golden export; S15's files (the two benchmarks and their benchstat comparison) recorded on the run,
kept by the store and shown in the export; the loader naming a broken ``[[steps.files]]``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kojan_tui.core.benchstat import significant_changes
from kojan_tui.procedures.checklist import item_status, progress, run_markdown
from kojan_tui.procedures.checks import Verdict
from kojan_tui.procedures.files import FilesError, latest_files, record_files, recorded_paths
from kojan_tui.procedures.loader import load_procedures
from kojan_tui.procedures.models import Kind
from kojan_tui.procedures.runs import ProcedureRun, StepRecord, StepState
from kojan_tui.store.database import Database
from kojan_tui.store.procedure_runs import SqliteProcedureRuns

GOLDEN = Path(__file__).parent.parent / "golden"
NEW = ("s13-monthly-dependencies", "s15-monthly-benchmarks", "s19-go-security-patch")

# The guide's commands (運用・保守ガイドライン: 月次タスク, ベンチマークテスト, Go セキュリティ パッチ対応), verbatim.
GUIDE_COMMANDS = {
    "s13-monthly-dependencies": (
        "cd backend/business",
        "go get -u -t ./...",
        "go mod tidy",
        "go test ./... -v",
        "git add go.mod go.sum",
        'git commit -m "chore: 依存関係アップデート ($(date +%Y-%m-%d))"',
        "git push",
        "cd ../",
        "docker build -t kojan-map-business:monthly-update .",
    ),
    "s15-monthly-benchmarks": (
        "cd backend/business",
        "go test -bench=. -benchmem ./...",
        "go test -bench=. -benchmem ./... > benchmark_$(date +%Y-%m-%d).txt",
        "benchstat benchmark_2026-01-14.txt benchmark_2026-02-14.txt",
    ),
    "s19-go-security-patch": (
        "go get golang.org/dl/go1.23.13",
        "go1.23.13 version",
        "go mod edit -go=1.23.13",
        "go mod tidy",
        "go test ./... -v",
        "docker build -t test:latest .",
        "docker run test:latest go test ./... -v",
        "git add go.mod go.sum",
        'git commit -m "chore: Go をアップデート (1.23.13)"',
        "git push",
    ),
}

OLD_FORMAT = """name              old time/op    new time/op    delta
GetPosts-8          1.20ms ± 2%    1.50ms ± 3%  +25.00%  (p=0.000 n=10+10)
CreatePost-8        300µs ± 1%     301µs ± 1%     ~     (p=0.400 n=10+10)

name              old alloc/op   new alloc/op   delta
GetPosts-8          12.0kB ± 0%    11.0kB ± 0%   -8.33%  (p=0.000 n=10+10)
"""

NEW_FORMAT = """goos: linux
goarch: amd64
pkg: kojan-map/business/service
             │ benchmark_2026-10-01.txt │      benchmark_2026-11-01.txt       │
             │          sec/op          │   sec/op     vs base                │
GetPosts-8                 1.200m ± 2%   1.500m ± 3%  +25.00% (p=0.000 n=10)
CreatePost-8               300.0µ ± 1%   301.0µ ± 1%        ~ (p=0.400 n=10)
geomean                    600.0µ        672.0µ       +12.00%

             │ benchmark_2026-10-01.txt │      benchmark_2026-11-01.txt       │
             │           B/op           │    B/op     vs base                 │
GetPosts-8                12.00Ki ± 0%   11.00Ki ± 0%  -8.33% (p=0.000 n=10)
"""


def at(minute: int, second: int = 0) -> datetime:
    return datetime(2026, 12, 1, 0, minute, second, tzinfo=UTC)


def shipped():
    return load_procedures([Kind.CHECKLIST], user_dir=None)


def test_the_three_pass_the_loaders_checks_in_both_languages_with_the_guides_commands_verbatim():
    result = shipped()
    assert result.errors == ()
    for procedure_id, commands in GUIDE_COMMANDS.items():
        for language in ("ja", "en"):
            procedure = result.by_id(procedure_id, language)
            assert procedure is not None and procedure.language.value == language, (procedure_id, language)
            assert procedure.kind is Kind.CHECKLIST and procedure.guide_item == procedure_id[:3].upper()
            text = "\n".join(s.text for s in procedure.steps)
            for command in commands:
                assert f"`{command}`" in text, (procedure_id, language, command)
    assert result.by_id("s13-monthly-dependencies", "ja").title == "S13 月次 依存関係アップデート"
    assert result.by_id("s19-go-security-patch", "en").title == "S19 Go security patch"
    compare = result.by_id("s15-monthly-benchmarks", "ja").step("compare")
    assert [(f.id, f.show) for f in compare.files] == [("previous", False), ("current", False), ("comparison", True)]
    assert compare.files[2].label == "benchstat の比較結果"


@pytest.mark.parametrize("text", [OLD_FORMAT, NEW_FORMAT], ids=["delta", "vs-base"])
def test_benchstat_significant_rows_in_either_format(text):
    changes = significant_changes(text)
    assert [(c.name, c.delta) for c in changes] == [("GetPosts-8", 25.0), ("GetPosts-8", -8.33)]
    assert changes[0].unit in {"time/op", "sec/op"} and changes[1].unit in {"alloc/op", "B/op"}
    assert changes[0].text.startswith("+25.00% GetPosts-8 (")
    assert significant_changes("CreatePost-8  300µs ± 1%  301µs ± 1%  ~  (p=0.400 n=10+10)\n") == []


def benchmark_files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "benchmark_2026-11-01.txt").write_text("BenchmarkGetPosts-8  1000  1200000 ns/op\n", encoding="utf-8")
    (tmp_path / "benchmark_2026-12-01.txt").write_text("BenchmarkGetPosts-8  1000  1500000 ns/op\n", encoding="utf-8")
    (tmp_path / "compare.txt").write_text(OLD_FORMAT, encoding="utf-8")
    return {"previous": "benchmark_2026-11-01.txt", "current": "benchmark_2026-12-01.txt", "comparison": "compare.txt"}


def test_s15_records_the_benchmark_files_and_the_comparison(tmp_path):
    compare = shipped().by_id("s15-monthly-benchmarks", "en").step("compare")
    record = record_files(compare, benchmark_files(tmp_path), at(10), "en", base=tmp_path)
    assert record.type == "files" and record.step_id == "compare"
    assert record.summary == "3 files recorded; benchstat: 2 significant changes, largest +25.00% GetPosts-8 (time/op)"
    assert record.evidence[0].startswith(f"previous={tmp_path / 'benchmark_2026-11-01.txt'} · 41 B · sha256 ")
    assert "│ GetPosts-8          1.20ms ± 2%    1.50ms ± 3%  +25.00%  (p=0.000 n=10+10)" in record.evidence
    assert recorded_paths(record) == {
        "previous": str(tmp_path / "benchmark_2026-11-01.txt"),
        "current": str(tmp_path / "benchmark_2026-12-01.txt"),
        "comparison": str(tmp_path / "compare.txt"),
    }
    ja = record_files(
        shipped().by_id("s15-monthly-benchmarks", "ja").step("compare"), benchmark_files(tmp_path), at(10), "ja", base=tmp_path
    )
    assert "benchstat" in ja.summary and "recorded" not in ja.summary  # the run's language


def test_a_missing_or_unnamed_file_records_nothing_and_says_which(tmp_path):
    compare = shipped().by_id("s15-monthly-benchmarks", "en").step("compare")
    paths = benchmark_files(tmp_path)
    with pytest.raises(FilesError, match="This month's benchmark: .*nope.txt: not found"):
        record_files(compare, {**paths, "current": "nope.txt"}, at(10), "en", base=tmp_path)
    with pytest.raises(FilesError, match="benchstat comparison: no path given"):
        record_files(compare, {**paths, "comparison": "  "}, at(10), "en", base=tmp_path)
    with pytest.raises(FilesError, match="not a regular file"):
        record_files(compare, {**paths, "previous": "."}, at(10), "en", base=tmp_path)


async def test_the_store_keeps_the_files_record_and_the_item_counts_as_done(tmp_path):
    s15 = shipped().by_id("s15-monthly-benchmarks", "en")
    database = await Database.open(tmp_path / "runs.sqlite3")
    store = SqliteProcedureRuns(database)
    run = await store.start(ProcedureRun(0, s15.id, "checklist", "en", s15.title, at(0)))
    assert not item_status(s15.step("compare"), run).done
    record = record_files(s15.step("compare"), benchmark_files(tmp_path), at(10), "en", base=tmp_path)
    await store.add_record(run.id, record)
    loaded = await store.load(run.id)
    assert latest_files(loaded, "compare") == record
    assert item_status(s15.step("compare"), loaded).done and progress(s15, loaded) == (1, 4)
    await database.close()


def golden_run(procedure_id: str, language: str, tmp_path: Path) -> tuple[str, str]:
    """A run of each new procedure as a person would leave it, and its Markdown export."""
    procedure = shipped().by_id(procedure_id, language)
    run = ProcedureRun(12, procedure.id, "checklist", language, procedure.title, at(0), "arn:aws:iam::123456789012:user/oncall")
    first, second = procedure.steps[0].id, procedure.steps[1].id
    run = run.with_step(first, StepState(True, at(5), "")).with_record(StepRecord(first, "mark", "done", at(5), done=True))
    run = run.with_step(second, StepState(True, at(9), "ok")).with_record(
        StepRecord(second, "mark", "done: ok", at(9), done=True)
    )
    for step in procedure.steps:
        if step.check:
            summary = "image pushed 0 days ago" if step.check == "ecr.image_age" else "healthy: 2/2 running"
            run = run.with_record(StepRecord(step.id, "check", summary, at(20), Verdict.PASS, ("running 2 / desired 2",)))
        if step.files:
            paths = benchmark_files(tmp_path)
            record = record_files(step, paths, at(15), language, base=tmp_path)
            stable = tuple(line.replace(str(tmp_path), "/home/oncall/bench") for line in record.evidence)
            run = run.with_record(StepRecord(record.step_id, record.type, record.summary, record.at, evidence=stable, done=True))
    return run_markdown(procedure, run), f"checklist_{procedure_id.split('-')[0]}_{language}.md"


@pytest.mark.parametrize(
    ("procedure_id", "language"),
    [
        ("s13-monthly-dependencies", "ja"),
        ("s15-monthly-benchmarks", "en"),
        ("s15-monthly-benchmarks", "ja"),
        ("s19-go-security-patch", "ja"),
    ],
)
def test_each_new_procedures_export_matches_its_golden_file(procedure_id, language, tmp_path):
    text, name = golden_run(procedure_id, language, tmp_path)
    assert text == (GOLDEN / name).read_text(encoding="utf-8")


def test_the_s15_export_shows_the_files_and_the_comparison_in_a_code_block(tmp_path):
    text, _ = golden_run("s15-monthly-benchmarks", "en", tmp_path)
    assert "  - files recorded at 2026-12-01 00:15:00 UTC: 3 files recorded; benchstat: 2 significant changes" in text
    assert "    - Last month's benchmark: /home/oncall/bench/benchmark_2026-11-01.txt · 41 B · sha256 " in text
    block = text.split("    ```\n")[1]
    assert "    GetPosts-8          1.20ms ± 2%    1.50ms ± 3%  +25.00%  (p=0.000 n=10+10)\n" in block
    assert "| 2026-12-01 00:15:00 | compare | files: 3 files recorded;" in text


BROKEN_FILES = [
    ('files = "a.txt"', "steps[1].files", "array of tables"),
    ('[[steps.files]]\nid = "a"', "steps[1].files[1].label", "missing"),
    (
        '[[steps.files]]\nid = "a"\nlabel = "A"\n[[steps.files]]\nid = "a"\nlabel = "B"',
        "steps[1].files[2].id",
        "duplicate file id",
    ),
    ('[[steps.files]]\nid = "a"\nlabel = "A"\nshow = "yes"', "steps[1].files[1].show", "true or false"),
    ('[[steps.files]]\nid = "a"\nlabel = "A"\nshwo = true', "steps[1].files[1].shwo", "unknown key"),
]


@pytest.mark.parametrize(("mistake", "field", "words"), BROKEN_FILES)
def test_a_broken_files_table_is_named_by_file_and_field(tmp_path, mistake, field, words):
    user = tmp_path / "checklists"
    user.mkdir()
    (user / "mine.toml").write_text(
        f'id = "mine"\nkind = "checklist"\nlanguage = "en"\ntitle = "Mine"\n[[steps]]\nid = "s"\ntext = "t"\n{mistake}\n',
        encoding="utf-8",
    )
    result = load_procedures([Kind.CHECKLIST], user_dir=tmp_path)
    assert [(e.field, words in e.message) for e in result.errors] == [(field, True)], [str(e) for e in result.errors]
    assert {p.id for p in result.procedures} >= set(NEW)
