"""Finding writing in a photo (never reading it): two looks with the PP-OCRv4 detector.

:class:`TextDetector` takes upright RGB pixels (orientation applied by the loader, possibly
a reduced decode) and returns :class:`TextRegion` boxes in the upright photo's
full-resolution pixels. Nothing here recognises characters: the network's answer is a map
of "is this pixel part of a line of writing", and only boxes leave this module.

How a photo is looked at (measurements in ``docs/identifiers-benchmark.md``):

1. **First look**, the whole photo at :data:`FIRST_LONG_SIDE` px on its long side
   (1440: a 12-megapixel photo's 12 px letters are 4-5 px there, which the network still
   marks faintly), with a low bar: every place that may be writing is a *candidate*.
2. **Second look**, each candidate's neighbourhood (candidates close together share one
   crop) at :data:`SECOND_LONG_SIDE` px on the photo's long side (1.7 times the first
   look; never above the decode's own resolution). 2496 is what face detection decodes
   a 12-megapixel photo to already, so looking for writing makes no decode larger.
   Writing stays writing when looked at closer, with crisp strokes of one height; the
   textures that fool a detector at one scale (wood grain, fur, brick joints, coin
   rims) mostly fall apart. A candidate is kept when the closer look finds a region on it
   with a score of at least ``confirm.box_threshold``; the box then comes from the closer
   look (tighter and better placed).

A region taller than :data:`MAX_HEIGHT_SHARE` of the photo is dropped (a whiteboard's
lines are found one by one; a region that tall is a pattern, never one line), and so is a
round one (:data:`MIN_ASPECT`): a single "o"-like shape is an eye or a coin far more often
than writing that could name anyone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt

from photoscreen.core.basics import Box
from photoscreen.core.faces import Backend, default_backend, thread_plan
from photoscreen.core.identifiers import db_boxes
from photoscreen.core.identifiers.db_boxes import DbSettings, FloatArray
from photoscreen.core.identifiers.text_model import TextNet

MODEL_VERSION = "ppocrv4-det"
FIRST_LONG_SIDE = 1440
SECOND_LONG_SIDE = 2496
# Never enlarge a small photo more than this for the first look.
MAX_UPSCALE = 1.5
# A candidate's crop reaches this many of its own heights beyond it (at least CROP_MIN px of
# the second look), so the closer look sees the whole line and some of what is around it.
CROP_MARGIN = 1.0
CROP_MIN = 24
MAX_HEIGHT_SHARE = 0.25
# A line of writing is at least this many times longer than high, counting descenders (a
# three-letter name such as "Ivy" is about 1.5; a cat's eye or a coin, which the network
# can take for an "o", 1.0 to 1.3). Two-letter words are lost: rarely a whole name.
MIN_ASPECT = 1.4
# Candidates whose crops come closer than this (second-look pixels) share one crop.
JOIN_GAP = 48


@dataclass(frozen=True)
class TextRegion:
    """A place where something is written, in upright full-resolution pixels."""

    box: Box
    score: float


@dataclass(frozen=True)
class TextSettings:
    """Everything that changes what is found (part of :attr:`TextDetector.settings_key`)."""

    first_long_side: int = FIRST_LONG_SIDE
    second_long_side: int = SECOND_LONG_SIDE
    candidate: DbSettings = field(default_factory=lambda: DbSettings(0.3, 0.45))
    confirm: DbSettings = field(default_factory=lambda: DbSettings(0.3, 0.6))


@dataclass(frozen=True)
class PreparedText:
    """A photo shrunk to the largest resolution the detector looks at."""

    pixels: npt.NDArray[np.uint8]
    scale: float  # pixels' width over the photo's full width
    full_width: float
    full_height: float


class TextDetector:
    """Finds lines of writing. :meth:`prepare` may run on any thread; :meth:`detect_prepared`
    on one thread at a time on OpenCV (:attr:`parallel_runs`).

    Raises :class:`~photoscreen.core.identifiers.text_model.TextModelMissingError` (in
    plain words) when the model that comes with ``rapidocr-onnxruntime`` is missing.
    """

    def __init__(
        self,
        settings: TextSettings | None = None,
        *,
        backend: Backend | None = None,
        cores: int | None = None,
    ) -> None:
        self.settings = settings or TextSettings()
        backend = Backend(backend) if backend is not None else default_backend()
        plan = thread_plan(backend, cores)
        self._net = TextNet(backend, threads=max(1, plan.threads * plan.calls))
        self.parallel_runs = plan.photos if self._net.thread_safe else 1

    @property
    def backend(self) -> Backend:
        return self._net.backend

    @property
    def settings_key(self) -> str:
        """Names the model and the looks, and ends in a digest of every setting: cached
        regions are valid for one key."""
        s = self.settings
        digest = hashlib.sha256(repr((s, _tuning())).encode()).hexdigest()[:10]
        return f"{MODEL_VERSION}:{s.first_long_side}+{s.second_long_side}:{digest}"

    def min_decode_long_side(self) -> int:
        """The long side the decoded photo should have (the second look's resolution)."""
        return self.settings.second_long_side

    def prepare(self, pixels: npt.NDArray[np.uint8], scale: float = 1.0) -> PreparedText:
        """``pixels`` (upright RGB, ``scale`` = its width over the full width) shrunk to
        what the second look needs; :meth:`detect_prepared` finds the same as :meth:`detect`."""
        _check_pixels(pixels, scale)
        height, width = pixels.shape[:2]
        full_width, full_height = width / scale, height / scale
        target = self.min_decode_long_side()
        if max(width, height) > target:
            factor = target / max(width, height)
            size = (max(1, round(width * factor)), max(1, round(height * factor)))
            pixels = np.asarray(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA), np.uint8)
            scale = pixels.shape[1] / full_width
        return PreparedText(pixels, scale, full_width, full_height)

    def detect(self, pixels: npt.NDArray[np.uint8], scale: float = 1.0) -> list[TextRegion]:
        """Lines of writing in ``pixels``, best first, in full-resolution upright pixels."""
        return self.detect_prepared(self.prepare(pixels, scale))

    def detect_prepared(self, prepared: PreparedText) -> list[TextRegion]:
        """Lines of writing in a photo made ready by :meth:`prepare`."""
        s = self.settings
        source = prepared.pixels
        full_long = max(prepared.full_width, prepared.full_height)
        first_side = min(s.first_long_side, round(full_long * MAX_UPSCALE))
        first_factor = first_side / max(source.shape[:2])
        first = _resized(source, first_factor)
        candidates = db_boxes.boxes(self._net.probability(first), s.candidate)
        if not len(candidates):
            return []
        second_factor = max(first_factor, min(1.0, s.second_long_side / max(source.shape[:2])))
        confirmed = self._second_look(source, candidates / _row_scale(first_factor), second_factor)
        return _regions(confirmed, prepared)

    def _second_look(
        self, source: npt.NDArray[np.uint8], candidates: FloatArray, factor: float
    ) -> FloatArray:
        """Regions the closer look finds on the candidates, in ``source`` pixels."""
        found = []
        height, width = source.shape[:2]
        for x1, y1, x2, y2 in _crops(candidates, factor, width, height):
            crop = _resized(source[y1:y2, x1:x2], factor)
            rows = db_boxes.boxes(self._net.probability(crop), self.settings.confirm)
            rows = rows / _row_scale(factor)
            rows[:, [0, 2]] += x1
            rows[:, [1, 3]] += y1
            found.append(_on_candidates(rows, candidates))
        return np.concatenate(found) if found else np.zeros((0, db_boxes.COLUMNS), np.float32)


