"""Per-user folders come from one resolver, with the XDG rules on Linux."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from photoscreen.core.basics import config_dir, data_dir
from photoscreen.core.demo.sample_folder import default_demo_dir
from photoscreen.core.storage import default_centre_path
from photoscreen.core.storage.location import fallback_directory
from photoscreen.core.trail.trail_anchor import anchor_path

pytestmark = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="XDG layout is for Linux"
)


def test_every_per_user_file_lives_under_the_two_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert config_dir() == tmp_path / "config" / "photoscreen"
    assert data_dir() == tmp_path / "data" / "photoscreen"
    assert default_centre_path().parent == config_dir()
    assert default_demo_dir().parent == data_dir()
    assert fallback_directory(tmp_path / "card").parent.parent == data_dir()
    assert anchor_path(tmp_path / "session.sqlite3").parent.parent == data_dir()


@pytest.mark.parametrize("value", ["", "relative/folder"])
def test_an_empty_or_relative_xdg_folder_is_ignored(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", value)
    monkeypatch.setenv("XDG_DATA_HOME", value)
    assert config_dir() == Path.home() / ".config" / "photoscreen"
    assert data_dir() == Path.home() / ".local" / "share" / "photoscreen"
