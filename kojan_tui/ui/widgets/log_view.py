"""A virtual, follow-or-pause view of a LogBuffer: renders only the visible lines, as plain text.

Nothing in a line is interpreted: no markup, no ANSI; control characters are shown as stand-ins.
Scrolling up (or moving the cursor) pauses; End or ``f`` follows again. ``j`` shows raw lines.
A local search (``set_search``) highlights its matches in the rows shown and jumps the cursor between them.
"""

from __future__ import annotations

import logging
from time import monotonic

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from kojan_tui.core.i18n import N_
from kojan_tui.core.log_search import LineMatches, SearchQuery
from kojan_tui.core.logbuffer import FollowState, LogBuffer
from kojan_tui.core.loglines import LogLine, Severity
from kojan_tui.ui.widgets.log_row import clock_text, fit_message, literal_row, stream_tag

_log = logging.getLogger(__name__)
UNRENDERABLE_MEMORY = 1000  # lines remembered as already reported

_LEVEL_LABEL = {
    Severity.ERROR: "ERROR", Severity.WARN: "WARN ", Severity.INFO: "INFO ",
    Severity.DEBUG: "DEBUG", Severity.UNKNOWN: "     ",
}  # fmt: skip
_STATUS_CLASS = {2: "log-view--status-2xx", 3: "log-view--status-3xx", 4: "log-view--status-4xx", 5: "log-view--status-5xx"}
_LEVEL_CLASS = {
    Severity.ERROR: "log-view--error", Severity.WARN: "log-view--warn",
    Severity.INFO: "log-view--info", Severity.DEBUG: "log-view--debug",
}  # fmt: skip


