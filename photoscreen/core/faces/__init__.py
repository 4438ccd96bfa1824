"""Face detection: the CenterFace model, run on the CPU over several looks at a photo, and the
looks merged into one box per face.
"""

from __future__ import annotations

from photoscreen.core.faces.centerface import MODEL_FILE, CenterFaceNet, decode, model_bytes
from photoscreen.core.faces.detector import (
    Detection,
    DetectionMode,
    FaceBand,
    FaceDetector,
    PreparedPhoto,
    preload,
)
from photoscreen.core.faces.onnx_runner import (
    Backend,
    ModelLoadError,
    OnnxModel,
    cpu_count,
    default_backend,
    thread_plan,
)
from photoscreen.core.faces.onnx_shapes import ModelFormatError, dynamic_model
from photoscreen.core.faces.passes import iou_matrix, nms

__all__ = [
    "MODEL_FILE",
    "Backend",
    "CenterFaceNet",
    "Detection",
    "DetectionMode",
    "FaceBand",
    "FaceDetector",
    "ModelFormatError",
    "ModelLoadError",
    "OnnxModel",
    "PreparedPhoto",
    "cpu_count",
    "decode",
    "default_backend",
    "dynamic_model",
    "iou_matrix",
    "model_bytes",
    "nms",
    "preload",
    "thread_plan",
]
