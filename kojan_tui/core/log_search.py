"""Local search in the buffered log lines, as in less: one query, the matching lines found in bounded steps as
lines arrive and fall off, ``n``/``N`` with wrap-around, and the spans to highlight in the text a row shows.

A query is plain text (case-insensitive unless it holds a capital letter: vim's and less's smartcase), or a
regular expression written ``/like this/``. Matching is on each line's raw text; highlights on what is shown.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from time import perf_counter

from kojan_tui.core.i18n import N_, tr
from kojan_tui.core.logbuffer import LogBuffer

MAX_QUERY_CHARS = 500
REGEX_SCAN_CHARS = 64 * 1024  # a regular expression looks at this much of each line (plain text: all of it)
STEP_LINES = 256  # lines between two looks at the clock…
STEP_CHARS = 512 * 1024  # …or characters, whichever comes first
STEP_BUDGET_S = 0.008  # one step's work: the UI's loop gets the rest
MAX_SPANS = 64  # highlights in one row

MESSAGES = {  # what a search says, by key (shown through ``tr``; the screen formats the placeholders)
    "empty": N_("type something to search for"),
    "long": N_("a search is at most {n} characters"),
    "bad-regex": N_("not a valid regular expression: {error}"),
    "nested": N_("a repetition inside a repetition (like (a+)+) can take minutes on one line: write it without"),
    "searching": N_("searching… {n}"),
    "no-match": N_("no match"),
    "wrapped-top": N_("search hit BOTTOM, continuing at TOP"),
    "wrapped-bottom": N_("search hit TOP, continuing at BOTTOM"),
    "none": N_("no buffered line matches {q} (the server-side filter is / )"),
    "no-search": N_("no search yet: ctrl+f searches the buffered lines"),
}


def word(key: str, language: str) -> str:
    """The message ``key`` in ``language`` (kept for the log screen, which names its messages by key)."""
    return tr(MESSAGES[key], language)


class SearchError(ValueError):
    """A query that cannot be searched for; ``key`` and ``values`` say why in either language."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(word(key, "en").format(**values))
        self.key = key
        self.values = values

    def text(self, language: str) -> str:
        return word(self.key, language).format(**self.values)


@dataclass(frozen=True)
class SearchQuery:
    """What the user typed, compiled once. ``matches(raw)`` tests a line; ``spans(shown)`` finds the highlights."""

    typed: str
    regex: bool
    ignore_case: bool
    pattern: re.Pattern[str] = field(repr=False, compare=False)
    needle: str = field(repr=False, compare=False)  # plain text, lower-cased when ignoring case

    def matches(self, raw: str) -> bool:
        if self.regex:
            return self.pattern.search(raw, 0, REGEX_SCAN_CHARS) is not None
        if self.ignore_case:
            return self.needle in raw.lower()  # about 7 times faster than re.IGNORECASE (benchmarks/bench_logs.py)
        return self.needle in raw

    def spans(self, shown: str) -> list[tuple[int, int]]:
        """Where the query occurs in ``shown`` (a row's text as painted), non-empty and in order."""
        out: list[tuple[int, int]] = []
        for match in self.pattern.finditer(shown):
            if match.end() > match.start():
                out.append(match.span())
                if len(out) == MAX_SPANS:
                    break
        return out


def _has_capital(text: str) -> bool:
    return any(char.isupper() for char in text)


def parse_query(typed: str) -> SearchQuery:
    """``timeout`` (plain, smartcase) or ``/time.?out/`` (a regular expression); SearchError when neither works."""
    text = typed.rstrip("\r\n")
    if not text.strip():
        raise SearchError("empty")
    if len(text) > MAX_QUERY_CHARS:
        raise SearchError("long", n=MAX_QUERY_CHARS)
    if len(text) >= 3 and text.startswith("/") and text.endswith("/"):
        body = text[1:-1]
        ignore_case = not _has_capital(re.sub(r"\\.", "", body))  # \S or \W is not a capital letter
        try:
            pattern = re.compile(body, re.IGNORECASE if ignore_case else 0)
        except (re.error, RecursionError, OverflowError) as error:
            raise SearchError("bad-regex", error=str(error)) from None
        if _nested_repeat(body):
            raise SearchError("nested")
        return SearchQuery(text, True, ignore_case, pattern, body)
    ignore_case = not _has_capital(text)
    pattern = re.compile(re.escape(text), re.IGNORECASE if ignore_case else 0)
    return SearchQuery(text, False, ignore_case, pattern, text.lower() if ignore_case else text)


