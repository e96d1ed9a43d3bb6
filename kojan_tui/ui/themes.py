"""Theme files (TOML) → Textual ``Theme`` objects, validated, with errors naming the file and the key.

The canonical files live in ``themes/`` at the top of the repository; the package carries a copy in
``kojan_tui/ui/theme_files/`` for installed use (a test keeps the two identical).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

PACKAGED_DIR = Path(__file__).with_name("theme_files")
REPO_DIR = Path(__file__).resolve().parents[2] / "themes"
COLOUR_KEYS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel", "success", "warning", "error")
REQUIRED_KEYS = ("name", "dark", "primary")
DEFAULT_THEME = "kojan-dark"


class ThemeError(ValueError):
    """A theme file that cannot be used; the message names the file and the key."""


def theme_dir() -> Path:
    """``themes/`` of a source checkout when present, else the copy inside the package."""
    return REPO_DIR if REPO_DIR.is_dir() else PACKAGED_DIR


def load_theme_file(path: Path) -> Theme:
    try:
        text = path.read_text(encoding="utf-8")
        if text.startswith("\ufeff"):
            raise ThemeError(f"{path}: starts with a UTF-8 byte order mark (BOM); save the file as UTF-8 without BOM")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeError(f"{path}: not valid TOML: {error}") from None
    for key in REQUIRED_KEYS:
        if key not in data:
            raise ThemeError(f"{path}: key {key!r} is missing")
    unknown = set(data) - {"name", "dark", "variables", *COLOUR_KEYS}
    if unknown:
        raise ThemeError(
            f"{path}: key {sorted(unknown)[0]!r} is not a theme key (expected name, dark, variables, {', '.join(COLOUR_KEYS)})"
        )
    if not isinstance(data["name"], str) or not data["name"].strip():
        raise ThemeError(f"{path}: key 'name' must be a non-empty string")
    if not isinstance(data["dark"], bool):
        raise ThemeError(f"{path}: key 'dark' must be true or false")
    colours = {key: _colour(path, key, data[key]) for key in COLOUR_KEYS if key in data}
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeError(f"{path}: key 'variables' must be a table")
    for key, value in variables.items():
        if not isinstance(value, str):
            raise ThemeError(f"{path}: key 'variables.{key}' must be a string")
    return Theme(name=data["name"], dark=data["dark"], variables=dict(variables), **colours)


def _colour(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ThemeError(f'{path}: key {key!r} must be a colour string like "#1E90FF"')
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeError(f"{path}: key {key!r}: {value!r} is not a colour") from None
    return value


def load_themes(directory: Path | None = None) -> dict[str, Theme]:
    """Every ``*.toml`` of the directory, by theme name, in file-name order."""
    directory = directory or theme_dir()
    themes: dict[str, Theme] = {}
    for path in sorted(directory.glob("*.toml")):
        theme = load_theme_file(path)
        if theme.name in themes:
            raise ThemeError(f"{path}: key 'name': theme {theme.name!r} is defined twice")
        themes[theme.name] = theme
    if not themes:
        raise ThemeError(f"{directory}: no theme files (*.toml)")
    return themes
