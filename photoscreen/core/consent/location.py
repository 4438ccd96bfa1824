"""Where the centre's consent register is: a centre setting, this PC's data folder by default.

The setting (:data:`REGISTER_KEY`) holds the register file's full path, or None for the
default, ``consent-register.sqlite3`` in this PC's photoscreen data folder (beside the
copies of read-only folders' sessions). A centre with several PCs moves it to the shared
drive, and every PC points at that one file.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from photoscreen.core.basics import data_dir
from photoscreen.core.settings import REGISTER_KEY

__all__ = ["REGISTER_KEY", "default_register_path", "register_path"]
REGISTER_FILE_NAME = "consent-register.sqlite3"


def default_register_path() -> Path:
    """This PC's register, used until the manager chooses another place."""
    return data_dir() / REGISTER_FILE_NAME


def register_path(value: Any) -> Path:
    """The register the setting's ``value`` names (None: :func:`default_register_path`,
    whose folder is made here when missing: it is this PC's own data folder; a folder
    the manager chose is never made, it may be a share not connected)."""
    if value is None:
        path = default_register_path()
        # If it cannot be made, opening the register says it cannot be reached, and why.
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
        return path
    return Path(value)
