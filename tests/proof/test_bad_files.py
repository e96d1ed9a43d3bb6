"""Malformed config and theme files, one table row each: every one ends with exit status 2 and one clear
line naming the file (and the key when there is one), never a traceback. The CLI runs in a subprocess.

Add a row to CONFIG_CASES / THEME_CASES (runbook and checklist files get their own table the same way).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, fields
from pathlib import Path

import pytest

from kojan_tui.core.config import ServiceSettings
from kojan_tui.ui.themes import theme_dir

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes | None  # None: built by ``setup`` (a directory, a missing file...)
    says: tuple[str, ...]  # every one of these must be in the message (the key, the word that explains)
    setup: str = ""  # "dir", "missing", "unreadable"


def rows(cases: list[Case]) -> list:
    return [pytest.param(c, id=c.name) for c in cases]


def service_table(**changes: str) -> str:
    values = {f.name: f.default for f in fields(ServiceSettings)} | changes
    return "[service]\n" + "".join(f'{k} = "{v}"\n' for k, v in values.items())


def toml(text: str) -> bytes:
    return text.encode()


CONFIG_CASES = [
    Case("bom", b"\xef\xbb\xbf[refresh]\nmetrics_seconds = 5\n", ("BOM",)),
    Case("utf16", "[refresh]\nmetrics_seconds = 5\n".encode("utf-16"), ("UTF-8",)),
    Case("invalid-utf8", b'[ui]\ntheme = "\xff\xfe"\n', ("UTF-8",)),
    Case("toml-syntax", toml("[refresh\nmetrics_seconds = 5\n"), ("invalid TOML", "line 1")),
    Case("duplicate-key", toml("[refresh]\nmetrics_seconds = 5\nmetrics_seconds = 6\n"), ("invalid TOML", "line 3")),
    Case("duplicate-table", toml("[refresh]\nmetrics_seconds = 5\n[refresh]\nlogs_seconds = 2\n"), ("invalid TOML", "line 3")),
    Case("nan-interval", toml("[refresh]\nmetrics_seconds = nan\n"), ("refresh.metrics_seconds", "nan")),
    Case("inf-interval", toml("[refresh]\nlogs_seconds = inf\n"), ("refresh.logs_seconds", "inf")),
    Case("nan-threshold", toml("[thresholds.ecs_cpu_percent]\nwarn = nan\nalert = 80\n"), ("thresholds.ecs_cpu_percent", "nan")),
    Case("minus-inf-threshold", toml("[thresholds.p99_latency_ms]\nwarn = -inf\nalert = 1000\n"), ("p99_latency_ms", "inf")),
    Case("inf-timeout", toml("[aws]\nread_timeout = inf\n"), ("aws.read_timeout", "inf")),
    Case("negative-interval", toml("[refresh]\nservice_seconds = -5\n"), ("refresh.service_seconds", "-5")),
    Case("zero-interval", toml("[refresh]\nmetrics_seconds = 0\n"), ("refresh.metrics_seconds", "between")),
    Case("huge-interval", toml("[refresh]\nerrors_seconds = 1e12\n"), ("refresh.errors_seconds", "between")),
    Case("huge-integer", toml("[ui]\nlog_buffer_lines = 99999999999999999999\n"), ("ui.log_buffer_lines", "between")),
    Case("empty-region", toml('[aws]\nregion = ""\n'), ("aws.region", "empty")),
    Case("invalid-region", toml('[aws]\nregion = "tokyo"\n'), ("aws.region", "not an AWS region")),
    Case("padded-region", toml('[aws]\nregion = " ap-northeast-1"\n'), ("aws.region", "not an AWS region")),
    Case("empty-cluster", toml(service_table(cluster="")), ("service.cluster", "empty")),
    Case("blank-log-group", toml(service_table(log_group="   ")), ("service.log_group", "empty")),
    Case("partial-service", toml('[service]\ncluster = "other"\n'), ("service.", "missing required key")),
    Case("string-interval", toml('[refresh]\nmetrics_seconds = "5"\n'), ("refresh.metrics_seconds", "must be a number")),
    Case("bool-interval", toml("[refresh]\nmetrics_seconds = true\n"), ("refresh.metrics_seconds", "must be a number")),
    Case("unknown-key", toml("[refresh]\nmetric_seconds = 5\n"), ("refresh.metric_seconds", "did you mean")),
    Case("unknown-table", toml("[colours]\nprimary = 1\n"), ("colours", "unknown key")),
    Case("array-for-table", toml("refresh = [1, 2]\n"), ("refresh", "must be a table")),
    Case("bad-endpoint", toml('[aws]\nendpoint_url = "ftp://127.0.0.1"\n'), ("aws.endpoint_url", "http://")),
    Case("zero-attempts", toml("[aws]\nmax_attempts = 0\n"), ("aws.max_attempts", "between")),
    Case("tiny-buffer", toml("[ui]\nlog_buffer_lines = 10\n"), ("ui.log_buffer_lines", "between")),
    Case("unknown-window", toml('[ui]\nchart_window = "7d"\n'), ("ui.chart_window", "7d")),
    Case("warn-above-alert", toml("[thresholds.ecs_cpu_percent]\nwarn = 90\nalert = 80\n"), ("ecs_cpu_percent", "below")),
    Case("missing-alert", toml("[thresholds.ecs_cpu_percent]\nwarn = 70\n"), ("ecs_cpu_percent.alert", "missing")),
    Case("percent-over-100", toml("[thresholds.rds_cpu_percent]\nwarn = 70\nalert = 150\n"), ("rds_cpu_percent", "100")),
    Case("rollback-below-alert", toml("[rollback]\ncpu_percent = 50\n"), ("rollback.cpu_percent", "below")),
    Case("unknown-theme", toml('[ui]\ntheme = "dracula"\n'), ("ui.theme", "dracula")),
    Case("directory", None, ("directory",), setup="dir"),
    Case("missing", None, ("no such file",), setup="missing"),
    Case("unreadable", None, ("cannot read",), setup="unreadable"),
]

THEME_CASES = [
    Case("theme-bom", b'\xef\xbb\xbfname = "x"\ndark = true\nprimary = "#112233"\n', ("BOM",)),
    Case("theme-syntax", toml('name = "x"\ndark = \n'), ("TOML",)),
    Case("theme-duplicate-key", toml('name = "x"\nname = "y"\ndark = true\nprimary = "#112233"\n'), ("TOML",)),
    Case("theme-no-name", toml('dark = true\nprimary = "#112233"\n'), ("'name'", "missing")),
    Case("theme-empty-name", toml('name = ""\ndark = true\nprimary = "#112233"\n'), ("'name'", "non-empty")),
    Case("theme-bad-colour", toml('name = "x"\ndark = true\nprimary = "not-a-colour"\n'), ("'primary'", "not a colour")),
    Case("theme-number-colour", toml('name = "x"\ndark = true\nprimary = 12\n'), ("'primary'", "colour string")),
    Case("theme-dark-string", toml('name = "x"\ndark = "yes"\nprimary = "#112233"\n'), ("'dark'", "true or false")),
    Case("theme-unknown-key", toml('name = "x"\ndark = true\nprimary = "#112233"\nprimery = "#112233"\n'), ("'primery'",)),
    Case("theme-variables-not-table", toml('name = "x"\ndark = true\nprimary = "#112233"\nvariables = 3\n'), ("'variables'",)),
    Case("theme-duplicate-name", toml('name = "kojan-dark"\ndark = true\nprimary = "#112233"\n'), ("kojan-dark", "twice")),
]


def run_cli(args: list[str], *, cwd: Path, theme_dir_override: Path | None = None):
    code = "import sys\nfrom kojan_tui.cli import main\n"
    if theme_dir_override is not None:  # the themes directory is not a flag: point the loader at ours
        code = (
            f"import kojan_tui.ui.themes as t\nfrom pathlib import Path\nt.REPO_DIR = Path({str(theme_dir_override)!r})\n" + code
        )
    code += "sys.exit(main(sys.argv[1:]))\n"
    env = {**os.environ, "HOME": str(cwd), "XDG_CONFIG_HOME": str(cwd / "xdg")}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def assert_one_clear_line(result: subprocess.CompletedProcess, path: Path, says: tuple[str, ...]) -> None:
    message = result.stderr.strip()
    assert result.returncode == 2, (result.returncode, message)
    assert "Traceback" not in result.stderr
    assert message.count("\n") == 0, message  # one line
    assert str(path) in message, message
    for word in says:
        assert word.lower() in message.lower(), (word, message)


@pytest.mark.parametrize("case", rows(CONFIG_CASES))
def test_a_bad_config_file_ends_with_one_clear_line_and_status_2(case: Case, tmp_path: Path):
    tmp_path.chmod(0o755)
    path = tmp_path / "config.toml"
    if case.setup == "dir":
        path.mkdir()
    elif case.setup == "unreadable":
        if os.geteuid() == 0:  # root reads any file whatever its mode: a file whose read fails (EIO) instead
            path.symlink_to("/proc/self/mem")
        else:
            path.write_bytes(b"[refresh]\nmetrics_seconds = 5\n")
            path.chmod(0)
    elif case.setup != "missing":
        assert case.content is not None
        path.write_bytes(case.content)
    assert_one_clear_line(run_cli(["--config", str(path)], cwd=tmp_path), path, case.says)


@pytest.mark.parametrize("case", rows(THEME_CASES))
def test_a_bad_theme_file_ends_with_one_clear_line_and_status_2(case: Case, tmp_path: Path):
    themes = tmp_path / "themes"
    themes.mkdir()
    for shipped in theme_dir().glob("*.toml"):
        (themes / shipped.name).write_bytes(shipped.read_bytes())
    path = themes / "zz-broken.toml"
    assert case.content is not None
    path.write_bytes(case.content)
    config = tmp_path / "config.toml"
    config.write_text("")  # the defaults, named (a ./config.toml is never used unasked): only the theme file is wrong
    assert_one_clear_line(run_cli(["--config", str(config)], cwd=tmp_path, theme_dir_override=themes), path, case.says)


def test_the_tables_cover_at_least_25_files():
    assert len(CONFIG_CASES) + len(THEME_CASES) >= 25
    assert len({c.name for c in CONFIG_CASES + THEME_CASES}) == len(CONFIG_CASES) + len(THEME_CASES)
