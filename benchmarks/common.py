"""Shared helpers for the benchmark scripts: generated photo folders, timing and output.

Every benchmark measures the real photoscreen code paths on generated 12-megapixel JPEGs
that look like camera photos to a decoder: textured (so the entropy-coded data is as large
as a real photo's, a few MB), with some pasted faces from scikit-image's public-domain
``astronaut()`` so the detector has real work to do. Photos live in a temporary directory
that is removed afterwards; nothing is written into the repository.

Each figure is printed beside a baseline measured in the same run (medians of repeats),
and ``--json`` prints all of them as one JSON object instead.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    # Scripts run as ``python benchmarks/x.py`` from anywhere; make the package importable.
    sys.path.insert(0, str(REPO_ROOT))

# A 12-megapixel camera frame (4:3), the size the goals are stated for.
PHOTO_SIZE = (4000, 3000)
# The astronaut's head in skimage.data.astronaut() (x0, y0, x1, y1), with hair and neck.
_ASTRONAUT_HEAD = (150, 20, 330, 230)
_BACKGROUNDS = ("coffee", "chelsea", "rocket", "hubble_deep_field", "immunohistochemistry")


def shared_dir() -> Path | None:
    """The team's shared data directory beside the repository, or None with a message."""
    path = (REPO_ROOT / ".." / "shared").resolve()
    if not path.is_dir():
        print(f"note: shared data directory not found at {path}", file=sys.stderr)
        return None
    return path


def _skimage(name: str) -> np.ndarray:
    import skimage.data

    image = getattr(skimage.data, name)()
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    return np.ascontiguousarray(image[..., :3].astype(np.uint8))


