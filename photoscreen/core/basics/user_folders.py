"""The per-user folders where photoscreen keeps its own files, by each platform's rules.

One resolver for all of them: ``platformdirs``, the Python ecosystem's standard.

- :func:`config_dir` (the centre's settings file): ``%APPDATA%\\photoscreen`` on Windows
  (roaming), ``~/Library/Application Support/photoscreen`` on macOS,
  ``$XDG_CONFIG_HOME/photoscreen`` (``~/.config/photoscreen``) elsewhere.
- :func:`data_dir` (this PC's copies of read-only folders' sessions, the heads of their
  audit trails, the demo folder): ``%LOCALAPPDATA%\\photoscreen`` on Windows,
  ``~/Library/Application Support/photoscreen`` on macOS, ``$XDG_DATA_HOME/photoscreen``
  (``~/.local/share/photoscreen``) elsewhere.

A relative ``$XDG_...`` is ignored, as the XDG Base Directory specification says
(platformdirs would take it as given, relative to whatever the working directory is).
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "photoscreen"


def config_dir() -> Path:
    """This user's folder for photoscreen's settings on this PC (not created here)."""
    path = user_config_path(APP_NAME, appauthor=False, roaming=True)
    return path if path.is_absolute() else Path.home() / ".config" / APP_NAME


def data_dir() -> Path:
    """This user's folder for photoscreen's own data on this PC (not created here)."""
    path = user_data_path(APP_NAME, appauthor=False)
    return path if path.is_absolute() else Path.home() / ".local" / "share" / APP_NAME