def _tuning() -> tuple[object, ...]:
    return (
        db_boxes.MIN_CORE,
        MAX_UPSCALE,
        CROP_MARGIN,
        CROP_MIN,
        MAX_HEIGHT_SHARE,
        JOIN_GAP,
        MIN_ASPECT,
    )


def _row_scale(factor: float) -> FloatArray:
    """Divides a box row (x1, y1, x2, y2, score, height, length) from a resized image back."""
    return np.array([factor, factor, factor, factor, 1.0, factor, factor], np.float32)


def _resized(pixels: npt.NDArray[np.uint8], factor: float) -> npt.NDArray[np.uint8]:
    if abs(factor - 1.0) < 1e-3:
        return pixels
    height, width = pixels.shape[:2]
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    return np.asarray(cv2.resize(pixels, size, interpolation=interpolation), np.uint8)


def _crops(candidates: FloatArray, factor: float, width: int, height: int) -> list[tuple[int, ...]]:
    """Crops (x1, y1, x2, y2) in source pixels around the candidates, near ones joined."""
    margin = np.maximum(candidates[:, 5] * CROP_MARGIN, CROP_MIN / factor)
    spans = np.stack(
        [
            candidates[:, 0] - margin,
            candidates[:, 1] - margin,
            candidates[:, 2] + margin,
            candidates[:, 3] + margin,
        ],
        axis=1,
    )
    joined = _join(spans.tolist(), JOIN_GAP / factor)
    return [
        (max(0, int(a)), max(0, int(b)), min(width, int(np.ceil(c))), min(height, int(np.ceil(d))))
        for a, b, c, d in joined
    ]


