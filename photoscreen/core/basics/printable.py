"""Text made safe to print on a terminal: control and direction characters made visible.

File names and metadata values come from whoever made the file. Printed raw, an escape
sequence in a PNG comment can erase the line and write "photo.png: clean" in its place,
and a right-to-left override can make "gpj.exe" read as "exe.jpg". Every such character
is shown as a visible escape (``\\x1b``, ``\\u202e``) instead, so what staff read is what
the file holds.
"""

from __future__ import annotations

import unicodedata

# Control, format (incl. bidi overrides and invisible marks), surrogate, line and
# paragraph separator characters.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Python maps each byte of a file name that is not valid UTF-8 to U+DC80..U+DCFF.
_UNDECODABLE = range(0xDC80, 0xDD00)
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with every control or direction-changing character written as an escape."""
    if text.isprintable():
        return text
    return "".join(_visible(ch) for ch in text)


def _visible(ch: str) -> str:
    if unicodedata.category(ch) not in _HIDDEN_CATEGORIES:
        return ch
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    code = ord(ch)
    if code in _UNDECODABLE:
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
