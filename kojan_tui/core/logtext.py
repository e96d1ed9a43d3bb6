"""Make untrusted log text safe to show literally: decode, make control characters visible, truncate.

Pure Python (no Rich, no Textual). Cell widths are left to the renderer: the widget measures with Rich,
the same measure Textual's compositor uses, so core never needs its own and cannot disagree with it.

Choices (documented for users in the README):
- C0 controls and DEL become their Unicode "control pictures" (ESC → ␛, NUL → ␀, CR → ␍, LF → ␊,
  DEL → ␡), so an ANSI sequence shows as ``␛[31m`` and changes nothing on screen.
- C1 controls (U+0080–U+009F), bidi overrides/isolates and line/paragraph separators show escaped:
  ``\\x9b``, ``\\u202e``, ``\\u2028``.
- Invisible format characters show escaped too: zero-width and direction marks (U+200B–U+200F),
  U+2060–U+2064, the Arabic letter mark U+061C, the BOM U+FEFF, the soft hyphen U+00AD and tag
  characters (U+E0000–U+E007F, ``\\U000e0041``), so nothing in a line is hidden or reordered.
- A tab becomes spaces up to the next multiple of ``TAB_SIZE`` characters.
- Invalid UTF-8 (bytes, or lone surrogates left by ``surrogateescape``) becomes U+FFFD ``�``.
- Text longer than ``DISPLAY_LIMIT`` characters is cut for display with ``… [+N chars]``; the caller
  keeps the full raw text for copy and save. Cutting happens first, so a 1 MB line costs O(limit).
"""

from __future__ import annotations

import re

DISPLAY_LIMIT = 4096  # characters shown of one line; far wider than any terminal
TAB_SIZE = 4

# Invisible format characters: shown escaped, never passed to the terminal.
_INVISIBLE = (0xAD, 0x61C, *range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF, *range(0xE0000, 0xE0080))
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ud800-\udfff\U000e0000-\U000e007f]"
)

_SURROGATE = re.compile("[\ud800-\udfff]")

_VISIBLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟
_VISIBLE[0x7F] = "\u2421"  # ␡
_VISIBLE.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
_VISIBLE.update({code: f"\\u{code:04x}" for code in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_VISIBLE.update({code: f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}" for code in _INVISIBLE})
_VISIBLE.update({code: "\ufffd" for code in range(0xD800, 0xE000)})


def visible_char(char: str) -> str:
    """The visible stand-in for one character (itself when it is safe; tabs are not handled here)."""
    return _VISIBLE.get(ord(char), char)


def is_plain(text: str) -> bool:
    """True when ``text`` is printable ASCII only: one character is one cell, nothing to replace."""
    return text.isascii() and "\t" not in text and _UNSAFE.search(text) is None


def decode(data: str | bytes) -> str:
    """Text from whatever arrived: bytes are decoded as UTF-8 with invalid sequences as ``�``."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data).decode("utf-8", errors="replace")
    return data


def without_surrogates(text: str) -> str:
    """``text`` that encodes as UTF-8: lone surrogates become ``�`` (for the clipboard)."""
    return _SURROGATE.sub("\ufffd", text)


def truncate(text: str, limit: int = DISPLAY_LIMIT) -> str:
    """``text`` cut to ``limit`` characters with a ``… [+N chars]`` marker when it was longer."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [+{len(text) - limit:,} chars]"


def make_visible(text: str) -> str:
    """Every control, bidi, invisible format and invalid character in ``text`` replaced by a visible stand-in."""
    if "\t" in text:
        text = _expand_tabs(text)
    if _UNSAFE.search(text) is None:
        return text
    return text.translate(_VISIBLE)


def _expand_tabs(text: str) -> str:
    parts = text.split("\t")
    out = [parts[0]]
    column = len(parts[0])
    for part in parts[1:]:
        pad = TAB_SIZE - column % TAB_SIZE
        out.append(" " * pad)
        out.append(part)
        column += pad + len(part)
    return "".join(out)


def display_text(data: str | bytes, limit: int = DISPLAY_LIMIT) -> str:
    """One line ready to show literally: decoded, trailing newline dropped, truncated, made visible."""
    text = decode(data)
    if text.endswith("\n"):
        text = text.rstrip("\r\n")
    return make_visible(truncate(text, limit))
