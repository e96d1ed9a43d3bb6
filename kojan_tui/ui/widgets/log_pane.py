"""The dashboard's log pane: a LogView of a feed's buffer and a one-line status under it.

The pane never calls AWS: it subscribes to the feed and re-renders when the app's poll changed it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from kojan_tui.core import livetail, log_search
from kojan_tui.core.i18n import say, tr
from kojan_tui.core.livetail import TailMode
from kojan_tui.core.logtext import make_visible, truncate
from kojan_tui.sources.logs import LogFeed
from kojan_tui.ui.widgets.log_view import LogView


def status_text(feed: LogFeed, view: LogView, language: str = "en") -> Text:
    """``filter · search 3/17 · range · following/paused · lines``, Live Tail or polling (and why), plus sampled, reconnects,
    catching-up or failure notes (plain Text)."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(tr("filter ", language), style="dim")
    text.append(make_visible(truncate(feed.pattern, 80)) if feed.pattern else tr("none", language), style="bold")
    if view.search is not None:  # the local search, early: on 80 columns its count must not be cut off
        label = log_search.status_label(view.search, view.buffer, view.cursor_index, language)
        text.append(f" · {make_visible(truncate(label, 60))}", style="bold reverse")
    text.append(f" · {say(feed.time_range.label, language)} · ")
    if view.following:
        text.append(tr("● following", language), style="bold")
    else:
        paused = tr("⏸ paused — {n} new lines — End/f to follow", language).format(n=f"{view.pending:,}")
        text.append(paused, style="reverse")
    if feed.live:  # before the line count: on 80 columns the mode matters more
        tail = feed.tail
        text.append(f" · {livetail.mode_text(tail, language)}", style="bold" if tail.mode is TailMode.LIVE else "")
        if tail.shows_sampled(time.monotonic()):
            text.append(f" · {livetail.word('sampled', language)}", style="bold")
        if tail.drops:
            text.append(f" · {livetail.word('drops', language).format(n=tail.drops)}", style="italic")
    text.append(tr(" · {n}/{most} lines", language).format(n=f"{len(feed.buffer):,}", most=f"{feed.buffer.maxlen:,}"))
    if feed.behind:
        text.append(tr(" · catching up…", language), style="italic")
    if feed.last_failure is not None:
        failure = feed.last_failure
        kind = tr(failure.kind.value, language)
        text.append(f" · ⚠ {kind}: {make_visible(truncate(failure.message, 200))}", style="bold")
    return text


class LogStatusLine(Widget):
    """One line describing what a LogView shows; styled by theme variables.

    A plain Widget (not Static): a new text repaints one line and never asks for a new layout.
    """

    DEFAULT_CSS = """
    LogStatusLine {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
        &.-paused { background: $warning 30%; }
        &.-failing { background: $error 30%; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def render(self) -> Text:
        return self._text

    def show_state(self, feed: LogFeed, view: LogView) -> None:
        self.set_class(not view.following, "-paused")
        self.set_class(feed.last_failure is not None, "-failing")
        config = getattr(self.app, "config", None)
        text = status_text(feed, view, getattr(getattr(config, "ui", None), "language", "en"))
        if text != self._text:
            self._text = text
            self.refresh()


class FollowsFeed:
    """What LogPane and LogScreen share: a LogView following a LogFeed, and a status line kept true.

    The host has ``feed``, one LogView and one LogStatusLine, and calls ``follow_feed()`` on mount.
    """

    feed: LogFeed
    _unsubscribe: Callable[[], None] | None = None

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)  # type: ignore[attr-defined]

    def follow_feed(self) -> None:
        self._unsubscribe = self.feed.subscribe(lambda _feed: self.sync())
        self.call_after_refresh(self.sync)  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def sync(self) -> None:
        """Take in whatever the feed's buffer holds now (the status line follows on LogView.Synced)."""
        self.view.sync()

    def refresh_status(self) -> None:
        self.query_one(LogStatusLine).show_state(self.feed, self.view)  # type: ignore[attr-defined]

    def on_log_view_follow_changed(self, event: LogView.FollowChanged) -> None:
        event.stop()
        self.refresh_status()

    def on_log_view_search_changed(self, event: LogView.SearchChanged) -> None:
        event.stop()
        self.refresh_status()

    def on_log_view_synced(self, event: LogView.Synced) -> None:
        event.stop()  # up to five a second under a flood: no need to bubble them up to the app
        self.refresh_status()


class LogPane(FollowsFeed, Vertical):
    """``LogPane(feed)``: the feed's lines, following or paused, with a status line. Focus it to scroll."""

    DEFAULT_CSS = """
    LogPane {
        height: 1fr;
        min-height: 4;
        & > LogView { height: 1fr; }
    }
    """

    def __init__(
        self,
        feed: LogFeed,
        *,
        show_stream: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.feed = feed
        self._show_stream = show_stream

    def compose(self) -> ComposeResult:
        view = LogView(self.feed.buffer)
        view.show_stream = self._show_stream
        yield view
        yield LogStatusLine()

    def on_mount(self) -> None:
        self.follow_feed()
