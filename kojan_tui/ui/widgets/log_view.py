"""A virtual, follow-or-pause view of a LogBuffer: renders only the visible lines, as plain Text.

Nothing in a line is interpreted: no markup, no ANSI; control characters are shown as stand-ins.
Scrolling up (or moving the cursor) pauses; End or ``f`` follows again. ``j`` shows raw lines.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kojan_tui.core import logtext
from kojan_tui.core.logbuffer import FollowState, LogBuffer
from kojan_tui.core.loglines import LogLine, Severity

STREAM_WIDTH = 8
_LEVEL_LABEL = {
    Severity.ERROR: "ERROR", Severity.WARN: "WARN ", Severity.INFO: "INFO ",
    Severity.DEBUG: "DEBUG", Severity.UNKNOWN: "     ",
}  # fmt: skip
_LEVEL_CLASS = {
    Severity.ERROR: "log-view--error", Severity.WARN: "log-view--warn",
    Severity.INFO: "log-view--info", Severity.DEBUG: "log-view--debug",
}  # fmt: skip


def clock_text(timestamp_ms: int) -> str:
    """``HH:MM:SS.mmm`` in UTC, the time zone of CloudWatch and of the guide."""
    moment = datetime.fromtimestamp(timestamp_ms / 1000, UTC)
    return f"{moment:%H:%M:%S}.{timestamp_ms % 1000:03d}"


def stream_tag(stream: str) -> str:
    """The last ``STREAM_WIDTH`` characters of the stream name (ECS task ids differ at the end)."""
    return logtext.make_visible(stream[-STREAM_WIDTH:]).ljust(STREAM_WIDTH)[-STREAM_WIDTH:]


def fit_message(text: str, cells: int, limit: int = logtext.DISPLAY_LIMIT) -> str:
    """``text`` made visible in at most ``cells`` cells; when cut, ends with ``… [+N chars]``.

    N counts characters of ``text`` not shown. Wide characters (CJK, emoji) take two cells and are
    never split. Work is O(cells), whatever the length of ``text`` (a 1 MB line costs no more).
    """
    if cells <= 0:
        return ""
    if text.endswith("\n"):
        text = text.rstrip("\r\n")
    head = text[:cells]
    if len(text) <= cells:
        visible = logtext.make_visible(head)
        if len(visible) <= cells and (visible.isascii() or cell_len(visible) <= cells):
            return visible
    elif logtext.is_plain(head):  # the common long line: ASCII, one character per cell
        keep = cells - len(f"… [+{len(text):,} chars]")  # the marker can only get shorter
        if keep <= 0:
            return f"… [+{len(text):,} chars]"[:cells]
        return f"{text[:keep]}… [+{len(text) - keep:,} chars]"
    marker_room = len(f"… [+{len(text):,} chars]")
    room = max(0, cells - marker_room)
    out: list[str] = []
    used = 0
    consumed = 0
    for char in text[: room * 2 + 64]:  # zero-width characters consume no cell: bound the walk
        piece = " " * (logtext.TAB_SIZE - used % logtext.TAB_SIZE) if char == "\t" else logtext.visible_char(char)
        width = len(piece) if piece.isascii() else cell_len(piece)
        if used + width > room:
            break
        out.append(piece)
        used += width
        consumed += 1
    hidden = len(text) - consumed
    if hidden == 0:
        return "".join(out)
    return "".join(out) + f"… [+{hidden:,} chars]"


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
        &:focus { background-tint: $foreground 4%; }
    }
    """

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "top", "Top", show=False),
        Binding("end", "follow", "Follow"),
        Binding("f", "toggle_follow", "Follow/pause"),
        Binding("j", "toggle_raw", "Raw/readable"),
    ]

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

    def __init__(
        self, buffer: LogBuffer, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.buffer = buffer
        self.follow_state = FollowState()
        self.cursor_index: int | None = None  # absolute index into the buffer
        self._first_seen = buffer.first_index
        self._generation = buffer.generation
        self._strips: LRUCache[tuple[int, int, bool], Strip] = LRUCache(512)
        self._styles: dict[str, Style] = {}

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
        return self.buffer.window(self.top_index, self.scrollable_content_region.height)

    def sync(self) -> None:
        """The buffer changed: take the new lines in (O(1), whatever arrived)."""
        if self.buffer.generation != self._generation:
            self._generation = self.buffer.generation
            self._strips.clear()
            self.cursor_index = None
        evicted = self.buffer.first_index - self._first_seen
        self._first_seen = self.buffer.first_index
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.buffer))
        if self.following:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        elif evicted > 0:  # keep the same lines under the reader's eyes while older ones fall off
            self.scroll_to(y=max(0, self.scroll_y - evicted), animate=False, immediate=True)
        self.refresh()

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
        self._strips.clear()

    # -- actions --------------------------------------------------------------------------------

    def _move_cursor(self, delta: int) -> None:
        if not len(self.buffer):
            return
        last = self.buffer.appended - 1
        height = max(1, self.scrollable_content_region.height)
        if self.cursor_index is None or self.buffer.at(self.cursor_index) is None:
            start = min(last, self.top_index + height - 1)
        else:
            start = self.cursor_index
        target = min(last, max(self.buffer.first_index, start + delta))
        if delta < 0 or target < last:
            self.pause()
        self._set_cursor(target)

    def _set_cursor(self, index: int) -> None:
        self.cursor_index = index
        self.refresh()
        row = index - self.buffer.first_index
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True, force=True)

    def action_cursor_up(self) -> None:
        self._move_cursor(-1)

    def action_cursor_down(self) -> None:
        self._move_cursor(1)

    def action_page_up(self) -> None:
        self._move_cursor(-max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self._move_cursor(max(1, self.scrollable_content_region.height - 1))

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

    # -- rendering ------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.top_index + y
        line = self.buffer.at(index)
        base = self.rich_style
        if line is None:
            return Strip.blank(width, base)
        selected = index == self.cursor_index
        key = (index, width, selected)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._render_log_line(line, width, selected, base)
        return strip.apply_offsets(0, index)

    def _render_log_line(self, line: LogLine, width: int, selected: bool, base: Style) -> Strip:
        parts: list[tuple[str, Style]] = [(clock_text(line.timestamp_ms), self._style("log-view--time")), (" ", Style())]
        if self.show_stream:
            parts += [(stream_tag(line.stream), self._style("log-view--stream")), (" ", Style())]
        level_style = Style()
        if line.severity is not Severity.UNKNOWN:
            level_style = self._style(_LEVEL_CLASS[line.severity])
            level = _LEVEL_LABEL[line.severity]
        elif line.http_status is not None:
            level = f" {line.http_status} "
        else:
            level = _LEVEL_LABEL[Severity.UNKNOWN]
        status_style = Style()
        if line.http_status is not None and 2 <= (line.http_status // 100) <= 5:
            status_style = self._style(f"log-view--status-{line.http_status // 100}xx")
        parts += [(level, level_style or status_style), (" ", Style())]
        message_style = level_style if line.severity >= Severity.WARN else status_style if line.http_status and line.http_status >= 400 else Style()
        used = sum(len(text) for text, _ in parts)
        message = line.raw if self.raw_mode else line.readable
        parts.append((fit_message(message, width - used), message_style))
        text = Text.assemble(*parts, style=base, no_wrap=True, end="")  # plain text: never markup
        if selected:
            text.stylize(self._style("log-view--cursor"))
        strip = Strip(text.render(self.app.console), text.cell_len)
        return strip.crop_extend(0, width, base)