def _texture(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """Grain plus mid-frequency detail (like sensor noise, foliage, fabric), centred on 128."""
    tile = np.clip(rng.normal(128, 7, size=(256, 256, 3)), 0, 255).astype(np.uint8)
    reps = (height // 256 + 1, width // 256 + 1, 1)
    fine = np.tile(tile, reps)[:height, :width]
    small = rng.normal(128, 18, size=(height // 40 + 1, width // 40 + 1, 3))
    coarse = cv2.resize(
        np.clip(small, 0, 255).astype(np.uint8), (width, height), interpolation=cv2.INTER_CUBIC
    )
    # Saturating uint8 arithmetic in OpenCV: fast, no int16 copies of a 36 MB frame.
    return cv2.addWeighted(fine, 1.0, coarse, 1.0, -128.0)


def paste_face(canvas: np.ndarray, x: int, y: int, size: int, mirror: bool = False) -> None:
    """Paste the astronaut's head, ``size`` px wide, with its top-left corner at (x, y)."""
    x0, y0, x1, y1 = _ASTRONAUT_HEAD
    head = _skimage("astronaut")[y0:y1, x0:x1]
    if mirror:
        head = head[:, ::-1]
    height = round(size * (y1 - y0) / (x1 - x0))
    scaled = cv2.resize(head, (size, height), interpolation=cv2.INTER_AREA)
    h = min(height, canvas.shape[0] - y)
    w = min(size, canvas.shape[1] - x)
    canvas[y : y + h, x : x + w] = scaled[:h, :w]


def make_photo(seed: int, size: tuple[int, int] = PHOTO_SIZE, faces: int = 0) -> np.ndarray:
    """A textured RGB photo of ``size`` (width, height) with ``faces`` pasted heads."""
    rng = np.random.default_rng(seed)
    width, height = size
    background = _skimage(_BACKGROUNDS[seed % len(_BACKGROUNDS)])
    if seed % 2:
        background = background[:, ::-1]
    base = cv2.resize(background, (width, height), interpolation=cv2.INTER_LINEAR)
    photo = cv2.addWeighted(base, 1.0, _texture(rng, width, height), 1.0, -128.0)
    for _ in range(faces):
        face = int(rng.integers(width // 40, width // 8))
        x = int(rng.integers(0, width - face))
        y = int(rng.integers(0, height - face * 2))
        paste_face(photo, x, y, face, mirror=bool(rng.integers(0, 2)))
    return photo


def encode_jpeg(pixels: np.ndarray, quality: int = 92) -> bytes:
    """Encode like a camera: baseline JPEG, 4:2:0 chroma subsampling."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=quality, subsampling=2)
    return buffer.getvalue()


def with_comment(jpeg: bytes, text: str) -> bytes:
    """The same JPEG with a COM segment after SOI: same pixels, different content hash."""
    payload = text.encode()
    segment = b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


def generate_folder(
    directory: Path,
    count: int,
    *,
    size: tuple[int, int] = PHOTO_SIZE,
    distinct: int | None = None,
) -> list[Path]:
    """Write ``count`` JPEGs into ``directory``; every other photo has 1-4 faces.

    With ``distinct`` only that many different pictures are rendered and encoded; the rest
    are byte-level variants (a different JPEG comment), so every file still has its own
    content hash and is decoded in full. This keeps a 2,000-photo folder cheap to make.
    """
    directory.mkdir(parents=True, exist_ok=True)
    unique = count if distinct is None else min(count, distinct)

    def render(index: int) -> bytes:
        faces = 1 + index % 4 if index % 2 == 0 else 0
        return encode_jpeg(make_photo(index, size, faces))

    # OpenCV and Pillow release the GIL, so threads make the folder on every core.
    with ThreadPoolExecutor() as pool:
        encoded = list(pool.map(render, range(unique)))
    paths = []
    for index in range(count):
        data = encoded[index % unique]
        if index >= unique:
            data = with_comment(data, f"photo {index}")
        path = directory / f"IMG_{index:04d}.jpg"
        path.write_bytes(data)
        paths.append(path)
    return paths


def bare_decode(data: bytes, min_long_side: int | None = None) -> np.ndarray:
    """The unavoidable decode: Pillow/libjpeg with DCT scaling, nothing else (baseline).

    No format sniffing, structure checks, colour management or orientation: the least any
    program must do to get pixels at (at least) ``min_long_side`` from a JPEG.
    """
    with Image.open(io.BytesIO(data)) as image:
        if min_long_side is not None:
            width, height = image.size
            factor = min_long_side / max(width, height)
            image.draft("RGB", (int(width * factor) + 1, int(height * factor) + 1))
        return np.asarray(image.convert("RGB"))


@contextmanager
def temp_photo_dir(prefix: str = "photoscreen-bench-") -> Iterator[Path]:
    """A temporary directory that is removed, with its photos, when the block ends."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def timed(fn: Callable[[], object]) -> float:
    """Wall time of one call, in seconds."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_time(fn: Callable[[], object], repeats: int = 3, warmup: int = 0) -> float:
    """Median wall time of ``repeats`` calls after ``warmup`` unmeasured calls."""
    for _ in range(warmup):
        fn()
    return statistics.median(timed(fn) for _ in range(repeats))


def common_arguments(description: str, default_photos: int) -> argparse.ArgumentParser:
    """The options every benchmark script takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--photos", type=int, default=default_photos, help="number of generated photos"
    )
    parser.add_argument("--repeats", type=int, default=3, help="repeats per timing (median)")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    return parser


class Report:
    """Collects figures with their baselines; prints a table, or JSON with ``--json``."""

    def __init__(self, name: str, as_json: bool) -> None:
        self.name = name
        self.as_json = as_json
        self.figures: dict[str, Any] = {}
        self.notes: list[str] = []

    def log(self, message: str) -> None:
        """Progress text: to stderr so ``--json`` output stays one clean object."""
        print(message, file=sys.stderr, flush=True)

    def add(self, key: str, value: Any, unit: str = "", label: str = "") -> None:
        self.figures[key] = round(value, 4) if isinstance(value, float) else value
        if not self.as_json:
            shown = f"{value:.4g}" if isinstance(value, float) else str(value)
            print(f"  {label or key:<58} {shown} {unit}".rstrip(), flush=True)

    def goal(self, key: str, ratio: float, limit: float, label: str) -> bool:
        """Record a ratio against its goal; returns whether the goal is met."""
        met = ratio <= limit
        self.figures[key] = round(ratio, 3)
        self.figures[f"{key}_goal"] = limit
        self.figures[f"{key}_met"] = met
        if not self.as_json:
            verdict = "MET" if met else "MISSED"
            print(f"  {label:<58} {ratio:.3f}x (goal <= {limit}x) {verdict}", flush=True)
        return met

    def note(self, text: str) -> None:
        self.notes.append(text)
        if not self.as_json:
            print(f"  note: {text}", flush=True)

    def finish(self) -> dict[str, Any]:
        result = {"benchmark": self.name, **self.figures}
        if self.notes:
            result["notes"] = self.notes
        if self.as_json:
            print(json.dumps(result, indent=2))
        return result
