"""Composite test photos with real faces at known places, for the face detector's tests.

The face is the public-domain NASA portrait that scikit-image ships (``astronaut()``):
a real face from a registry package, never a photo of anyone we know. It is pasted,
scaled, rotated and mirrored, into photos without faces (``coffee``, ``rocket``,
``chelsea``), blended through a soft oval so no hard rectangle edge gives it away, and the
scene remembers where each face went, in upright full-resolution pixels.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image
from skimage import data

from photoscreen.core.basics.geometry import Box

# The astronaut's head box (x1, y1, x2, y2) in astronaut(): where CenterFace puts it.
_FACE = (180.0, 56.0, 271.0, 179.0)
_FACE_W = _FACE[2] - _FACE[0]
_FACE_H = _FACE[3] - _FACE[1]

# EXIF orientation -> the transpose that turns the upright photo into the stored pixels
# (the inverse of what a viewer applies; orientations 6 and 8 undo each other).
_STORED = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@dataclass(frozen=True)
class PastedFace:
    """A face to paste: centre, head height in pixels, roll in degrees, mirrored or not."""

    centre_x: float
    centre_y: float
    height: float
    angle: float = 0.0
    mirrored: bool = False

    @property
    def expected_box(self) -> Box:
        """The upright head box where the face lands (before rotation, which CenterFace
        reports as an upright box of about the same size)."""
        width = self.height * _FACE_W / _FACE_H
        return Box(self.centre_x - width / 2, self.centre_y - self.height / 2, width, self.height)


def background(name: str, width: int, height: int) -> np.ndarray:
    """A faceless scikit-image photo (``coffee``, ``rocket``, ``chelsea``) at ``width`` x
    ``height``, as RGB uint8."""
    picture = getattr(data, name)()
    return cv2.resize(picture, (width, height), interpolation=cv2.INTER_CUBIC)


def _source(mirrored: bool) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """The astronaut, a soft oval mask around the head, and the face centre."""
    portrait = data.astronaut()
    centre = ((_FACE[0] + _FACE[2]) / 2, (_FACE[1] + _FACE[3]) / 2)
    mask = np.zeros(portrait.shape[:2], np.float32)
    axes = (round(_FACE_W * 0.75), round(_FACE_H * 0.72))
    cv2.ellipse(mask, (round(centre[0]), round(centre[1])), axes, 0, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 6)
    if mirrored:
        portrait, mask = portrait[:, ::-1], mask[:, ::-1]
        centre = (portrait.shape[1] - centre[0], centre[1])
    return np.ascontiguousarray(portrait), np.ascontiguousarray(mask), centre


def paste_face(scene: np.ndarray, face: PastedFace) -> None:
    """Blend the astronaut's face into ``scene`` (in place) as ``face`` says."""
    portrait, mask, (cx, cy) = _source(face.mirrored)
    zoom = face.height / _FACE_H
    reach = math.ceil(face.height * 1.1)
    left = max(0, round(face.centre_x) - reach)
    top = max(0, round(face.centre_y) - reach)
    right = min(scene.shape[1], round(face.centre_x) + reach)
    bottom = min(scene.shape[0], round(face.centre_y) + reach)
    matrix = cv2.getRotationMatrix2D((cx, cy), face.angle, zoom)
    matrix[0, 2] += face.centre_x - cx - left
    matrix[1, 2] += face.centre_y - cy - top
    size = (right - left, bottom - top)
    pasted = cv2.warpAffine(portrait, matrix, size, flags=cv2.INTER_AREA)
    alpha = cv2.warpAffine(mask, matrix, size, flags=cv2.INTER_LINEAR)[..., None]
    region = scene[top:bottom, left:right].astype(np.float32)
    scene[top:bottom, left:right] = (alpha * pasted + (1 - alpha) * region).astype(np.uint8)


def compose(name: str, width: int, height: int, faces: list[PastedFace]) -> np.ndarray:
    """A ``width`` x ``height`` scene on background ``name`` with ``faces`` pasted in."""
    scene = background(name, width, height)
    for face in faces:
        paste_face(scene, face)
    return scene


def jpeg_with_orientation(upright: np.ndarray, orientation: int, quality: int = 92) -> bytes:
    """JPEG bytes whose pixels are stored so that EXIF ``orientation`` makes them upright."""
    image = Image.fromarray(upright)
    if orientation in _STORED:
        image = image.transpose(_STORED[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()
