"""Showing what another photoscreen saved in the open folder, a second or two later.

A manager may review a folder while staff have it open (``Session.open_to_review``):
each side then sees the other's work only if it reads the session again. Every
:data:`INTERVAL_MS` this asks the session whether another photoscreen has saved anything
(``Session.changed_elsewhere``, one tiny query on the GUI thread: about 20 us) and, only
then, has the window read every photo again, on a worker (``Controller.read_all_again``:
for a few hundred photos that takes longer than the GUI thread may stall): the manager's
queue fills as staff ask, and staff see "Approved by …" as the manager answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from photoscreen.core.session import Session
from photoscreen.core.storage import StoreError

log = logging.getLogger(__name__)

INTERVAL_MS = 1500


class OutsideChanges(QObject):
    """Calls ``refresh`` when the session ``session()`` returns was changed elsewhere."""

    def __init__(
        self,
        session: Callable[[], Session | None],
        refresh: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._refresh = refresh
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.look)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def look(self) -> bool:
        """Refresh if another photoscreen saved something; True when it did."""
        session = self._session()
        if session is None:
            return False
        try:
            changed = session.changed_elsewhere()
        except StoreError as error:  # the share went away: said when something is saved
            log.info("could not look for changes made elsewhere: %s", error)
            return False
        if changed:
            self._refresh()
        return changed
