"""What the window remembers between runs on this PC: the user's name, recent folders.

Kept in QSettings (per user, per PC), declared once here with types and defaults. The
centre's policy settings (activities, export options, PIN) are not here: they live in the
session store with the photos, so the reviewer on another PC sees the same, and in this
PC's centre file, whose place is given here, so new folders start from them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 8

_USER_NAME = "user/name"
_RECENT = "folders/recent"
_LAST_EXPORT = "export/last_destination"
_LAST_REVIEWER = "review/last_reviewer"


class Preferences:
    """Typed access to the few per-user values; tests pass their own QSettings file.

    ``centre_file`` is this PC's centre settings file (activities, export options, PIN
    that new folders start from), or None to keep to each folder's own settings.
    """

    def __init__(self, store: QSettings, centre_file: Path | None = None) -> None:
        self._store = store
        self.centre_file = centre_file

    @classmethod
    def at(cls, path: Path) -> Preferences:
        """Settings kept in an ini file at ``path`` (tests, portable installs).

        The centre file sits beside it (``centre.json``), so tests stay in their folder.
        """
        return cls(QSettings(str(path), QSettings.Format.IniFormat), path.with_name("centre.json"))

    @property
    def user_name(self) -> str:
        """The name recorded in the audit trail and shown in the title bar; "" if unset."""
        return str(self._store.value(_USER_NAME, "") or "").strip()

    @user_name.setter
    def user_name(self, name: str) -> None:
        self._store.setValue(_USER_NAME, name.strip())
        self._store.sync()

    def recent_folders(self) -> list[Path]:
        """Folders opened before, newest first, only those that still exist."""
        raw = self._store.value(_RECENT, [])
        # QSettings gives a bare string for a one-item list in ini files.
        stored = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
        return [Path(p) for p in stored if p and Path(p).is_dir()]

    def remember_folder(self, folder: Path) -> None:
        """Put ``folder`` first in the recent list."""
        folder = folder.resolve()
        kept = [p for p in self.recent_folders() if p != folder]
        # No sync() here: writing the file costs the GUI thread 10-25 ms just as a folder
        # opens; QSettings writes it itself shortly after, from the event loop, and on exit.
        self._store.setValue(_RECENT, [str(p) for p in [folder, *kept][:MAX_RECENT]])

    @property
    def last_export_folder(self) -> Path | None:
        raw = self._store.value(_LAST_EXPORT, "")
        return Path(str(raw)) if raw else None

    @last_export_folder.setter
    def last_export_folder(self, folder: Path) -> None:
        self._store.setValue(_LAST_EXPORT, str(folder))
        self._store.sync()

    @property
    def last_reviewer(self) -> str:
        """The name the last verdict on this PC was given under; "" if none yet."""
        return str(self._store.value(_LAST_REVIEWER, "") or "").strip()

    @last_reviewer.setter
    def last_reviewer(self, name: str) -> None:
        self._store.setValue(_LAST_REVIEWER, name.strip())
        self._store.sync()
