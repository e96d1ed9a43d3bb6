"""Theme files: the shipped ones load; a bad file fails naming the file and the key; the copies match."""

from pathlib import Path

import pytest

from kojan_tui.ui.themes import PACKAGED_DIR, REPO_DIR, ThemeError, load_theme_file, load_themes

GOOD = 'name = "t"\ndark = true\nprimary = "#112233"\n'


def test_the_three_shipped_themes_load():
    themes = load_themes()
    assert {"kojan-dark", "kojan-light", "kojan-high-contrast"} <= set(themes)
    assert themes["kojan-dark"].dark and not themes["kojan-light"].dark
    assert themes["kojan-high-contrast"].background == "#000000"


def test_the_packaged_copy_matches_themes_dir():
    repo = {p.name: p.read_text() for p in REPO_DIR.glob("*.toml")}
    packaged = {p.name: p.read_text() for p in PACKAGED_DIR.glob("*.toml")}
    assert repo and repo == packaged


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GOOD.replace('primary = "#112233"', 'primary = "blurple"'), "key 'primary': 'blurple' is not a colour"),
        ('name = "t"\ndark = true\n', "key 'primary' is missing"),
        (GOOD + 'bacground = "#000000"\n', "key 'bacground' is not a theme key"),
        (GOOD.replace("dark = true", 'dark = "yes"'), "key 'dark' must be true or false"),
        (GOOD + "[variables]\nx = 3\n", "key 'variables.x' must be a string"),
        ("name = ", "not valid TOML"),
    ],
)
def test_a_bad_theme_file_names_the_file_and_the_key(tmp_path: Path, body, message):
    path = tmp_path / "broken.toml"
    path.write_text(body)
    with pytest.raises(ThemeError) as error:
        load_theme_file(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_a_duplicate_name_is_refused(tmp_path: Path):
    (tmp_path / "a.toml").write_text(GOOD)
    (tmp_path / "b.toml").write_text(GOOD)
    with pytest.raises(ThemeError, match="b.toml: key 'name': theme 't' is defined twice"):
        load_themes(tmp_path)
