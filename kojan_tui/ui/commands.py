"""The command palette's kojan commands: every screen and action of the app, from ``app.palette_commands()``.

Titles and help come from files (user runbooks) and are shown literally: never parsed as markup.
"""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from kojan_tui.core.logtext import make_visible


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


class KojanCommands(Provider):
    """Lists what ``app.palette_commands()`` returns: (title, help, callback) triples."""

    def _commands(self):
        commands = getattr(self.app, "palette_commands", None)
        return commands() if commands else []

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(
                Content(make_visible(title)),
                callback,
                text=title,
                help=escape(make_visible(help_text)) if help_text else help_text,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                help_shown = escape(make_visible(help_text)) if help_text else help_text
                yield Hit(score, literal_highlight(matcher, title), callback, text=title, help=help_shown)
