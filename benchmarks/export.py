"""Export benchmark: the whole export job vs a bare full decode + resize + encode.

Goal (issue 6): exporting photos (read, hash, judge against the policy, decode, redact,
resize, encode, verify, write safely) takes at most 1.3x a bare full decode + resize +
encode of the same photos, measured in the same run. The export job renders on one
thread per core (at most two, ``core.export.render_workers``), so the bare work is timed
photo by photo on one thread and divided by the same number, as if spread perfectly over
those cores.

The folder is opened as a real session, scanned (faces detected and recorded), and every
photo is made eligible the way staff would: an activity tagged, possible faces accepted,
faces checked. Each export run writes into a fresh destination.

    python benchmarks/export.py [--photos 20] [--repeats 3] [--json]
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from common import (
    Report,
    bare_decode,
    common_arguments,
    generate_folder,
    temp_photo_dir,
)
from PIL import Image

from photoscreen.core.basics import CancelToken
from photoscreen.core.faces import FaceDetector
from photoscreen.core.imaging import ThumbnailStore
from photoscreen.core.rules import FaceState
from photoscreen.core.session import Session
from photoscreen.core.workflows import export_photos, render_workers, scan_photos

ACTIVITY = "stay_and_play"


def prepare_session(folder: Path, paths: list[Path]) -> tuple[Session, float]:
    """Open the folder, scan it, and decide every photo the way staff would.

    Returns the open session and the wall time of the scan (open + hash + thumbnail +
    detection, recorded in the session).
    """
    start = time.perf_counter()
    session = Session.open(folder, "benchmark")
    results = list(
        scan_photos(
            paths,
            detector_factory=FaceDetector,
            cancel=CancelToken(),
            cache=session,
            sink=session,
            thumbs=ThumbnailStore(session.session_dir),
        )
    )
    scan_s = time.perf_counter() - start
    for result in results:
        if result.photo_hash is None:
            raise AssertionError(f"{result.path}: {result.error}")
        digest = result.photo_hash
        session.set_activity(digest, ACTIVITY)
        for face in session.faces(digest):
            if face.state is FaceState.POSSIBLE_PENDING:
                session.accept_face(digest, face.id)
        session.set_faces_checked(digest)
    return session, scan_s


def export_once(session: Session, destination: Path, expected: int) -> float:
    """Wall time of one export job into an empty ``destination``."""
    destination.mkdir(parents=True)
    start = time.perf_counter()
    summary = export_photos(session, destination)
    elapsed = time.perf_counter() - start
    if len(summary.written) != expected:
        raise AssertionError(f"export wrote {len(summary.written)} of {expected}: {summary}")
    return elapsed


def _bare_pillow(data: bytes, long_side: int, quality: int) -> None:
    pixels = bare_decode(data)
    small = _resized(pixels, long_side)
    Image.fromarray(small).save(io.BytesIO(), "JPEG", quality=quality)


def _bare_opencv(data: bytes, long_side: int, quality: int) -> None:
    flags = cv2.IMREAD_COLOR_RGB | cv2.IMREAD_IGNORE_ORIENTATION
    pixels = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
    small = _resized(pixels, long_side)
    cv2.imencode(".jpg", small[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])


def _resized(pixels: np.ndarray, long_side: int) -> np.ndarray:
    height, width = pixels.shape[:2]
    factor = long_side / max(height, width)
    size = (round(width * factor), round(height * factor))
    return np.ascontiguousarray(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA))


def bare_export(paths: list[Path], long_side: int, quality: int) -> float:
    """Baseline: full decode + area resize + JPEG encode per photo, on one thread; the
    caller divides by the export job's render threads.

    Done both with Pillow and with OpenCV (both libjpeg-turbo); each photo counts the
    faster of the two, so the baseline is the cheapest bare pipeline these libraries give.
    """
    total = 0.0
    for path in paths:
        data = path.read_bytes()
        times = []
        for bare in (_bare_pillow, _bare_opencv):
            start = time.perf_counter()
            bare(data, long_side, quality)
            times.append(time.perf_counter() - start)
        total += min(times)
    return total


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_photos=20)
    args = parser.parse_args()
    report = Report("export", args.json)
    with temp_photo_dir() as base:
        folder = base / "photos"
        report.log(f"generating {args.photos} 12-megapixel JPEGs ...")
        paths = generate_folder(folder, args.photos)
        report.log("opening the session and scanning ...")
        session, _ = prepare_session(folder, paths)
        try:
            options = session.export_options()
            faces = sum(len(session.faces(h)) for h in _hashes(session, paths))
            report.log("exporting ...")
            runs, bares = [], []
            # Interleaved so that other programs' load falls on both figures alike.
            for index in range(args.repeats):
                runs.append(export_once(session, base / f"out{index}", len(paths)))
                bare = bare_export(paths, options.long_side, options.quality)
                bares.append(bare / render_workers())
        finally:
            session.close()
        export_s, bare_s = statistics.median(runs), statistics.median(bares)
        if not args.json:
            print(f"export benchmark: {len(paths)} photos, {faces} faces redacted")
        report.add("photos", len(paths))
        report.add("faces_redacted", faces)
        report.add("long_side", options.long_side, "px", "export long side")
        report.add("render_threads", render_workers(), "", "export render threads (cores, <= 2)")
        report.add("bare_s", bare_s, "s", "bare decode + resize + encode / those threads")
        report.add("export_s", export_s, "s", "export job, all photos")
        report.add("export_per_photo_s", export_s / len(paths), "s", "  ... per photo")
        report.goal("export_ratio", export_s / bare_s, 1.3, "export / bare")
        report.add("load_average_1min", os.getloadavg()[0], "", "machine load (other programs)")
    report.finish()
    return 0


def _hashes(session: Session, paths: list[Path]) -> list[str]:
    return [h for h in (session.recorded_hash(p) for p in paths) if h is not None]


if __name__ == "__main__":
    sys.exit(main())
