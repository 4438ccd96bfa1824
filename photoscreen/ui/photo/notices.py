"""The words the photo view shows over the photo, or in its place.

- The **banner**, at the top, says what the view is doing: showing the export preview,
  drawing a box, loading the next photo.
- The **note**, at the foot, says why a key did nothing; it goes by itself after
  :data:`NOTE_MS`.
- The **message**, in the middle, stands in for the photo when there is none ("No photo
  selected", or why a photo cannot be shown); a long one wraps within the view.

They are plain labels on the view's viewport that let the mouse through to the photo.
The view calls :meth:`Notices.place` when its size changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

BANNER_STYLE = (
    "QLabel { background: rgba(10, 10, 10, 215); color: white; padding: 6px 14px;"
    " border-radius: 6px; font-weight: bold; }"
)
MESSAGE_STYLE = "QLabel { color: #d0d0d0; font-size: 16px; }"
NO_PHOTO_TEXT = "No photo selected"
NOTE_MS = 4000  # how long a note stays over the photo
BANNER_TOP_PX = 10  # the banner's distance from the top of the view
NOTE_FOOT_PX = 50  # the note's distance from the foot of the view
MESSAGE_MARGIN_PX = 20  # the message keeps this far from the view's sides
MESSAGE_MIN_WIDTH_PX = 120


class Notices:
    """The banner, the note and the message over one viewport."""

    def __init__(self, viewport: QWidget, note_ms: int = NOTE_MS) -> None:
        self._viewport = viewport
        self._banner = _label(viewport, BANNER_STYLE)
        self._message = _label(viewport, MESSAGE_STYLE)
        self._message.setWordWrap(True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setText(NO_PHOTO_TEXT)
        self._message.setVisible(True)
        self._note = _label(viewport, BANNER_STYLE)
        self._note_timer = QTimer(viewport)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(note_ms)
        self._note_timer.timeout.connect(self._note.hide)
        self.place()

    # -- the banner ------------------------------------------------------------------
    def show_banner(self, text: str) -> None:
        """Show ``text`` at the top; an empty text takes the banner away."""
        self._banner.setText(text)
        self._banner.setVisible(bool(text))
        self.place()

    def banner_text(self) -> str:
        """The banner shown now, empty when none."""
        return self._banner.text() if self._banner.isVisible() else ""

    # -- the note --------------------------------------------------------------------
    def show_note(self, text: str) -> None:
        """Say ``text`` at the foot for a few seconds (:data:`NOTE_MS`)."""
        self._note.setText(text)
        self._note.setVisible(True)
        self.place()
        self._note_timer.start()

    def hide_note(self) -> None:
        self._note_timer.stop()
        self._note.hide()

    def note_text(self) -> str:
        """The note shown now, empty when none."""
        return self._note.text() if self._note.isVisibleTo(self._viewport) else ""

    # -- the message -----------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """Show ``text`` in the middle, in place of a photo."""
        self._message.setText(text)
        self._message.setVisible(True)
        self.place()

    def hide_message(self) -> None:
        self._message.setVisible(False)

    def message(self) -> str:
        """The message shown now, empty while a photo is shown."""
        return self._message.text() if self._message.isVisibleTo(self._viewport) else ""

    # -- where they go ---------------------------------------------------------------
    def place(self) -> None:
        """Centre the labels across the viewport as it is now."""
        area = self._viewport.rect()
        self._banner.adjustSize()
        self._banner.move((area.width() - self._banner.width()) // 2, BANNER_TOP_PX)
        self._note.adjustSize()
        self._note.move((area.width() - self._note.width()) // 2, area.height() - NOTE_FOOT_PX)
        # A long reason ("cannot be opened: ...") wraps within the view instead of running
        # off its edges.
        width = max(MESSAGE_MIN_WIDTH_PX, area.width() - 2 * MESSAGE_MARGIN_PX)
        self._message.setFixedSize(width, self._message.heightForWidth(width))
        self._message.move(MESSAGE_MARGIN_PX, (area.height() - self._message.height()) // 2)


def _label(viewport: QWidget, style: str) -> QLabel:
    label = QLabel(viewport)
    label.setStyleSheet(style)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    label.setVisible(False)
    return label
