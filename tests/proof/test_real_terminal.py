"""The installed ``kojan-tui --demo`` in a real pseudo-terminal: the dashboard appears, a live scenario
switch turns the right panel red, ``q`` leaves no process behind, and a vanished terminal ends the app."""

from __future__ import annotations

import re

from tests.proof.terminal import KOJAN_TUI, Terminal, gone

DASHBOARD = ("ALB 5XX rate", "ECS CPU", "RDS storage used", "kojan-map-business")


def dashboard_shown(screen: str) -> bool:
    return all(title in screen for title in DASHBOARD) and "OK" in screen


def panel_in_alert(screen: str, title: str) -> bool:
    """The panel's title and ``✖ ALERT`` on the same screen row or the next few rows below it."""
    rows = screen.splitlines()
    for index, row in enumerate(rows):
        if title in row:
            column = row.index(title)
            for below in rows[index : index + 4]:
                alert = [m.start() for m in re.finditer("✖ ALERT", below)]
                if any(abs(at - column) < 40 for at in alert):
                    return True
    return False


def demo_servers(processes) -> list:
    return [p for p in processes if "kojan_tui.demo.server" in " ".join(p.cmdline())]


def test_dashboard_scenario_switch_and_quit_leave_nothing_behind(tmp_path):
    assert KOJAN_TUI.exists(), f"{KOJAN_TUI}: install the package (./dev.sh sets it up)"
    terminal = Terminal(["--demo"], cwd=tmp_path)
    try:
        screen = terminal.wait_for(dashboard_shown, "the dashboard")
        assert not panel_in_alert(screen, "ALB 5XX rate")
        processes = terminal.processes()
        assert demo_servers(processes), [p.cmdline() for p in processes]

        terminal.keys("s")
        terminal.wait_for(lambda s: "db-outage" in s, "the scenario picker")
        terminal.keys("db-outage", "Enter")
        terminal.wait_for(lambda s: panel_in_alert(s, "ALB 5XX rate"), "ALB 5XX rate in ✖ ALERT after the switch")

        terminal.keys("q")
        assert gone(processes, timeout=20) == [], "processes left after q"
    finally:
        terminal.close()


def test_the_app_exits_when_its_terminal_goes_away(tmp_path):
    terminal = Terminal(["--demo"], cwd=tmp_path)
    try:
        terminal.wait_for(dashboard_shown, "the dashboard")
        processes = terminal.processes()
        terminal.hang_up()
        left = gone(processes, timeout=20)
        assert left == [], (
            f"still running after the terminal went away: {[(p.pid, p.cmdline(), p.cpu_percent(0.5)) for p in left]}"
        )
    finally:
        terminal.close()
