"""Showing what another photoscreen saved in the open folder, a second or two later.

A manager may review a folder while staff have it open (``Session.open_to_review``):
each side then sees the other's work only if it reads the session again. Every
:data:`INTERVAL_MS` this asks the session whether another photoscreen has saved anything
(``Session.changed_elsewhere``, one tiny query on the GUI thread: about 20 us) and, only
then, reads every photo again on a worker (:meth:`OutsideChanges.read_all_again`: for a
few hundred photos that takes longer than the GUI thread may stall) and hands them to the
window: the manager's queue fills as staff ask, and staff see "Approved by …" as the
manager answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from photoscreen.core.session import PhotoEntry, Session
from photoscreen.core.storage import StoreError
from photoscreen.ui.threads import Workers

log = logging.getLogger(__name__)

INTERVAL_MS = 1500


class OutsideChanges(QObject):
    """Hands ``show`` every photo again when the session ``session()`` returns was
    changed elsewhere.

    ``changes()`` counts the changes this window made itself: a read that started
    before one of them may predate it, so it is not shown but made again.
    """

    def __init__(
        self,
        workers: Workers,
        session: Callable[[], Session | None],
        changes: Callable[[], int],
        show: Callable[[list[PhotoEntry]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._workers = workers
        self._session = session
        self._changes = changes
        self._show = show
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
            self.read_all_again()
        return changed

    def read_all_again(self) -> None:
        """Another photoscreen saved something: read every photo again on a worker, then
        show them; read again if this window changed something meanwhile."""
        session, started = self._session(), self._changes()
        if session is None:
            return

        def show(entries: list[PhotoEntry]) -> None:
            if self._session() is not session:
                return
            if self._changes() != started:
                self.read_all_again()
            else:
                self._show(entries)

        self._workers.run(
            "session",
            lambda context: session.photos(),
            on_result=show,
            on_error=lambda error: log.info("reading again failed: %s", error.exception),
        )
