"""What a Python repr looks like in text a person reads: ``LogCount(240, complete=True)``, ``None``, ``True``."""

from __future__ import annotations

import re

PYTHON_SHAPES = re.compile(r"\b[A-Z]\w*\([^()]*=|\bNone\b|\bTrue\b|\bFalse\b|\{'|\['")


def python_shapes(text: str) -> list[str]:
    """The repr-shaped pieces of ``text`` (empty when it reads as words and numbers)."""
    return [match.group(0) for match in PYTHON_SHAPES.finditer(text)]


def assert_reads_as_words(text: str, where: str = "") -> None:
    found = python_shapes(text)
    assert not found, f"Python-shaped text {found} reaches a person{' in ' + where if where else ''}: {text!r}"
