"""What the live review queue costs the GUI thread (issue 12, reviewing beside staff).

A window with a folder open asks the session every 1.5 s whether another photoscreen
saved something (``Session.changed_elsewhere``, on the GUI thread), and only then reads
every photo again (``Session.photos()``, on a worker). This script times both on a folder
of small generated photos (their records, not their pixels, are what is read), in a
session opened to review while another session holds the folder: the look against the
50 ms the GUI thread may stall at most; the read again is reported (it is off the GUI
thread, so it only delays what is shown). Showing the read photos (the grid's rows) is
GUI-thread work this script does not measure.

    python benchmarks/review_poll.py [--photos 300] [--repeats 20] [--json]
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.common import Report, common_arguments, median_time  # noqa: E402
from photoscreen.core.imaging import photo_hash  # noqa: E402
from photoscreen.core.session import Session  # noqa: E402

STALL_BUDGET_S = 0.050


def _folder(folder: Path, photos: int) -> None:
    """``photos`` tiny JPEGs, read, ready, every other one asked about, as staff would."""
    rng = np.random.default_rng(12)
    with Session.open(folder, "Sam") as staff:
        for i in range(photos):
            pixels = rng.integers(0, 255, size=(48, 64, 3), dtype=np.uint8)
            buffer = io.BytesIO()
            Image.fromarray(pixels).save(buffer, "JPEG")
            path = folder / f"IMG_{i:04d}.jpg"
            path.write_bytes(buffer.getvalue())
            digest = photo_hash(buffer.getvalue())
            staff.record_scan(path, digest, 64, 48, "JPEG", [], "bench")
            staff.set_activity(digest, "messy_play")
            staff.set_faces_checked(digest)
            if i % 2:
                staff.flag_for_review(digest, "all right?")


def main(argv: list[str]) -> int:
    args = common_arguments(__doc__.splitlines()[0], default_photos=300).parse_args(argv)
    report = Report("review_poll", args.json)
    with tempfile.TemporaryDirectory(prefix="photoscreen-bench-") as scratch:
        folder = Path(scratch)
        report.log(f"making a folder of {args.photos} photos…")
        _folder(folder, args.photos)
        with Session.open(folder, "Sam") as staff:
            manager = Session.open_to_review(folder, "Morgan", None)
            try:
                first = staff.photos()[0].photo_hash or ""
                poll = median_time(manager.changed_elsewhere, args.repeats * 10, warmup=3)

                def staff_saves_then_refresh() -> None:
                    staff.set_excluded(first, not staff.photo(first).excluded)  # type: ignore[union-attr]
                    assert manager.changed_elsewhere()
                    manager.photos()

                refresh = median_time(staff_saves_then_refresh, args.repeats, warmup=1)
                save = median_time(
                    lambda: staff.set_excluded(first, not staff.photo(first).excluded),  # type: ignore[union-attr]
                    args.repeats,
                )
            finally:
                manager.close()
    report.add("photos", args.photos)
    report.add("poll_us", poll * 1e6, "us", "one look for changes (nothing new)")
    report.add("refresh_ms", (refresh - save) * 1e3, "ms", "reading every photo again (worker)")
    report.goal("poll_ratio", poll / STALL_BUDGET_S, 0.01, "look / 50 ms stall budget")
    report.note("reading every photo again runs on a worker, not the GUI thread")
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
