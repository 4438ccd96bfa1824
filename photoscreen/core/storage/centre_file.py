"""The centre's settings kept on this PC, for every folder opened here: ``centre.json``.

A folder's settings live in its own session database, so the reviewer opening it on another
PC works under the same rules. This file is what a *new* folder starts from, so a reviewer
PIN or a blocked activity set once carries over to the next session's folder (see
:mod:`photoscreen.core.settings.centre_settings`, which decides what the values mean and
checks them).

Where it lives is the caller's choice: :func:`default_centre_path` is the per-user config
directory the application uses; tests pass a file in a temporary directory. The file is
JSON, ``{"format": ..., "version": 1, "settings": {key: value}}``, written atomically
(a temporary file, flushed, then renamed over the old one), so a crash leaves the old
file or the new one. A damaged file never stops photoscreen: it reads as empty, with
:attr:`CentreFile.problem` saying so, and is kept aside as ``centre.json.unreadable`` when
the settings are next saved. Nothing in it is secret: the PIN is only a salted hash.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from photoscreen.core.basics import config_dir, write_atomically

CENTRE_FILE_NAME = "centre.json"
FORMAT = "photoscreen centre settings"
VERSION = 1


def default_centre_path() -> Path:
    """Where this user's centre settings live on this PC: ``centre.json`` in the per-user
    config folder (:func:`photoscreen.core.basics.config_dir` says where that is)."""
    return config_dir() / CENTRE_FILE_NAME


class CentreFileDamaged(ValueError):
    """The centre file is not the JSON photoscreen writes; ``str()`` says how."""


class CentreFile:
    """The settings file at ``path``: read on demand (re-read when it changes), saved whole."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._seen: tuple[tuple[int, int, int] | None, dict[str, Any], str | None] | None = None

    @property
    def problem(self) -> str | None:
        """Why the file could not be used as it stands, in plain words; None when fine."""
        return self._read()[2]

    def values(self) -> dict[str, Any]:
        """The stored settings, ``{key: value}``; empty when the file is missing or damaged."""
        return dict(self._read()[1])

    def update(self, changes: Mapping[str, Any]) -> None:
        """Save ``changes`` over the current contents (other keys are kept).

        The file is read again just before writing, so a change made meanwhile by another
        photoscreen on this PC (another folder) is kept. Raises ``OSError`` when the file
        cannot be written; the old file is then unchanged.
        """
        self._seen = None
        try:
            current = _parse(self.path.read_bytes())
        except FileNotFoundError:
            current = {}
        except CentreFileDamaged:
            # Keep what was there for whoever wants to look, then start afresh.
            os.replace(self.path, self.path.with_name(self.path.name + ".unreadable"))
            current = {}
        document = {"format": FORMAT, "version": VERSION, "settings": {**current, **changes}}
        write_atomically(self.path, json.dumps(document, indent=2).encode("utf-8") + b"\n")

    def _read(self) -> tuple[tuple[int, int, int] | None, dict[str, Any], str | None]:
        stamp = _stamp(self.path)
        if self._seen is not None and self._seen[0] == stamp:
            return self._seen
        values: dict[str, Any] = {}
        problem = None
        if stamp is not None:
            try:
                values = _parse(self.path.read_bytes())
            except (OSError, CentreFileDamaged) as error:
                problem = (
                    f"The centre settings file {self.path} could not be read ({_why(error)}). "
                    "The default settings are used for new folders until the settings are "
                    "saved again; if a reviewer PIN was set for the centre, set it again."
                )
        self._seen = (stamp, values, problem)
        return self._seen


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What identifies one version of the file (None when there is none)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def _parse(data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise CentreFileDamaged(f"it is not valid JSON: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CentreFileDamaged("it is not a photoscreen centre settings file")
    settings = document.get("settings")
    if not isinstance(settings, dict):
        raise CentreFileDamaged("it has no settings section")
    return settings


def _why(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)
