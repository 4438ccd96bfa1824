"""The verbs for the photo on screen (decisions, face boxes, preview, undo), and changes to
the centre's settings.

Every button, key and drag on the photo on screen lands in one :class:`DecisionVerbs`,
which the controller owns (``controller.verbs``): each verb hands the decision to the core
session and reports a refusal on the message channel, then the window shows what was
saved, never what was only asked for. The settings dialog hands it the change to make
the same way. It knows the controller only as a :class:`VerbsHost`: the open session and
the photo on screen, how to show another, and how to show them all again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from photoscreen.core.basics import Box
from photoscreen.core.rules import FaceSource, PhotoState, needs_staff
from photoscreen.core.session import PhotoEntry, Session
from photoscreen.ui.control.current_photo import CurrentPhoto
from photoscreen.ui.control.messages import REFUSALS, MessageChannel, report_refusal
from photoscreen.ui.threads import FoundAgain, JobError, Workers, look_harder


def found_again_text(faces: int, possible: int) -> str:
    """What looking harder found, in plain words."""
    if not faces and not possible:
        return "No more faces found."
    parts = []
    if faces:
        parts.append(f"{faces} more face{'s' if faces != 1 else ''} (will be hidden)")
    if possible:
        noun = "possible face" if possible == 1 else "possible faces"
        parts.append(f"{possible} {noun} to accept or dismiss")
    advice = " Delete any box that is not a face." if faces else ""
    return f"Found {' and '.join(parts)}.{advice}"


class VerbsHost(Protocol):
    """What the verbs need of the controller that owns them."""

    @property
    def session(self) -> Session | None: ...

    @property
    def current(self) -> str | None: ...

    def current_entry(self) -> PhotoEntry | None: ...

    def entries(self) -> list[PhotoEntry]: ...

    def refresh_photo(self, photo_hash: str) -> None: ...

    def refresh_all(self) -> None: ...

    def select(self, photo_id: str | None) -> None: ...

    def next_needing(self, step: int, *, wrap: bool) -> str | None: ...


class DecisionVerbs(QObject):
    """Decisions on the photo on screen of ``host``, through its session."""

    drawing_requested = Signal()
    writing_drawing_requested = Signal()  # key T: the next box drawn is writing
    preview_toggled = Signal(bool)
    undo_changed = Signal(bool, bool)  # can undo, can redo

    def __init__(
        self,
        host: VerbsHost,
        workers: Workers,
        messages: MessageChannel,
        photo: CurrentPhoto,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self.workers = workers
        self.messages = messages
        self.photo = photo
        self.previewing = False
        # Whether the box being drawn is writing (T) rather than a face (B).
        self._drawing_writing = False

    @property
    def session(self) -> Session | None:
        return self._host.session

    @property
    def current(self) -> str | None:
        return self._host.current

    def current_entry(self) -> PhotoEntry | None:
        return self._host.current_entry()

    # --- staff decisions on the photo on screen -----------------------------------------

    def decide(self, action: Callable[[Session, str], object]) -> bool:
        """Apply ``action(session, hash)`` to the photo on screen; False if refused."""
        entry = self.current_entry()
        if self.session is None or entry is None:
            return False
        if entry.photo_hash is None or entry.state is PhotoState.UNREADABLE:
            self.messages.warning("This photo has not been read yet, or cannot be opened.")
            return False
        try:
            action(self.session, entry.photo_hash)
        except REFUSALS as error:
            report_refusal(self.messages, error, about=self.current)
            # The window shows what is saved, never what was only asked for (a box
            # dragged on screen whose move could not be saved goes back).
            self._host.refresh_photo(entry.photo_hash)
            return False
        return True

    def _decide_in_background(self, action: Callable[[Session, str], object]) -> None:
        """:meth:`decide` for an action that checks the reviewer PIN: scrypt is too slow
        for the GUI thread, so it runs on the writer pool and the photo is shown again
        when it is done (or the refusal is said)."""
        entry = self.current_entry()
        session = self.session
        if session is None or entry is None or entry.photo_hash is None:
            return
        digest = entry.photo_hash

        def failed(error: JobError) -> None:
            if isinstance(error.exception, REFUSALS):
                report_refusal(self.messages, error.exception)
            else:
                self.messages.error(f"The decision was not saved: {error.exception}", error.trace)
            self._host.refresh_photo(digest)  # shown as saved, never as only asked for

        self.workers.run(
            "writer",
            lambda context: action(session, digest),
            on_result=lambda _: self._host.refresh_photo(digest),
            on_error=failed,
        )

    def _decisions(self) -> Any:
        entry = self.current_entry()
        return None if entry is None else entry.decisions

    def set_activity(self, key: str) -> None:
        self.decide(lambda s, h: s.set_activity(h, key))

    def toggle_exclude(self) -> None:
        now = self._decisions()
        self.decide(lambda s, h: s.set_excluded(h, not (now and now.excluded)))

    def toggle_unclothed(self, pin: str | None = None) -> None:
        now = self._decisions()
        wanted = not (now and now.unclothed)
        if pin is None:
            self.decide(lambda s, h: s.set_unclothed(h, wanted))
        else:
            self._decide_in_background(lambda s, h: s.set_unclothed(h, wanted, pin=pin))

    def unclothed_mark_needing_pin(self) -> str | None:
        """Who marked the photo on screen unclothed, when clearing it needs the PIN; else None."""
        entry = self.current_entry()
        if self.session is None or entry is None or entry.photo_hash is None:
            return None
        return self.session.unclothed_mark_needing_pin(entry.photo_hash)

    def flag_for_review(self, note: str) -> None:
        if self.decide(lambda s, h: s.flag_for_review(h, note)):
            self.messages.info(f"{self.current} was sent to the manager for review.")

    def faces_checked_and_next(self) -> None:
        now = self._decisions()
        undecided = now.pending_faces if now else 0
        writing = now.pending_writing if now else 0
        if undecided or writing:
            what = f"possible face{'s' if undecided > 1 else ''}" if undecided else ""
            if writing:
                regions = f"writing region{'s' if writing > 1 else ''}"
                what = f"{what} and {regions}" if what else regions
            self.messages.warning(
                f"Accept or dismiss the {what} first "
                "(A or D, or the ✓ and ✗ on the box), then mark the faces checked.",
                about=self.current,
            )
            return
        checked = self.current
        if not self.decide(lambda s, h: s.set_faces_checked(h, True)):
            return
        # On to the next photo that still needs something (from the top again after the
        # last). With none left, the status line says every photo is decided. When the
        # checked photo left the grid's filter, the grid has already moved on to the photo
        # in its place: that one counts as the next.
        entry = self.current_entry()
        if self.current != checked and entry is not None and needs_staff(entry.status):
            return
        following = self._host.next_needing(+1, wrap=True)
        if following is not None:
            self._host.select(following)

    def add_face(self, box: Box) -> None:
        """A box drawn on the photo: a face, or writing when drawing began with T."""
        if self._drawing_writing:
            self.decide(lambda s, h: s.add_writing(h, box))
        else:
            self.decide(lambda s, h: s.add_face(h, box))

    def move_face(self, face_id: str, box: Box) -> None:
        self.decide(lambda s, h: s.move_face(h, int(face_id), box))

    def delete_face(self, face_id: str) -> None:
        self.decide(lambda s, h: s.remove_face(h, int(face_id)))

    def accept_possible(self, face_id: str) -> None:
        self.decide(lambda s, h: s.accept_face(h, int(face_id)))

    def dismiss_possible(self, face_id: str) -> None:
        self.decide(lambda s, h: s.dismiss_face(h, int(face_id)))

    def not_a_face(self, face_id: str) -> None:
        """A box is not a face: a detector's box is dismissed (looking harder never brings
        it back), a box drawn by hand is removed. Both can be undone."""
        now = self._decisions()
        face = next((f for f in (now.faces if now else ()) if str(f.id) == face_id), None)
        if face is not None and face.source is FaceSource.HAND:
            self.delete_face(face_id)
        else:
            self.dismiss_possible(face_id)

    def toggle_consent(self, face_id: str) -> None:
        now = self._decisions()
        face = next((f for f in (now.faces if now else ()) if str(f.id) == face_id), None)
        on_file = face is not None and face.consent_by is not None
        self.decide(lambda s, h: s.set_consent(h, int(face_id), not on_file))

    def start_drawing(self) -> None:
        if self.current_entry() is not None:
            self._drawing_writing = False
            self.drawing_requested.emit()

    def start_drawing_writing(self) -> None:
        """Key T: the next box drawn covers writing (a name, a plate) the detector missed."""
        if self.current_entry() is not None:
            self._drawing_writing = True
            self.writing_drawing_requested.emit()

    def look_harder(self) -> None:
        """Search the photo on screen again, more slowly, for faces the first pass missed."""
        entry = self.current_entry()
        if entry is None or entry.photo_hash is None or entry.decisions is None:
            return
        digest = entry.photo_hash
        self.messages.info("Looking harder for faces in this photo…")

        def found(result: FoundAgain) -> None:
            self.add_found_again(result)

        def failed(error: JobError) -> None:
            self.messages.error(f"Looking for more faces failed: {error.exception}", error.trace)

        self.workers.run(
            "viewer",
            look_harder(entry.path, digest),
            on_result=found,
            on_error=failed,
            lane="look_harder",
        )

    def add_found_again(self, result: FoundAgain) -> None:
        """Add what no known box (even a dismissed one) covers: faces, and possible faces."""
        if self.session is None:
            return
        try:
            faces, possible = self.session.add_detections(
                result.photo_hash, result.detections, result.settings_key
            )
        except REFUSALS as error:
            report_refusal(self.messages, error)
            return
        self.messages.info(found_again_text(faces, possible))

    def toggle_preview(self) -> None:
        self.previewing = not self.previewing
        self.preview_toggled.emit(self.previewing)
        if self.previewing:
            self.request_preview()
        else:
            self.photo.preview_ready.emit(None)

    def request_preview(self) -> None:
        """Render the export of the photo on screen as its decisions are now."""
        decisions = self._decisions()
        if self.session is None or decisions is None:
            return
        self.photo.request_preview(
            decisions.faces_to_redact,
            self.session.export_options(),
            writing=decisions.writing_to_redact,
        )

    # --- the centre's settings ----------------------------------------------------------

    def change_settings(self, change: Callable[[Session], object]) -> bool:
        """Apply ``change(session)`` to the centre's settings; False, with a message, if refused."""
        if self.session is None:
            return False
        try:
            change(self.session)
        except REFUSALS as error:
            report_refusal(self.messages, error)
            return False
        self._host.refresh_all()
        return True

    def change_settings_with_pin(
        self, change: Callable[[Session], object], done: Callable[[bool], None]
    ) -> None:
        """:meth:`change_settings` for a change that checks the reviewer PIN (setting,
        changing or removing it, lifting a block): scrypt is too slow for the GUI thread,
        so it runs on the writer pool; ``done(True)`` or ``done(False)`` (refused, with a
        message) is called on the GUI thread afterwards."""
        session = self.session
        if session is None:
            done(False)
            return

        def finished(_: object) -> None:
            self._host.refresh_all()
            done(True)

        def failed(error: JobError) -> None:
            if isinstance(error.exception, REFUSALS):
                report_refusal(self.messages, error.exception)
            else:
                self.messages.error(f"The setting was not saved: {error.exception}", error.trace)
            self._host.refresh_all()  # a refusal may still have changed something (partly saved)
            done(False)

        self.workers.run(
            "writer", lambda context: change(session), on_result=finished, on_error=failed
        )

    # --- undo / redo --------------------------------------------------------------------

    def undo(self) -> None:
        self._undo_or_redo(undo=True)

    def redo(self) -> None:
        self._undo_or_redo(undo=False)

    def _undo_or_redo(self, *, undo: bool) -> None:
        if self.session is None:
            return
        what = self.session.undo_description() if undo else self.session.redo_description()
        try:
            photo_hash = self.session.undo() if undo else self.session.redo()
        except REFUSALS as error:
            report_refusal(self.messages, error)
            return
        if photo_hash is None:
            self.messages.info("Nothing to undo." if undo else "Nothing to redo.")
            return
        shown = self.current_entry()
        if shown is None or shown.photo_hash != photo_hash:
            self._host.select(
                next(
                    (e.key for e in self._host.entries() if e.photo_hash == photo_hash),
                    self.current,
                )
            )
        self.messages.info(f"{'Undone' if undo else 'Redone'}: {what}")
        self.emit_undo()

    def emit_undo(self) -> None:
        """Say whether there is a step to undo, and one to redo (``undo_changed``)."""
        session = self.session
        self.undo_changed.emit(
            bool(session and session.can_undo), bool(session and session.can_redo)
        )
