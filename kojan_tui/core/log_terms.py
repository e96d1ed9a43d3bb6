"""Several log counts from one FilterLogEvents scan: each count is a literal term over its own window, the
scan asks for any of the terms over the widest window, and each line returned is counted client-side for
every term it holds whose window it falls in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

_PLAIN_TERM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


@dataclass(frozen=True)
class TermWindow:
    """Lines holding ``term`` (case-sensitive, anywhere in the line, as CloudWatch matches a term) with a
    timestamp in [``start_ms``, the scan's end]."""

    term: str
    start_ms: int

    def __post_init__(self) -> None:
        if not self.term or '"' in self.term:
            raise ValueError(f"a log term must be non-empty and hold no double quote: {self.term!r}")


def quoted(term: str) -> str:
    """A term as a filter-pattern term: bare when it is one word, in double quotes otherwise."""
    return term if set(term) <= _PLAIN_TERM else f'"{term}"'


def any_term_pattern(windows: Mapping[str, TermWindow]) -> str:
    """The filter pattern that matches a line holding any of the terms (``?ERROR ?"database connection"``)."""
    terms = list(dict.fromkeys(w.term for w in windows.values()))
    if len(terms) == 1:
        return quoted(terms[0])
    return " ".join(f"?{quoted(t)}" for t in terms)


def widest_start_ms(windows: Mapping[str, TermWindow]) -> int:
    return min(w.start_ms for w in windows.values())


def tally(counts: dict[str, int], windows: Mapping[str, TermWindow], timestamp_ms: int, message: str) -> None:
    """Count one scanned line for every window it belongs to."""
    for key, window in windows.items():
        if timestamp_ms >= window.start_ms and window.term in message:
            counts[key] += 1
