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
from photoscreen.core.faces.onnx_runner import Backend, cpu_count, default_backend
from photoscreen.core.faces.passes import iou_matrix, nms

__all__ = [
    "MODEL_FILE",
    "Backend",
    "CenterFaceNet",
    "Detection",
    "DetectionMode",
    "FaceBand",
    "FaceDetector",
    "PreparedPhoto",
    "cpu_count",
    "decode",
    "default_backend",
    "iou_matrix",
    "model_bytes",
    "nms",
    "preload",
]
