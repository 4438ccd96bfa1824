"""Running an ONNX model on the CPU: ONNX Runtime when it is installed, else OpenCV's dnn.

:class:`OnnxModel` is the one small layer every network in photoscreen goes through:
model bytes in (made size-free once, see :mod:`photoscreen.core.faces.onnx_shapes`), a float32
NCHW array in, the named outputs out. Two backends give the same numbers (to ~1e-5):

- **ONNX Runtime** (``onnxruntime`` on PyPI, MIT), used whenever it can be imported: on a
  2-core AVX2 PC it runs CenterFace in about 0.7x of the CPU time ``cv2.dnn`` needs, and
  twice as fast on CPUs with AVX-512. One session may be run from several threads at once.
- **OpenCV** ``cv2.dnn``: the fallback for a platform with no ONNX Runtime wheel. A
  ``cv2.dnn.Net`` keeps per-call state, so it is used from one thread at a time.

ONNX Runtime is set up for an office PC shared with a GUI (see docs/faces-benchmark.md,
"Threads" and "Memory"): its worker threads sleep when idle instead of spinning (a
spinning pool takes a whole core from the window and from the decoder threads), and its
memory arena is off, so a run at a large input gives its ~130 bytes per input pixel back
when it ends instead of holding them for the life of the session (1.5 GB after one
2304 x 1728 run with the arena; 46 MB without, at the same speed).
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from types import ModuleType
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from photoscreen.core.faces.onnx_shapes import ModelFormatError

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]

# ONNX Runtime's log levels: 3 is errors only (its warnings would go to stderr unasked).
_ORT_ERRORS_ONLY = 3


class Backend(str, Enum):
    """Which library runs the network."""

    ONNXRUNTIME = "onnxruntime"
    OPENCV = "opencv"


class ModelLoadError(RuntimeError):
    """A model could not be loaded by the backend asked for."""


def _onnxruntime() -> ModuleType | None:
    """The ``onnxruntime`` module, or None when it is missing or fails to load."""
    try:
        return importlib.import_module("onnxruntime")
    except (ImportError, OSError) as error:
        # OSError: a wheel whose native library cannot be loaded on this PC.
        log.info("ONNX Runtime not available (%s); using OpenCV's dnn", error)
        return None


def default_backend() -> Backend:
    """ONNX Runtime if it can be imported, else OpenCV."""
    return Backend.ONNXRUNTIME if _onnxruntime() is not None else Backend.OPENCV


def available_backends() -> list[Backend]:
    """Every backend that can run here (OpenCV always can)."""
    return [backend for backend in Backend if backend is Backend.OPENCV or _onnxruntime()]


def cpu_count() -> int:
    """Cores this process may use (the affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


# At most this many runs of one model side by side: each holds its working memory while
# it runs (about 120 bytes per input pixel on ONNX Runtime), and the app's memory goal is
# for the whole process.
MAX_CALLS = 4
# Above this many cores one is left to the window's thread and to decoding photos.
_CORES_WITHOUT_SPARE = 3


@dataclass(frozen=True)
class ThreadPlan:
    """How one model uses the cores.

    ``calls`` runs of it go side by side, on ``threads`` threads each; ``photos`` is how
    many photos scan may detect at once (with two, the next photo's runs are queued
    while the last one's boxes are merged, so no core waits).
    """

    calls: int
    threads: int
    photos: int


def thread_plan(backend: Backend, cores: int | None = None) -> ThreadPlan:
    """How a model on ``backend`` should use ``cores`` (default: this process's).

    ONNX Runtime: independent inputs (a mirror image, a photo's tiles) run side by side,
    one thread each: on 2 cores that is faster than one run on two threads (measured
    1.58-1.81x against 2.14-2.82x of a cv2.dnn pass for a mirrored pair; no hand-over
    between threads inside a run). Up to 3 cores all are used; from 4, one is left for the
    window's thread and the decoder, and beyond :data:`MAX_CALLS` runs each run gets more
    threads. OpenCV's ``cv2.dnn`` net runs one input at a time on OpenCV's own
    process-wide threads.
    """
    cores = max(1, cores if cores is not None else cpu_count())
    if backend is Backend.OPENCV:
        return ThreadPlan(calls=1, threads=cores, photos=1)
    usable = cores if cores <= _CORES_WITHOUT_SPARE else cores - 1
    calls = min(usable, MAX_CALLS)
    return ThreadPlan(calls=calls, threads=max(1, usable // calls), photos=2 if calls > 2 else 1)


class OnnxModel:
    """One loaded network: :meth:`run` takes an NCHW float32 array, returns its outputs.

    ``model`` is the bytes of a size-free ONNX model (see
    :func:`photoscreen.core.faces.onnx_shapes.dynamic_model`), ``outputs`` the output names to
    fetch, in order. ``threads`` is how many threads one run may use (ONNX Runtime's
    intra-op threads; OpenCV's count is process-wide and left alone). Raises
    :class:`ModelLoadError` when the backend cannot load the model.
    """

    def __init__(
        self,
        model: bytes,
        outputs: Sequence[str],
        *,
        backend: Backend | None = None,
        threads: int = 1,
    ) -> None:
        self.backend = Backend(backend) if backend is not None else default_backend()
        self.outputs = list(outputs)
        self.threads = max(1, threads)
        self._input_name = ""
        if self.backend is Backend.ONNXRUNTIME:
            self._session: Any = self._ort_session(model)
        else:
            self._net = self._opencv_net(model)

    @property
    def thread_safe(self) -> bool:
        """True when several threads may call :meth:`run` at once (ONNX Runtime)."""
        return self.backend is Backend.ONNXRUNTIME

    def _ort_session(self, model: bytes) -> Any:
        ort = _onnxruntime()
        if ort is None:
            raise ModelLoadError("ONNX Runtime is not installed (pip install onnxruntime)")
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.enable_cpu_mem_arena = False
        options.log_severity_level = _ORT_ERRORS_ONLY
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        try:
            session = ort.InferenceSession(
                model, sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # ONNX Runtime's own exception types, from C++
            raise ModelLoadError(f"ONNX Runtime could not load the model: {error}") from error
        self._input_name = session.get_inputs()[0].name
        return session

    @staticmethod
    def _opencv_net(model: bytes) -> cv2.dnn.Net:
        try:
            net = cv2.dnn.readNetFromONNX(np.frombuffer(model, dtype=np.uint8))
        except cv2.error as error:
            raise ModelLoadError(f"OpenCV could not load the model: {error}") from error
        # Plain OpenCV on the CPU: what every office PC has. (The target is not set: CPU
        # is the default, and OpenCV 5's engine warns on stderr when asked for it.)
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        return net

    def run(self, blob: FloatArray) -> list[FloatArray]:
        """The outputs for one NCHW float32 input (any batch and image size the model
        takes), in the order of ``outputs``."""
        if blob.dtype != np.float32 or blob.ndim != 4:
            raise ValueError(
                f"the model takes an NCHW float32 array, got {blob.dtype} {blob.shape}"
            )
        if self.backend is Backend.ONNXRUNTIME:
            results = self._session.run(self.outputs, {self._input_name: blob})
            return [np.asarray(result, dtype=np.float32) for result in results]
        self._net.setInput(blob)
        return [np.asarray(result, dtype=np.float32) for result in self._net.forward(self.outputs)]


__all__ = [
    "MAX_CALLS",
    "Backend",
    "ModelFormatError",
    "ModelLoadError",
    "OnnxModel",
    "ThreadPlan",
    "available_backends",
    "cpu_count",
    "default_backend",
    "thread_plan",
]