def _join(spans: list[list[float]], gap: float) -> list[list[float]]:
    """Merge boxes that come within ``gap`` of each other until none do."""
    merged = True
    while merged:
        merged = False
        out: list[list[float]] = []
        for span in spans:
            for other in out:
                if (
                    span[0] - gap < other[2]
                    and other[0] - gap < span[2]
                    and span[1] - gap < other[3]
                    and other[1] - gap < span[3]
                ):
                    other[:] = [min(span[0], other[0]), min(span[1], other[1]),
                                max(span[2], other[2]), max(span[3], other[3])]  # fmt: skip
                    merged = True
                    break
            else:
                out.append(list(span))
        spans = out
    return spans


def _on_candidates(rows: FloatArray, candidates: FloatArray) -> FloatArray:
    """The rows whose centre lies on some candidate of the first look."""
    if not len(rows):
        return rows
    cx = (rows[:, 0] + rows[:, 2]) / 2
    cy = (rows[:, 1] + rows[:, 3]) / 2
    inside = (
        (cx[:, None] >= candidates[None, :, 0])
        & (cx[:, None] <= candidates[None, :, 2])
        & (cy[:, None] >= candidates[None, :, 1])
        & (cy[:, None] <= candidates[None, :, 3])
    )
    return rows[inside.any(axis=1)]


def _regions(rows: FloatArray, prepared: PreparedText) -> list[TextRegion]:
    """Rows in source pixels -> regions in full-resolution pixels, best first."""
    regions = []
    limit = MAX_HEIGHT_SHARE * min(prepared.full_width, prepared.full_height)
    for x1, y1, x2, y2, score, height, length in rows[np.argsort(-rows[:, 4], kind="stable")]:
        if length < MIN_ASPECT * height:
            continue  # round: an eye, a coin, a button; a name is longer than it is high
        box = Box(
            float(x1 / prepared.scale),
            float(y1 / prepared.scale),
            float((x2 - x1) / prepared.scale),
            float((y2 - y1) / prepared.scale),
        ).clipped(prepared.full_width, prepared.full_height)
        if box.area <= 0 or min(box.w, box.h) > limit:
            continue
        regions.append(TextRegion(box, float(score)))
    return regions


def _check_pixels(pixels: npt.NDArray[np.uint8], scale: float) -> None:
    """Refuse input that is not an RGB uint8 image, in words a developer can act on."""
    if not isinstance(pixels, np.ndarray) or pixels.dtype != np.uint8:
        raise ValueError("text detection needs an 8-bit image (numpy uint8 array)")
    if pixels.ndim != 3 or pixels.shape[2] != 3 or 0 in pixels.shape[:2]:
        raise ValueError(f"text detection needs H x W x 3 RGB pixels, got shape {pixels.shape}")
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale}")
