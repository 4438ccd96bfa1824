"""What scan works with at either end: the detector it runs, the session's cache it asks
first, and the sink it records each photo in (the session, through these protocols, so
scan needs nothing from the session part above it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from photoscreen.core.faces import Detection

__all__ = ["PhotoDetector", "ScanCache", "ScanSink"]


class PhotoDetector(Protocol):
    """What scan needs of a detector: :class:`~photoscreen.core.faces.FaceDetector`, or
    :class:`~photoscreen.core.identifiers.combined.FacesAndWriting` when writing is looked
    for too. ``prepare`` may run on any thread; ``detect_prepared`` on up to
    ``parallel_runs`` threads at once."""

    parallel_runs: int

    @property
    def settings_key(self) -> str: ...

    def min_decode_long_side(self) -> int: ...

    def prepare(self, pixels: npt.NDArray[np.uint8], scale: float = 1.0) -> Any: ...

    def detect_prepared(self, prepared: Any) -> list[Detection]: ...


class ScanCache(Protocol):
    """What scan asks the session: detections already found for this exact picture."""

    def cached_detections(self, photo_hash: str, settings_key: str) -> list[Detection] | None:
        """Detections stored for (content hash, detector settings), or None if never run."""


class ScanSink(Protocol):
    """Where scan records what it found (the session), called once per photo."""

    def record_scan(
        self,
        path: Path,
        photo_hash: str,
        width: int,
        height: int,
        format: str,
        detections: list[Detection] | None,
        settings_key: str | None,
    ) -> None:
        """A photo was read: its hash, upright full size, format and (new) detections.

        ``detections`` is None when no detector ran (none was given); ``settings_key`` is
        the detector's settings key, or None without a detector.
        """

    def record_unreadable(self, path: Path, reason: str) -> None:
        """A file could not be read as a photo, for the plain-words ``reason``."""