class LogView(ScrollView, can_focus=True):
    """Shows a LogBuffer given to it; call ``sync()`` after the buffer changed."""

    COMPONENT_CLASSES = {
        "log-view--time",
        "log-view--stream",
        "log-view--error",
        "log-view--warn",
        "log-view--info",
        "log-view--debug",
        "log-view--status-2xx",
        "log-view--status-3xx",
        "log-view--status-4xx",
        "log-view--status-5xx",
        "log-view--cursor",
        "log-view--match",
    }

    DEFAULT_CSS = """
    LogView {
        background: $surface;
        color: $text;
        overflow-x: hidden;
        overflow-y: scroll;
        & > .log-view--time { color: $text-muted; }
        & > .log-view--stream { color: $secondary; }
        & > .log-view--error { color: $error; text-style: bold; }
        & > .log-view--warn { color: $warning; }
        & > .log-view--info { color: $primary; }
        & > .log-view--debug { color: $text-muted; }
        & > .log-view--status-2xx { color: $success; }
        & > .log-view--status-3xx { color: $primary; }
        & > .log-view--status-4xx { color: $warning; }
        & > .log-view--status-5xx { color: $error; text-style: bold; }
        & > .log-view--cursor { background: $primary 35%; }
        & > .log-view--match { background: $warning 70%; color: $text; text-style: bold; }
        /* focus shown on the scrollbar, not with background-tint: a tint filters every cell of every frame */
        &:focus { scrollbar-color: $primary; }
    }
    """

    BINDINGS = [
        Binding("up", "cursor_up", N_("Up"), show=False),
        Binding("down", "cursor_down", N_("Down"), show=False),
        Binding("pageup", "page_up", N_("Page up"), show=False),
        Binding("pagedown", "page_down", N_("Page down"), show=False),
        Binding("home", "top", N_("Top"), show=False),
        Binding("end", "follow", N_("Follow")),
        Binding("f", "toggle_follow", N_("Follow/pause")),
        Binding("j", "toggle_raw", N_("Raw/readable")),
        Binding("enter", "select_line", N_("Details"), show=False),
    ]

    sync_interval = 0.2  # seconds: at most 5 repaints a second for incoming lines (keys stay < 50 ms p99 under a flood)

    raw_mode: var[bool] = var(False)
    show_stream: var[bool] = var(True)

    class FollowChanged(Message):
        """Following started or stopped (by the user scrolling, End, ``f``)."""

        def __init__(self, view: LogView, following: bool) -> None:
            super().__init__()
            self.view = view
            self.following = following

        @property
        def control(self) -> LogView:
            return self.view

    class LineSelected(Message):
        """Enter on a line (the cursor's, else the newest): the screen may show it in full."""

        def __init__(self, view: LogView, line: LogLine) -> None:
            super().__init__()
            self.view = view
            self.line = line

        @property
        def control(self) -> LogView:
            return self.view

    class SearchChanged(Message):
        """The search found more, caught up, or jumped; ``outcome`` of a jump: ``found``, ``wrapped-top``,
        ``wrapped-bottom`` or ``none`` (no line matches); None when only the count changed."""

        def __init__(self, view: LogView, outcome: str | None = None) -> None:
            super().__init__()
            self.view = view
            self.outcome = outcome

        @property
        def control(self) -> LogView:
            return self.view

    class Synced(Message):
        """New lines were taken in (after throttling): status lines can refresh their counts."""

        def __init__(self, view: LogView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> LogView:
            return self.view

    def __init__(self, buffer: LogBuffer, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.buffer = buffer
        self.follow_state = FollowState()
        self.cursor_index: int | None = None  # absolute index into the buffer
        self._first_seen = buffer.first_index
        self._generation = buffer.generation
        self._last_sync = 0.0
        self._sync_timer: Timer | None = None
        self._strips: LRUCache[tuple[int, int, bool], Strip] = LRUCache(160)
        self._styles: dict[str, Style] = {}
        self._unrenderable: set[tuple[str, int, int]] = set()
        self._base: Style | None = None
        self._combined: dict[tuple[str | None, str | None], Style] = {}
        self.search: LineMatches | None = None
        self._search_timer: Timer | None = None
        self._jump_pending = False  # the first jump waits for the scan to catch up

    # -- state ----------------------------------------------------------------------------------

    @property
    def following(self) -> bool:
        return self.follow_state.following

    @property
    def pending(self) -> int:
        """Lines that arrived since the view paused."""
        return self.follow_state.pending(self.buffer.appended)

    @property
    def top_index(self) -> int:
        return self.buffer.first_index + self.scroll_offset.y

    def cursor_line(self) -> LogLine | None:
        """The selected line, else the newest one."""
        if self.cursor_index is not None:
            line = self.buffer.at(self.cursor_index)
            if line is not None:
                return line
        return self.buffer.at(self.buffer.appended - 1)

    def visible_lines(self) -> list[LogLine]:
        return self.buffer.window(self.top_index, self.size.height)

    def sync(self) -> None:
        """The buffer changed: take the new lines in (O(1), whatever arrived).

        Applied at most every ``sync_interval`` seconds: a flood of small polls costs one repaint
        per interval, which keeps keys responsive; the last change is never lost (a timer applies it).
        """
        now = monotonic()
        wait = self.sync_interval - (now - self._last_sync)
        if wait <= 0:
            self._apply_sync()
        elif self._sync_timer is None:
            self._sync_timer = self.set_timer(wait, self._apply_sync)

    def _apply_sync(self) -> None:
        self._last_sync = monotonic()
        if self._sync_timer is not None:
            self._sync_timer.stop()
            self._sync_timer = None
        if self.buffer.generation != self._generation:  # a new filter or range: start over, following
            self._generation = self.buffer.generation
            self._strips.clear()
            self.cursor_index = None
            self._first_seen = self.buffer.first_index
            if not self.following:
                self.follow_state.follow()
                self.post_message(self.FollowChanged(self, True))
        evicted = self.buffer.first_index - self._first_seen
        self._first_seen = self.buffer.first_index
        self._set_virtual_size(Size(self.scrollable_content_region.width, len(self.buffer)))
        if self.following:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        elif evicted > 0:  # keep the same lines under the reader's eyes while older ones fall off
            if self.scroll_offset.y >= evicted:
                self._shift_silently(self.scroll_offset.y - evicted)
                self.post_message(self.Synced(self))
                self._scan_soon()
                return
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Synced(self))
        self._scan_soon()

    def _set_virtual_size(self, size: Size) -> None:
        """The buffer's new length, without a layout of the whole screen when the view's own size cannot change.

        Textual asks for a layout on any ``virtual_size`` change (a reflow of every widget: most of the idle
        app's CPU when lines arrive every few seconds). With the vertical scrollbar always there (overflow-y
        scroll), no horizontal one and a height that does not follow the content, the lines change only the
        scrollbar and the scroll bounds: those are updated here, as a layout would have done."""
        if size == self.virtual_size:
            return
        styles = self.styles
        height = styles.height
        if styles.overflow_y != "scroll" or styles.overflow_x != "hidden" or height is None or height.is_auto:
            self.virtual_size = size  # the content may change the view's size or scrollbars: Textual's layout
            return
        self.set_reactive(LogView.virtual_size, size)
        self._scroll_update(size)  # scrollbar thumb and scroll bounds, as after a layout

    def _shift_silently(self, y: int) -> None:
        """Move the scroll offset with the lines: what is on screen is unchanged, so skip the repaint."""
        self.set_reactive(LogView.scroll_y, y)
        self.set_reactive(LogView.scroll_target_y, y)
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.position = y

    def follow(self) -> None:
        was = self.following
        self.follow_state.follow()
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        if not was:
            self.post_message(self.FollowChanged(self, True))

    def pause(self) -> None:
        was = self.following
        self.follow_state.pause(self.buffer.appended)
        if was:
            self.post_message(self.FollowChanged(self, False))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.following and new_value < old_value and new_value < self.max_scroll_y:
            self.pause()
        elif not self.following and new_value > old_value and new_value >= self.max_scroll_y:
            self.follow()

    def watch_raw_mode(self) -> None:
        self._strips.clear()
        self.refresh()

    def watch_show_stream(self) -> None:
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._base = None
        self._combined.clear()
        self._strips.clear()

    # -- local search ---------------------------------------------------------------------------

    def set_search(self, query: SearchQuery | None, *, jump: bool = True) -> None:
        """Search the buffered lines for ``query`` (None: no search); with ``jump``, go to the newest match."""
        self.search = LineMatches(query) if query is not None else None
        self._jump_pending = jump and query is not None
        self._strips.clear()
        self.refresh()
        self._scan_soon()
        self.post_message(self.SearchChanged(self))

    def _scan_soon(self) -> None:
        if self.search is not None and self._search_timer is None and not self.search.caught_up(self.buffer):
            self._search_timer = self.set_timer(0.001, self._scan_step)
        elif self.search is not None and self._jump_pending:
            self._jump_pending = False
            self.jump_to_match(None)

    def _scan_step(self) -> None:
        """About ``STEP_BUDGET_S`` of scanning, then the UI's loop runs again (a full buffer takes a few steps)."""
        self._search_timer = None
        search = self.search
        if search is None:
            return
        before = len(search)
        done = search.step(self.buffer)
        if len(search) != before:
            self._strips.clear()
            self.refresh()
        if not done:
            self._search_timer = self.set_timer(0.001, self._scan_step)
            self.post_message(self.SearchChanged(self))
        elif self._jump_pending:
            self._jump_pending = False
            self.jump_to_match(None)
        else:
            self.post_message(self.SearchChanged(self))

    def _reference_index(self) -> int:
        """Where a jump starts: the cursor's line, else the bottom line on screen."""
        if self.cursor_index is not None and self.buffer.holds(self.cursor_index):
            return self.cursor_index
        if self.following:
            return self.buffer.appended - 1
        return min(self.buffer.appended - 1, self.top_index + max(1, self.size.height) - 1)

    def jump_to_match(self, forward: bool | None) -> str:
        """Move the cursor to the next (``forward``: newer), previous, or (None) newest match at or above the
        cursor; following stops. Returns (and posts in SearchChanged) ``found``, ``wrapped-…`` or ``none``."""
        search = self.search
        if search is None:
            return "none"
        if not search.caught_up(self.buffer):
            search.step(self.buffer, budget_s=0.02)  # a key press may finish a scan the timer had not (bounded)
        search.prune(self.buffer)
        reference = self._reference_index()
        if forward is None:
            target = search.newest_at_or_before(reference)
            outcome = "found" if target is not None else "none"
        else:
            step = search.next_from(reference, forward)
            if step is None:
                target, outcome = None, "none"
            else:
                target, wrapped = step
                outcome = ("wrapped-top" if forward else "wrapped-bottom") if wrapped else "found"
        if target is not None:
            self.pause()
            self._set_cursor(target)
        self.post_message(self.SearchChanged(self, outcome))
        return outcome

    # -- actions --------------------------------------------------------------------------------

    def _move_cursor(self, delta: int) -> None:
        if not len(self.buffer):
            return
        last = self.buffer.appended - 1
        height = max(1, self.size.height)
        if self.cursor_index is None or self.buffer.at(self.cursor_index) is None:
            start = min(last, self.top_index + height - 1)
        else:
            start = self.cursor_index
        target = min(last, max(self.buffer.first_index, start + delta))
        if delta < 0 or target < last:
            self.pause()
        self._set_cursor(target)

    def _set_cursor(self, index: int) -> None:
        old, self.cursor_index = self.cursor_index, index
        for changed in (old, index):  # only the two rows repaint, unless the view scrolls
            if changed is not None:
                self.refresh_lines(changed - self.buffer.first_index)
        row = index - self.buffer.first_index
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True, force=True)

    def action_cursor_up(self) -> None:
        self._move_cursor(-1)

    def action_cursor_down(self) -> None:
        self._move_cursor(1)

    def action_page_up(self) -> None:
        self._move_cursor(-max(1, self.size.height - 1))

    def action_page_down(self) -> None:
        self._move_cursor(max(1, self.size.height - 1))

    def action_top(self) -> None:
        self.pause()
        if len(self.buffer):
            self._set_cursor(self.buffer.first_index)
        self.scroll_home(animate=False, immediate=True)

    def action_follow(self) -> None:
        self.cursor_index = None
        self.follow()
        self.refresh()

    def action_toggle_follow(self) -> None:
        if self.following:
            self.pause()
        else:
            self.action_follow()

    def action_toggle_raw(self) -> None:
        self.raw_mode = not self.raw_mode

    def action_select_line(self) -> None:
        line = self.cursor_line()
        if line is not None:
            self.post_message(self.LineSelected(self, line))

    # -- rendering ------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(
                name
            )  # not partial: that drops alpha, and "$text-muted" turns white on a light theme
        return style

    def _base_style(self) -> Style:
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width  # the vertical scrollbar takes the rest
        index = self.top_index + y
        selected = index == self.cursor_index
        key = (index, width, selected)
        strip = self._strips.get(key)
        if strip is None:
            line = self.buffer.at(index)
            if line is None:
                return Strip.blank(width, self._base_style())
            try:
                strip = self._render_log_line(line, width, selected, self._base_style())
            except Exception as error:  # noqa: BLE001 - one hostile line must never take the console down
                self._report_unrenderable(line, error)
                strip = self._render_literal(line, width, selected)
            if not self.following:  # following a flood, rows are painted once: caching only feeds the GC
                self._strips[key] = strip
        return strip

    def _render_log_line(self, line: LogLine, width: int, selected: bool, base: Style) -> Strip:
        """One row, ``time stream LEVEL message``, as Segments of already-sanitised plain strings.

        Like ``rich.text.Text`` (which the first version used), nothing is parsed: no markup, no
        ANSI; building the Segments directly renders a row about five times faster than Text.
        """
        severity, status = line.severity, line.http_status
        level_class = _LEVEL_CLASS.get(severity)
        status_class = _STATUS_CLASS.get(status // 100) if status is not None else None
        if level_class is not None:
            level = _LEVEL_LABEL[severity]
        elif status is not None:
            level = f" {status} "
        else:
            level = _LEVEL_LABEL[Severity.UNKNOWN]
        message_class = None
        if severity >= Severity.WARN:
            message_class = level_class
        elif status is not None and status >= 400:
            message_class = status_class
        style = self._row_style
        cursor = "log-view--cursor" if selected else None
        # Few segments per row (each costs the compositor): a column's trailing space shares its style.
        pieces = [(f"{clock_text(line.timestamp_ms)} ", style("log-view--time", cursor))]
        if self.show_stream:
            pieces.append((f"{stream_tag(line.stream)} ", style("log-view--stream", cursor)))
        pieces.append((f"{level} ", style(level_class or status_class, cursor)))
        used = sum(len(text) if text.isascii() else cell_len(text) for text, _ in pieces)
        message = fit_message(line.raw if self.raw_mode else line.readable, width - used)
        used += len(message) if message.isascii() else cell_len(message)
        message_style = style(message_class, cursor)
        if self.search is not None and message:
            spans = self.search.query.spans(message)
            if spans:  # the highlight is a style on spans of the same plain text: nothing in it is read as markup
                match_style = message_style + self._style("log-view--match")
                at = 0
                for start, end in spans:
                    if start > at:
                        pieces.append((message[at:start], message_style))
                    pieces.append((message[start:end], match_style))
                    at = end
                message = message[at:]
        if used < width:
            message += " " * (width - used)
        pieces.append((message, message_style))
        strip = Strip([Segment(text, piece_style) for text, piece_style in pieces], max(used, width))
        return strip if used <= width else strip.crop(0, width)

    def _render_literal(self, line: LogLine, width: int, selected: bool) -> Strip:
        """The fallback row for a line that could not be drawn: the raw text, literally, level UNKNOWN."""
        style = self._row_style(None, "log-view--cursor" if selected else None)
        text = literal_row(line.raw, line.timestamp_ms, width)
        return Strip([Segment(text, style)], width).crop(0, width)

    def _report_unrenderable(self, line: LogLine, error: Exception) -> None:
        """Log a line that could not be drawn, once per line (bounded), never its whole text."""
        key = (line.event_id, line.timestamp_ms, len(line.raw))
        if key in self._unrenderable:
            return
        if len(self._unrenderable) >= UNRENDERABLE_MEMORY:
            self._unrenderable.clear()
        self._unrenderable.add(key)
        _log.warning("log line could not be drawn (%s: %s); shown raw: %.200r", type(error).__name__, error, line.raw)

    def _row_style(self, component: str | None, cursor: str | None) -> Style:
        """The widget's base style with a component style (and the cursor's) on top; cached."""
        key = (component, cursor)
        style = self._combined.get(key)
        if style is None:
            style = self._base_style()
            for name in (component, cursor):
                if name is not None:
                    style = style + self._style(name)
            self._combined[key] = style
        return style
