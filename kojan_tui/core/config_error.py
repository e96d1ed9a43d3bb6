"""A config mistake, told in one line (a leaf, so that every part of the config's reading can raise it)."""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A config mistake, told in one line: the file, the line when known, the dotted key, what is wrong."""

    def __init__(self, path: str | Path, key: str, message: str, *, line: int | None = None, subject: str | None = None) -> None:
        super().__init__(message)
        self.path = str(path)
        self.key = key  # dotted, e.g. "thresholds.ecs_cpu_percent.warn"; "" for a TOML syntax error
        self.message = message
        self.line = line
        self.subject = key if subject is None else subject  # what the line names (a table for warn/alert)

    def __str__(self) -> str:
        where = f"config error in {self.path}" + (f", line {self.line}" if self.line else "")
        return f"{where}: {self.subject}: {self.message}" if self.subject else f"{where}: {self.message}"
