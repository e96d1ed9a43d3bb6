"""Demo only: switch the embedded AWS's scenario (key ``s``, or ``Demo scenario: <name>`` in the palette)."""

from __future__ import annotations

from functools import partial

from textual.command import CommandPalette, Hit, Hits, SimpleProvider

from kojan_tui.core.i18n import N_, tr
from kojan_tui.ui.capabilities import Capability, PaletteCommand
from kojan_tui.ui.screens.speaks import language_of

NAME_END = " — "  # a command reads "<name> — <description>"
EXACT_SCORE = 1e9  # above any fuzzy score (Textual's are not bounded by 1: "db-outage" scores 10.5 for "outage")


class ExactNameFirst(SimpleProvider):
    """Fuzzy search whose exact name match comes first: typing ``outage`` picks ``outage``, not ``db-outage``."""

    async def search(self, query: str) -> Hits:
        wanted = query.strip().casefold()

        matcher = self.matcher(query)
        for name, callback, help_text in self._commands:
            score = matcher.match(name)
            if name.split(NAME_END, 1)[0].casefold() == wanted:
                score = EXACT_SCORE
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def pick_scenario(app) -> None:
    commands = [(f"{s.name}{NAME_END}{s.description}", partial(app.switch_scenario, s.name)) for s in app.demo.scenarios()]
    app.push_screen(
        CommandPalette(providers=[ExactNameFirst(app.screen, commands)], placeholder=tr("Demo scenario…", language_of(app)))
    )


DEMO_SCENARIOS = Capability(
    name="scenario",
    description=N_("Scenario"),
    key="s",
    tooltip=N_("demo only: switch the embedded AWS scenario"),
    open=pick_scenario,
    enabled=lambda app: app.demo is not None,
    commands=lambda app: [
        # the palette's titles stay English (its search in both languages is commands.py's)
        PaletteCommand(f"Demo scenario: {s.name}", s.description, partial(app.switch_scenario, s.name))
        for s in app.demo.scenarios()
    ],
)
