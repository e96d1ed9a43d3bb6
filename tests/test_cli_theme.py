"""An unknown theme, from the flag or the config file, is bad input: one line naming where, exit 2."""

import subprocess
import sys

from kojan_tui.cli import main


def test_unknown_theme_flag_exits_2_and_lists_the_known_ones(capsys):
    assert main(["--theme", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown theme 'nope' (--theme)" in err
    assert "kojan-dark" in err and "kojan-light" in err and "kojan-high-contrast" in err


def test_unknown_theme_in_config_names_the_key_and_file(tmp_path):
    config = tmp_path / "kojan.toml"
    config.write_text('[ui]\ntheme = "dracula"\n')
    result = subprocess.run(
        [sys.executable, "-m", "kojan_tui", "--config", str(config)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert f"unknown theme 'dracula' (ui.theme in {config})" in result.stderr
    assert "Traceback" not in result.stderr
