"""Text printed on a terminal shows hidden characters instead of obeying them."""

from __future__ import annotations

import pytest

from photoscreen.core.basics.printable import printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2Kclean", "\\x1b[2Kclean"),
        ("photo\u202egpj.exe", "photo\\u202egpj.exe"),  # right-to-left override
        ("a\u2066b\u2069", "a\\u2066b\\u2069"),  # bidi isolates
        ("Jane\u200bSmith", "Jane\\u200bSmith"),  # zero-width space
        ("one\u2028two", "one\\u2028two"),  # line separator
        ("tab\there\r\n", "tab\\there\\r\\n"),
        ("bell\x07\x7f", "bell\\x07\\x7f"),
        ("caf\udce9.jpg", "caf\\xe9.jpg"),  # a file name byte that is not UTF-8
    ],
)
def test_hidden_characters_are_made_visible(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_ordinary_text_is_left_alone() -> None:
    text = "Zoë Łukasz 李 🙂 «quoted» (1/2) C:\\Photos\\IMG_0001.JPG: clean"
    assert printable(text) == text