def _nested_repeat(body: str) -> bool:
    """The expression repeats something that itself repeats (``(a+)+``, ``(\\w*)*``): the classic slow backtrack."""
    try:
        from re import _parser  # type: ignore[attr-defined]  # CPython's own parser: the tree re.compile built

        tree = _parser.parse(body)
    except Exception:  # noqa: BLE001 - no parser, no check (the expression compiled already)
        return False
    repeats = {_parser.MAX_REPEAT, _parser.MIN_REPEAT, getattr(_parser, "POSSESSIVE_REPEAT", None)}

    def walk(items, inside_repeat: bool) -> bool:
        for op, value in items:
            if op in repeats:
                low, high, sub = value
                repeating = high is _parser.MAXREPEAT or high > 1
                if inside_repeat and (high is _parser.MAXREPEAT or high != low):  # a{2} inside * is harmless
                    return True
                    return True
                if walk(sub, inside_repeat or repeating):
                    return True
            elif op is _parser.SUBPATTERN:
                if walk(value[-1], inside_repeat):
                    return True
            elif op is _parser.BRANCH:
                if any(walk(branch, inside_repeat) for branch in value[1]):
                    return True
            elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
                if walk(value[1], inside_repeat):
                    return True
        return False

    return walk(tree, False)


class LineMatches:
    """The absolute indexes of a buffer's lines matching ``query``, ascending, kept true as the buffer changes.

    ``step()`` scans what it has not seen yet (a new buffer generation starts over, evicted lines drop out) for
    about ``STEP_BUDGET_S`` and says whether it caught up; call it again later until it does.
    """

    def __init__(self, query: SearchQuery) -> None:
        self.query = query
        self.indexes: list[int] = []
        self.scanned = 0  # the next absolute index to look at
        self.generation: int | None = None

    def step(self, buffer: LogBuffer, budget_s: float = STEP_BUDGET_S, clock: Callable[[], float] = perf_counter) -> bool:
        if buffer.generation != self.generation:
            self.generation, self.indexes, self.scanned = buffer.generation, [], buffer.first_index
        self.prune(buffer)
        self.scanned = max(self.scanned, buffer.first_index)
        deadline = clock() + budget_s
        matches, found = self.query.matches, self.indexes
        while self.scanned < buffer.appended:
            start = self.scanned
            texts = buffer.raw_texts(start, STEP_LINES)
            if not texts:
                break
            chars = 0
            for offset, raw in enumerate(texts):  # lines of 1 MB: the clock is read every STEP_CHARS too
                if matches(raw):
                    found.append(start + offset)
                chars += len(raw)
                if chars >= STEP_CHARS:
                    texts = texts[: offset + 1]
                    break
            self.scanned = start + len(texts)
            if clock() >= deadline:
                break
        return self.scanned >= buffer.appended

    def prune(self, buffer: LogBuffer) -> None:
        cut = bisect_left(self.indexes, buffer.first_index)
        if cut:
            del self.indexes[:cut]

    def caught_up(self, buffer: LogBuffer) -> bool:
        return self.generation == buffer.generation and self.scanned >= buffer.appended

    def __len__(self) -> int:
        return len(self.indexes)

    def position(self, index: int | None) -> int | None:
        """1-based place of line ``index`` among the matches, None when it is not one."""
        if index is None:
            return None
        at = bisect_left(self.indexes, index)
        return at + 1 if at < len(self.indexes) and self.indexes[at] == index else None

    def newest_at_or_before(self, index: int) -> int | None:
        """The first jump: the newest match at or above ``index`` (the latest occurrence), else the newest of all."""
        at = bisect_right(self.indexes, index)
        if at:
            return self.indexes[at - 1]
        return self.indexes[-1] if self.indexes else None

    def next_from(self, index: int, forward: bool) -> tuple[int, bool] | None:
        """The match after (``forward``: newer) or before ``index`` and whether the search wrapped around."""
        if not self.indexes:
            return None
        if forward:
            at = bisect_right(self.indexes, index)
            return (self.indexes[at], False) if at < len(self.indexes) else (self.indexes[0], True)
        at = bisect_left(self.indexes, index)
        return (self.indexes[at - 1], False) if at > 0 else (self.indexes[-1], True)


def status_label(matches: LineMatches, buffer: LogBuffer, cursor: int | None, language: str) -> str:
    """``search "timeout" 3/17`` (the cursor on the 3rd of 17 matches), ``-/17``, ``no match`` or ``searching…``."""
    head = tr("search {query}", language).format(query=matches.query.typed)
    if not matches.caught_up(buffer):
        return f"{head} {word('searching', language).format(n=f'{len(matches):,}')}"
    if not matches.indexes:
        return f"{head} {word('no-match', language)}"
    position = matches.position(cursor)
    return f"{head} {position if position is not None else '-'}/{len(matches):,}"
