"""The window with file names that are not valid text (see tests/core/basics/test_file_names.py).

Qt's strings cannot hold such a name: handed "caf\\udce9.jpg" it drops the odd character
without a word, so "caf\\xe9.jpg" and "caf\\xe8.jpg" would both show as "caf.jpg" and be
looked up under one id. The window shows each name readably and keeps them apart.
"""

from __future__ import annotations

import os
import sys

import pytest

from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Linux names are bytes")


def test_undecodable_names_are_shown_readably_and_kept_apart(qtbot, make_window, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    names = [os.fsdecode(b"caf\xe9.jpg"), os.fsdecode(b"caf\xe8.jpg"), "plain.jpg"]
    for seed, name in enumerate(names):
        save_jpeg(folder / name, scene(seed))
    window = scanned_window(qtbot, make_window, folder)
    controller, model = window.controller, window.controller.model
    shown = [model.index(row).data() for row in range(model.rowCount())]
    assert sorted(shown) == ["caf\\xe8.jpg", "caf\\xe9.jpg", "plain.jpg"]
    for entry in controller.entries():
        controller.select(entry.key)
        assert controller.current_entry() == entry
        qtbot.waitUntil(lambda e=entry: model.has_thumbnail(e.key))
        assert window.side_panel.title.text() == f"<b>{entry.shown_name}</b>"
