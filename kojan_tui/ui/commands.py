"""The command palette's kojan commands: every screen and action of the app, from ``app.palette_commands()``.

A command is found by its title, and by its keywords: its title in the other language, an id (``s07``), the
English or Japanese words of what it opens. A command that opens a runbook or checklist is found by the
procedure's id and guide item and by its title in both languages (``runbook auth``, ``認証``, ``s07``).

Titles and help come from files (user runbooks) and are shown literally: never parsed as markup.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from kojan_tui.core.i18n import english_of, tr
from kojan_tui.core.logtext import make_visible
from kojan_tui.procedures.models import Kind, Procedure

KIND_WORDS = {Kind.RUNBOOK: "Runbook runbook ランブック 手順書", Kind.CHECKLIST: "Checklist checklist チェックリスト"}


def literal_highlight(matcher: Matcher, title: str) -> Content:
    """``title`` as plain content with the query's fuzzy match highlighted (Textual's own ``highlight`` parses
    the title as markup: ``x [/] [bold]y`` would break the palette)."""
    title = make_visible(title)  # one character for one: the match offsets still fit
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if score:
        for offset in offsets:
            if offset < len(title) and not title[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def procedure_of(callback: Any) -> Procedure | None:
    """The procedure a palette command opens (``partial(open_procedure, app, screen, procedure)``), if any."""
    if isinstance(callback, partial):
        return next((arg for arg in callback.args if isinstance(arg, Procedure)), None)
    return None


def procedure_keywords(procedure: Procedure, others: list[Procedure]) -> str:
    """Its id, guide item, kind and titles in every language it exists in (``others``: the same id's versions)."""
    titles = {p.title for p in (procedure, *others)} | {p.symptom for p in (procedure, *others) if p.symptom}
    return " ".join((procedure.id, procedure.guide_item, KIND_WORDS.get(procedure.kind, ""), *sorted(titles)))


def both_languages(text: str) -> str:
    """``text`` and its other-language form when the catalog knows it (English → Japanese, Japanese → English)."""
    forms = {text, tr(text, "ja"), english_of(text)}
    forms.discard(text)
    return " ".join(sorted(forms))


class KojanCommands(Provider):
    """Lists what ``app.palette_commands()`` returns: (title, help, callback[, keywords]) tuples."""

    def _commands(self):
        commands = getattr(self.app, "palette_commands", None)
        return commands() if commands else []

    def _search_text(self, command: Any) -> str:
        title, keywords = command[0], getattr(command, "keywords", "")
        extra = [keywords, both_languages(title)]
        procedure = procedure_of(command[2])
        if procedure is not None:
            extra.append(procedure_keywords(procedure, self._versions(procedure)))
        return " · ".join(part for part in (title, *extra) if part)

    def _versions(self, procedure: Procedure) -> list[Procedure]:
        library = getattr(getattr(self.app, "services", None), "extensions", {}).get("procedures")
        loaded = getattr(library, "procedures", None) or ()
        return [p for p in loaded if p.id == procedure.id and p is not procedure]

    async def discover(self) -> Hits:
        for command in self._commands():
            title, help_text, callback = command[0], command[1], command[2]
            yield DiscoveryHit(
                Content(make_visible(title)),
                callback,
                text=title,
                help=escape(make_visible(help_text)) if help_text else help_text,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            title, help_text, callback = command[0], command[1], command[2]
            score = max(matcher.match(title), self._keyword_score(matcher, query, command))
            if score > 0:
                help_shown = escape(make_visible(help_text)) if help_text else help_text
                yield Hit(score, literal_highlight(matcher, title), callback, text=title, help=help_shown)

    def _keyword_score(self, matcher: Matcher, query: str, command: Any) -> float:
        """Every word of the query found in the title or keywords (``runbook auth``: two words, two places);
        a little below a match on the title alone, so those come first."""
        text = self._search_text(command).lower()
        words = query.lower().split()
        if not words or not all(word in text for word in words):
            return 0.0
        return 0.9 * max(matcher.match(text), 1.0)
