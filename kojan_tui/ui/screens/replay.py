"""Replay an incident: the same dashboard, fed the recorded frames instead of live data, stepped through time.

←/→ step one frame, Home/End jump, Esc leaves. The top line says REPLAY with the frame's time, so a
replay is never mistaken for the live screen; the log pane is empty (log lines are not recorded).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from textual.binding import Binding

from kojan_tui.core import snapshot_codec
from kojan_tui.core.alerts import AlertTracker
from kojan_tui.core.dashboard import build_view
from kojan_tui.core.i18n import N_
from kojan_tui.core.incidents import IncidentRecord
from kojan_tui.core.localtime import clock
from kojan_tui.core.response_flow import label, stage_at
from kojan_tui.core.state import DashboardState
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.screens.dashboard import DashboardScreen
from kojan_tui.ui.services import AppServices, StateChannel


def replayed_states(
    services: AppServices, number: int, frames: list[tuple[datetime, bytes]], record: IncidentRecord | None = None
) -> list[DashboardState]:
    """Each frame as the dashboard showed it: the view rebuilt, alerts tracked in order with their times, and
    the S06 stage the incident was in then (from ``record``'s timeline)."""
    tracker = AlertTracker()
    live = services.state.current.context
    states = []
    for index, (at, payload) in enumerate(frames, start=1):
        data = snapshot_codec.decode(payload)
        view = build_view(data, services.config)
        alerts = tracker.update(view.alert_inputs(), at)
        badge = f"REPLAY ER-{number:03d} · {index}/{len(frames)} · {at:%Y-%m-%d %H:%M:%S} UTC"
        if record is not None:
            stage = stage_at(record, at)
            badge += f" · S06 {stage.number}/6 {label(stage, services.config.ui.language)}"
        shown = clock(at, services.config.ui.timezone, "%H:%M:%S")  # the badge keeps the recorded UTC time
        context = replace(live, badge=badge, demo_scenario=None, clock_text=shown)
        states.append(DashboardState(data, view, alerts, context, changed="replay"))
    return states


class ReplayScreen(DashboardScreen):
    BINDINGS = [
        Binding("escape,q", "leave", N_("Back")),
        Binding("left,h", "step(-1)", N_("◀ frame")),
        Binding("right,l", "step(1)", N_("frame ▶")),
        Binding("home", "jump(0)", N_("First")),
        Binding("end", "jump(-1)", N_("Last")),
    ]

    def __init__(self, services: AppServices, states: list[DashboardState], times: list[datetime]) -> None:
        self.states, self.times, self.position = states, times, len(states) - 1
        channel = StateChannel(services.state.owner, states[-1])
        feed = LogFeed(services.gateway, services.config.service.log_group, buffer_lines=100, clock=services.clock)
        super().__init__(replace(services, state=channel, log_feed=feed, clock=lambda: self.times[self.position]))

    def action_step(self, delta: int) -> None:
        self.show_frame(self.position + delta)

    def action_jump(self, position: int) -> None:
        self.show_frame(position if position >= 0 else len(self.states) - 1)

    def show_frame(self, position: int) -> None:
        self.position = max(0, min(len(self.states) - 1, position))
        self.services.state.publish(self.states[self.position])

    def action_leave(self) -> None:
        self.dismiss(None)


async def open_replay(app, services: AppServices, number: int) -> bool:
    """Push the replay of ER-``number``; False when it has no frames."""
    frames = await services.extensions["incidents"].store.frames(number)
    if not frames:
        return False
    record = await services.extensions["incidents"].store.get(number)
    states = replayed_states(services, number, frames, record)
    app.push_screen(ReplayScreen(services, states, [at for at, _ in frames]))
    return True
