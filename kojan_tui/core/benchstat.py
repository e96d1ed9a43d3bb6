"""What a ``benchstat`` comparison says (S15: this month's ``go test -bench`` against last month's): the rows whose
change is statistically significant, in the old (``delta``) and the new (``vs base``) output formats.

A row benchstat judges insignificant shows ``~`` and is not a change; a ``geomean`` row has no p-value and is not
one either. The unit is the table's (``sec/op``, ``B/op``, ``allocs/op``…): the header above the row names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROW = re.compile(r"^(?P<name>\S+)\s.*?\s(?P<delta>[+-]\d+(?:\.\d+)?%)\s+\(p=(?P<p>[0-9.]+)")
_UNIT = re.compile(r"(?<![\w/])([A-Za-z]+/(?:op|s))\b")


@dataclass(frozen=True)
class Change:
    name: str  # the benchmark: ``BenchmarkGetPosts-8`` or ``GetPosts-8``
    unit: str  # ``sec/op``, ``time/op``, ``B/op``, ``allocs/op``… ("" when no header named it)
    delta: float  # percent, + is more of the unit
    p: float

    @property
    def text(self) -> str:
        unit = f" ({self.unit})" if self.unit else ""
        return f"{self.delta:+.2f}% {self.name}{unit}"


def significant_changes(text: str) -> list[Change]:
    """Every significant row of a benchstat output, in order."""
    changes: list[Change] = []
    unit = ""
    for line in text.splitlines():
        row = _ROW.match(line.strip())
        if row is None:
            found = _UNIT.findall(line)
            if found:
                unit = found[-1]
            continue
        try:
            delta, p = float(row["delta"].rstrip("%")), float(row["p"])
        except ValueError:
            continue
        changes.append(Change(row["name"], unit, delta, p))
    return changes


def largest(changes: list[Change]) -> Change | None:
    return max(changes, key=lambda c: abs(c.delta), default=None)
