"""Faces and writing found in one go: what scan runs when looking for writing is on.

:class:`FacesAndWriting` wraps a face detector and a :class:`TextDetector` behind the face
detector's own interface (``settings_key``, ``min_decode_long_side``, ``prepare``,
``detect_prepared``, ``parallel_runs``), so scan decodes each photo once for both and
caches both results under one key. Writing comes back as detections in the third band,
:attr:`~photoscreen.core.faces.FaceBand.TEXT` ("writing?"), after the faces.

The combined key is the face key, ``|writing:`` (:data:`WRITING_MARK`), then the
text detector's key: a change to either detector's settings, or turning writing on or off,
makes a new key, so results cached under the old one are not used. The store tells from a
key whether writing was looked for (``scan_records.looked_for_writing``): a photo where
none was found has no TEXT detections, and must still count as looked at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from photoscreen.core.faces import Detection, FaceBand, FaceDetector, PreparedPhoto
from photoscreen.core.identifiers.text_detector import PreparedText, TextDetector

# What a combined key holds between the face key and the text detector's: the store tells
# from it that writing was looked for (``photoscreen.core.session.scan_records``).
WRITING_MARK = "|writing:"


@dataclass(frozen=True)
class PreparedBoth:
    """A photo shrunk for both detectors."""

    faces: PreparedPhoto
    writing: PreparedText


class FacesAndWriting:
    """A face detector and a text detector, run one after the other on each photo."""

    def __init__(self, faces: FaceDetector, writing: TextDetector) -> None:
        self.faces = faces
        self.writing = writing
        self.parallel_runs = min(faces.parallel_runs, writing.parallel_runs)

    @property
    def backend(self) -> Any:
        return self.faces.backend

    @property
    def settings_key(self) -> str:
        return f"{self.faces.settings_key}{WRITING_MARK}{self.writing.settings_key}"

    def min_decode_long_side(self) -> int:
        return max(self.faces.min_decode_long_side(), self.writing.min_decode_long_side())

    def prepare(self, pixels: npt.NDArray[np.uint8], scale: float = 1.0) -> PreparedBoth:
        return PreparedBoth(self.faces.prepare(pixels, scale), self.writing.prepare(pixels, scale))

    def detect_prepared(self, prepared: PreparedBoth) -> list[Detection]:
        """The faces, then the writing as TEXT-band detections."""
        found = self.faces.detect_prepared(prepared.faces)
        regions = self.writing.detect_prepared(prepared.writing)
        return found + [Detection(r.box, r.score, FaceBand.TEXT) for r in regions]

    def detect(self, pixels: npt.NDArray[np.uint8], scale: float = 1.0) -> list[Detection]:
        return self.detect_prepared(self.prepare(pixels, scale))


def with_writing(
    face_factory: Callable[[], Any], writing_factory: Callable[[], TextDetector] = TextDetector
) -> Callable[[], FacesAndWriting]:
    """A detector factory for scan that adds writing to what ``face_factory`` finds."""

    def build() -> FacesAndWriting:
        return FacesAndWriting(face_factory(), writing_factory())

    return build
