"""Builders and a minimal test App that does what the real app does: poll the feed, show the pane."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from textual.app import App, ComposeResult

from kojan_tui.core.config import Config
from kojan_tui.core.models import LogEvent
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.screens.logs import LogScreen
from kojan_tui.ui.widgets.log_pane import LogPane

NOW_S = 1_795_867_200.0  # 2026-11-28 12:00:00 UTC
NOW_MS = int(NOW_S * 1000)
NOW = datetime.fromtimestamp(NOW_S, UTC)  # the clock LogFeed and the screens take


def event(n: int, message: str, *, at_ms: int | None = None, stream: str = "ecs/business/task0001") -> LogEvent:
    timestamp = NOW_MS - 60_000 + n if at_ms is None else at_ms
    return LogEvent(event_id=f"ev{n:07d}", timestamp_ms=timestamp, stream=stream, message=message, ingestion_ms=timestamp)


class PaneApp(App):
    """The dashboard's role, reduced: owns the feed, mounts the pane, polls on demand."""

    def __init__(self, feed: LogFeed, *, show_stream: bool = True) -> None:
        super().__init__()
        self.feed = feed
        self.show_stream = show_stream

    def compose(self) -> ComposeResult:
        yield LogPane(self.feed, show_stream=self.show_stream, id="log-slot")


class ScreenApp(App):
    """Pushes the full-screen LogScreen over an empty screen; opens capabilities as the real app does."""

    def __init__(self, feed: LogFeed, save_dir: Path) -> None:
        super().__init__()
        self.feed = feed
        self.save_dir = save_dir
        config = Config()
        config = replace(config, service=replace(config.service, log_group=feed.log_group))
        self.services = SimpleNamespace(gateway=feed.gateway, config=config, clock=feed.clock, log_feed=feed, context=None)

    def action_open(self, name: str) -> None:
        from kojan_tui.ui.registry import CAPABILITIES

        next(c for c in CAPABILITIES if c.name == name).open(self)

    def on_mount(self) -> None:
        self.push_screen(LogScreen(self.feed, save_dir=self.save_dir))


async def poll(pilot, feed: LogFeed) -> list:
    lines = await feed.poll()
    await pilot.pause()
    return lines


class PollingPaneApp(PaneApp):
    """The integration contract in miniature: a loop awaits ``feed.poll()``, re-armed when it ends."""

    def __init__(self, feed: LogFeed, *, interval_s: float = 0.02) -> None:
        super().__init__(feed)
        self.interval_s = interval_s

    def on_mount(self) -> None:
        self.run_worker(self._poll_forever(), exclusive=False, group="log-poll")

    async def _poll_forever(self) -> None:
        import asyncio

        from kojan_tui.core.errors import AwsFailure

        while True:
            try:
                await self.feed.poll()
            except AwsFailure:
                pass  # the feed records it; the pane's status line shows it
            await asyncio.sleep(0 if self.feed.behind else self.interval_s)
