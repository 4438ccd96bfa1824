"""The demo folder: sample scenes with planted identifying metadata."""

from __future__ import annotations

from photoscreen.core.demo.sample_folder import DEMO_PHOTOS, build_demo_folder, ensure_demo_folder

__all__ = [
    "DEMO_PHOTOS",
    "build_demo_folder",
    "ensure_demo_folder",
]
