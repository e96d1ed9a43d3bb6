"""The command palette's kojan commands: every screen and action of the app, from ``app.palette_commands()``."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider


class KojanCommands(Provider):
    """Lists what ``app.palette_commands()`` returns: (title, help, callback) triples."""

    def _commands(self):
        commands = getattr(self.app, "palette_commands", None)
        return commands() if commands else []

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
