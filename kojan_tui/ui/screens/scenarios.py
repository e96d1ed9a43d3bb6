"""Demo only: switch the embedded AWS's scenario (key ``s``, or ``Demo scenario: <name>`` in the palette)."""

from __future__ import annotations

from functools import partial

from kojan_tui.ui.capabilities import Capability, PaletteCommand


def pick_scenario(app) -> None:
    app.search_commands(
        [(f"{s.name} — {s.description}", partial(app.switch_scenario, s.name)) for s in app.demo.scenarios()],
        placeholder="Demo scenario…",
    )


DEMO_SCENARIOS = Capability(
    name="scenario",
    description="Scenario",
    key="s",
    tooltip="demo only: switch the embedded AWS scenario",
    open=pick_scenario,
    enabled=lambda app: app.demo is not None,
    commands=lambda app: [
        PaletteCommand(f"Demo scenario: {s.name}", s.description, partial(app.switch_scenario, s.name))
        for s in app.demo.scenarios()
    ],
)
