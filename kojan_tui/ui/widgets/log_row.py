"""The text of one log row's columns, sized in terminal cells: time, stream tag, message.

Everything returned is already safe to paint literally (control characters made visible).
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from kojan_tui.core import logtext

STREAM_WIDTH = 8
UNKNOWN_LABEL = "     "  # the level column of a line of UNKNOWN severity


def clock_text(timestamp_ms: int) -> str:
    """``HH:MM:SS.mmm`` in UTC, the time zone of CloudWatch and of the guide (plain arithmetic: fast)."""
    seconds, millis = divmod(timestamp_ms, 1000)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours % 24:02d}:{minute:02d}:{second:02d}.{millis:03d}"


def stream_tag(stream: str) -> str:
    """The last ``STREAM_WIDTH`` cells of the stream name (ECS task ids differ at the end)."""
    tag = logtext.make_visible(stream[-STREAM_WIDTH:])[-STREAM_WIDTH:]
    if tag.isascii():
        return tag.ljust(STREAM_WIDTH)
    while cell_len(tag) > STREAM_WIDTH:  # wide characters: drop from the left until it fits
        tag = tag[1:]
    return set_cell_size(tag, STREAM_WIDTH)


def fit_message(text: str, cells: int) -> str:
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
    return ("".join(out) + f"… [+{hidden:,} chars]")[: cells if used == 0 else None]  # too narrow: the marker cut


def literal_row(raw: str, timestamp_ms: int, cells: int) -> str:
    """The fallback row of a line that could not be drawn: time (when it can be shown), no level, the raw
    text made visible and cut to ``cells`` cells. Plain string work only, so it cannot fail the same way."""
    try:
        stamp = clock_text(timestamp_ms)
    except Exception:  # noqa: BLE001 - a fallback must not raise
        stamp = "--:--:--.---"
    prefix = f"{stamp} {UNKNOWN_LABEL} "
    try:
        message = fit_message(raw, cells - len(prefix))
    except Exception:  # noqa: BLE001
        message = ascii(raw[: max(cells, 0)])[: max(cells - len(prefix), 0)]
    return (prefix + message)[: max(cells, 0)] if message.isascii() else prefix + message
