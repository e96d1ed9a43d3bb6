"""Issue 26: each environment's colour and badge, the same on the fleet screen and the context bar."""

from __future__ import annotations

from rich.text import Text

from kojan_tui.core.fleet_config import PRODUCTION


def environment_style(environment: str) -> str:
    """Production is red on every screen (k9s paints prod contexts for a reason); staging yellow; others blue."""
    if environment == PRODUCTION:
        return "bold white on red"
    if environment.startswith("stag"):
        return "bold black on yellow"
    return "bold white on blue"


def environment_badge(environment: str) -> Text:
    return Text(f" {environment.upper()} ", style=environment_style(environment))
