"""The photo on screen: its picture, its metadata, and the export preview, off the GUI thread.

Asking for a photo starts a job in the ``viewer`` pool's "photo" lane: choosing another
photo before it finishes supersedes it, so holding an arrow key never queues up decodes.
Results come back as signals for the photo view and the side panel. Until the picture
arrives (a tenth of a second to most of a second) the previous one must not stay on
screen under the new photo's name: asking says at once that the photo is loading.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from photoscreen.core.basics import Box
from photoscreen.ui.control.messages import MessageChannel
from photoscreen.ui.threads import (
    JobError,
    LoadedPhoto,
    PhotoChanged,
    Workers,
    load_photo,
    render_preview,
)

LOADING_TEXT = "Loading this photo…"


class CurrentPhoto(QObject):
    """Loads the chosen photo and its preview; drops results for photos no longer shown."""

    image_ready = Signal(object, int, int)  # QImage, full width, full height
    hidden_data_ready = Signal(object)  # tuple[str, ...]
    cleared = Signal(str)  # why there is no picture to show (or that it is loading)
    loading = Signal(object)  # a stand-in QImage (its thumbnail) to show while it loads
    preview_ready = Signal(object)  # QImage, or None to show the photo itself
    changed_on_disk = Signal(object)  # Path of a file edited since it was read

    def __init__(self, workers: Workers, messages: MessageChannel, parent: Any = None) -> None:
        super().__init__(parent)
        self._workers = workers
        self._messages = messages
        self._key: tuple[Path, str] | None = None
        self._on_screen: tuple[Path, str] | None = None
        self.hidden_data: tuple[str, ...] | None = None
        self._failed = False  # the photo asked for could not be shown (said once)

    @property
    def key(self) -> tuple[Path, str] | None:
        """(path, content hash) of the photo shown, or None."""
        return self._key

    def is_on_screen(self, path: Path, photo_hash: str | None) -> bool:
        """True once the picture of (path, hash) was handed to the view (``image_ready``).

        Until then the view still shows the previous picture (or none): face boxes are
        drawn only over the picture they belong to.
        """
        return photo_hash is not None and self._on_screen == (path, photo_hash)

    def show(self, path: Path, photo_hash: str, stand_in: QImage | None = None) -> None:
        """Start loading ``path`` (known by ``photo_hash``) unless it is already shown.

        Meanwhile ``cleared`` says it is loading, then ``loading`` offers ``stand_in``
        (e.g. its grid thumbnail) for a view that can show it until the picture comes.
        """
        if self._key == (path, photo_hash):
            return
        self._key = (path, photo_hash)
        self._on_screen = None
        self._failed = False
        self.hidden_data = None
        self.cleared.emit(LOADING_TEXT)
        if stand_in is not None and not stand_in.isNull():
            self.loading.emit(stand_in)
        self._workers.run(
            "viewer",
            load_photo(path, photo_hash),
            on_result=self._on_loaded,
            on_error=self._on_error,
            lane="photo",
        )

    def clear(self, message: str, stand_in: QImage | None = None) -> None:
        """Show no picture, saying why (e.g. "Still reading this photo…"); ``stand_in``
        (its grid thumbnail, when there is one) is offered to show meanwhile."""
        self._key = None
        self._on_screen = None
        self._failed = False
        self.hidden_data = None
        self._workers.cancel_lane("photo")
        self._workers.cancel_lane("preview")
        self.cleared.emit(message)
        if stand_in is not None and not stand_in.isNull():
            self.loading.emit(stand_in)

    def stand_in(self, image: QImage) -> None:
        """Offer ``image`` (the photo's thumbnail, made after it was asked for) to show
        until the picture comes; ignored once the picture is on screen."""
        if self._on_screen is None and not self._failed and not image.isNull():
            self.loading.emit(image)

    def request_preview(
        self, faces: tuple[Box, ...], options: Any, writing: tuple[Box, ...] = ()
    ) -> None:
        """Render the exact export of the shown photo with these faces and this writing
        redacted."""
        if self._key is None:
            return
        key = self._key
        path, digest = key

        def shown(image: QImage) -> None:
            self._on_preview(key, image)

        self._workers.run(
            "viewer",
            render_preview(path, digest, faces, options, writing),
            on_result=shown,
            on_error=self._on_error,
            lane="preview",
        )

    def _on_loaded(self, loaded: LoadedPhoto) -> None:
        if self._key != (loaded.path, loaded.photo_hash):
            return
        self.hidden_data = loaded.hidden_data
        self._on_screen = self._key
        self.image_ready.emit(loaded.image, loaded.full_width, loaded.full_height)
        self.hidden_data_ready.emit(loaded.hidden_data)

    def _on_preview(self, key: tuple[Path, str] | None, image: QImage) -> None:
        if key == self._key:
            self.preview_ready.emit(image)

    def _on_error(self, error: JobError) -> None:
        if isinstance(error.exception, PhotoChanged) and self._key is not None:
            path = self._key[0]
            self.clear("This photo was changed since it was read. Reading it again…")
            self.changed_on_disk.emit(path)
            return
        reason = getattr(error.exception, "reason", None) or str(error.exception)
        self._messages.error(f"The photo could not be shown: {reason}", error.trace)
        self._on_screen = None
        self._failed = True
        self.cleared.emit("This photo could not be shown.")
