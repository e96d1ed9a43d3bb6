"""Where the config comes from: ``--config PATH``, else a ``./config.toml`` the user trusted once (remembered by
absolute path and content hash, as direnv does), else the user config dir, else the built-in defaults.

A ``config.toml`` in the working directory that was never trusted, or changed since, is ignored with one line
saying so: a cloned repository cannot point the console's signed AWS traffic elsewhere or turn read-only off.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from kojan_tui.core.config import CONFIG_FILENAME, ConfigError, user_config_path
from kojan_tui.core.private_files import write_private_atomically

TRUST_FILENAME = "trusted-configs.json"


@dataclass(frozen=True)
class ConfigChoice:
    """The file to load (None: the built-in defaults), how it was chosen, and the line to show when a
    working-directory config was passed over (None: nothing was ignored)."""

    path: Path | None
    how: str  # "--config", "trusted", "user config dir", "defaults"
    notice: str | None = None


def trust_store_path() -> Path:
    import platformdirs

    return platformdirs.user_state_path("kojan-tui") / TRUST_FILENAME


def content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _trusted(store: Path) -> dict[str, str]:
    try:
        data = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def trust_config(path: str | Path, *, cwd: Path, store: Path | None = None) -> Path:
    """Remember ``path`` (its absolute path and the hash of its content now) as trusted; returns the path."""
    target = Path(path).expanduser()
    target = (target if target.is_absolute() else cwd / target).resolve()
    if not target.is_file():
        raise ConfigError(target, "", "no such file (given with --trust-config)")
    store = store or trust_store_path()
    trusted = _trusted(store)
    trusted[str(target)] = content_hash(target)
    write_private_atomically(store, json.dumps(trusted, indent=1, sort_keys=True) + "\n")
    return target


def choose_config(explicit: str | None, cwd: Path, *, user_path: Path | None = None, store: Path | None = None) -> ConfigChoice:
    """The one lookup order: ``--config PATH`` (must exist), a trusted ``./config.toml``, the user config dir."""
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_absolute():
            path = cwd / path
        if path.is_dir():
            raise ConfigError(path, "", "is a directory, not a config file (given with --config)")
        if not path.is_file():
            raise ConfigError(path, "", "no such file (given with --config)")
        return ConfigChoice(path, "--config")
    notice = None
    local = cwd / CONFIG_FILENAME
    if local.is_file():
        absolute = local.resolve()
        remembered = _trusted(store or trust_store_path()).get(str(absolute))
        if remembered is not None and remembered == _hash_or_none(absolute):
            return ConfigChoice(local, "trusted")
        why = "changed since you trusted it" if remembered is not None else "not trusted"
        notice = (
            f"kojan-tui: ignoring {local} ({why}); use it with --config {local}, or trust it once with --trust-config {local}"
        )
    user = user_path or user_config_path()
    if user.is_file():
        return ConfigChoice(user, "user config dir", notice)
    return ConfigChoice(None, "defaults", notice)


def _hash_or_none(path: Path) -> str | None:
    try:
        return content_hash(path)
    except OSError:
        return None
