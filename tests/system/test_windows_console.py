"""The windowed Windows program prints to the console it was typed in, and only then."""

from __future__ import annotations

import sys

from photoscreen import windows_console


def test_a_program_with_standard_output_keeps_it(monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    before = sys.stdout
    assert windows_console.attach_parent_console() is False
    assert sys.stdout is before


def test_nothing_is_attached_outside_windows(monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(sys, "stdout", None)
    assert windows_console.attach_parent_console() is False
    assert sys.stdout is None
