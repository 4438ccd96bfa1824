"""Checking every face of a crowd photo from the keyboard: how many keys, how long (issue 12).

The real main window (offscreen, real face detector) opens a folder holding one
4000 x 3000 crowd photo with 40 pasted heads (scikit-image's public-domain astronaut, with
hair, 45 to 420 px wide, a few of them faint so the detector is unsure). A scripted person
then checks every box the detector drew, the way the window lets them, and presses C:

- every box is looked at, at a size a person can judge (at least ``JUDGE_PX`` screen
  pixels tall) — a box seen smaller than that needs zooming first;
- a possible face is accepted when it lies on a pasted head, dismissed otherwise; a face
  box that lies on no head is deleted;
- finally "Faces checked" (C).

Strategies (``--strategy``):

- ``boxes``: the photo view alone. Tab selects the next box; zoom keys (``+``, and ``=``
  when ``+`` did nothing) until the box is big enough; A / D / Delete decide. Works on
  every version of the window: it is the "before" figure.
- ``strip``: the face strip (issue 12): one key per crop (A: a face, D: not a face), the
  strip moving on by itself; C at the end.

Keys are sent as real key events to the widget with the keyboard focus (a click is counted
separately, when the person has to click the photo to give it the focus). Figures: keys,
clicks and wall time per strategy (median of ``--repeats`` runs on a fresh copy of the
folder), and the ratio of each to the ``boxes`` strategy measured in the same run.

    python benchmarks/crowd_check.py [--strategy boxes,strip] [--repeats 3] [--json]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from common import Report, encode_jpeg, make_photo, paste_face, temp_photo_dir
from first_screen import make_window, qt_app, wait_until

JUDGE_PX = 64.0  # a face smaller than this on screen cannot be judged
CROWD_SIZE = (4000, 3000)
HEADS = 40
MAX_KEYS = 2000  # a strategy that needs more is stuck


def crowd_heads(seed: int = 12) -> list[tuple[int, int, int, bool]]:
    """Where the 40 heads go: (x, y, width, faint) on an 8 x 5 jittered grid."""
    rng = np.random.default_rng(seed)
    cols, rows = 8, 5
    cell_w, cell_h = CROWD_SIZE[0] // cols, CROWD_SIZE[1] // rows
    heads = []
    for index in range(HEADS):
        col, row = index % cols, index // cols
        width = int(rng.integers(45, min(cell_w, round(cell_h / 1.17)) - 20))
        height = round(width * 1.17)
        x = col * cell_w + int(rng.integers(0, cell_w - width))
        y = row * cell_h + int(rng.integers(0, cell_h - height))
        heads.append((x, y, width, index % 7 == 3))
    return heads


def crowd_photo() -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """The crowd photo and its heads' rectangles (x, y, w, h)."""
    photo = make_photo(3, CROWD_SIZE)
    rects = []
    for x, y, width, faint in crowd_heads():
        patch = photo.copy()
        paste_face(patch, x, y, width, mirror=bool(x % 2))
        height = round(width * 1.17)
        alpha = 0.45 if faint else 1.0
        region = (slice(y, y + height), slice(x, x + width))
        photo[region] = cv2.addWeighted(patch[region], alpha, photo[region], 1 - alpha, 0)
        rects.append((x, y, width, height))
    return photo, rects


class Person:
    """Sends keys to the window like a person would, counting them."""

    def __init__(self, app: Any, window: Any, heads: list[tuple[int, int, int, int]]) -> None:
        self.app, self.window, self.heads = app, window, heads
        self.keys = 0
        self.clicks = 0
        self.wasted = 0  # keys that did nothing (a zoom key that did not zoom)

    def press(self, key: Any, modifier: Any = None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        target = self.app.focusWidget() or self.window
        QTest.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)
        self.app.processEvents()
        self.keys += 1
        if self.keys > MAX_KEYS:
            raise RuntimeError("the scripted person is stuck")

    def click_photo(self) -> None:
        from PySide6.QtCore import Qt

        self.window.photo_view.setFocus(Qt.FocusReason.MouseFocusReason)
        self.app.processEvents()
        self.clicks += 1

    def is_face(self, rect: Any) -> bool:
        cx, cy = rect.center().x(), rect.center().y()
        return any(x <= cx <= x + w and y <= cy <= y + h for x, y, w, h in self.heads)

    def zoom_until_judgeable(self, view: Any, face_id: str) -> None:
        """Press + (or = when + does nothing) until the box is JUDGE_PX tall on screen."""
        from PySide6.QtCore import Qt

        while view.face_rect(face_id).height() * view.zoom_factor() < JUDGE_PX:
            before = view.zoom_factor()
            self.press(Qt.Key.Key_Plus, Qt.KeyboardModifier.ShiftModifier)
            if view.zoom_factor() <= before:
                self.wasted += 1
                self.press(Qt.Key.Key_Equal)
            if view.zoom_factor() <= before:
                raise RuntimeError("no zoom key zooms in")
            view.select_face(face_id)  # zooming keeps the selection; scroll it into view


def check_with_boxes(person: Person) -> None:
    """Tab through the photo view's boxes, zooming as needed, deciding each."""
    from PySide6.QtCore import Qt

    view, controller = person.window.photo_view, person.window.controller
    seen: set[str] = set()
    while set(view.face_ids()) - seen:
        if not view.hasFocus():
            person.click_photo()
        face_id = view.selected_face_id()
        if face_id is None or face_id in seen:
            person.press(Qt.Key.Key_Tab)
            continue
        seen.add(face_id)
        person.zoom_until_judgeable(view, face_id)
        _decide_selected(person, view, face_id)
    del controller


def _decide_selected(person: Person, view: Any, face_id: str) -> None:
    from PySide6.QtCore import Qt

    kind = view._faces[face_id].kind  # what the box shows the person
    face = person.is_face(view.face_rect(face_id))
    if kind == "possible":
        person.press(Qt.Key.Key_A if face else Qt.Key.Key_D)
        if view.selected_face_id() == face_id and face_id in view.face_ids():
            person.press(Qt.Key.Key_D)  # "press D again"
    elif not face:
        person.press(Qt.Key.Key_Delete)


def check_with_strip(person: Person) -> None:
    """One key per crop of the face strip, which moves on by itself."""
    from PySide6.QtCore import Qt

    strip = person.window.face_strip
    person.window.face_strip.setFocus()
    person.app.processEvents()
    person.clicks += 1  # to be fair: say the person clicked the strip once
    while (region := strip.current_region()) is not None and not strip.all_looked_at():
        face = person.is_face(person.window.photo_view.face_rect(region.id))
        person.press(Qt.Key.Key_A if face else Qt.Key.Key_D)


STRATEGIES = {"boxes": check_with_boxes, "strip": check_with_strip}


def run_once(app: Any, folder: Path, heads: list, strategy: str) -> dict[str, Any]:
    """Open a fresh copy of ``folder``, detect, and check every face with ``strategy``."""
    from PySide6.QtCore import Qt

    with temp_photo_dir("photoscreen-crowd-run-") as work:
        shutil.copytree(folder, work / "photos")
        window = make_window(work)
        try:
            window.resize(1366, 768)
            controller = window.controller
            controller.open_folder(work / "photos")
            wait_until(app, lambda: _detected(controller))
            controller.select("crowd.jpg")
            view = window.photo_view
            wait_until(app, lambda: view.has_photo() and bool(view.face_ids()))
            boxes = len(view.face_ids())
            possible = controller.current_entry().decisions.pending_faces
            person = Person(app, window, heads)
            start = time.perf_counter()
            STRATEGIES[strategy](person)
            person.press(Qt.Key.Key_C)
            wall = time.perf_counter() - start
            decisions = controller.session.photo(controller.current_entry().photo_hash)
            if decisions.faces_checked_by is None or decisions.pending_faces:
                raise RuntimeError(f"{strategy}: the photo was not left checked")
            return {
                "boxes": boxes,
                "possible": possible,
                "keys": person.keys,
                "clicks": person.clicks,
                "wasted": person.wasted,
                "wall_s": wall,
            }
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()


def _detected(controller: Any) -> bool:
    entries = controller.entries()
    return bool(entries) and all(e.decisions is not None for e in entries)


def main() -> int:
    from common import common_arguments

    parser = common_arguments(__doc__.splitlines()[0], default_photos=1)
    parser.add_argument("--strategy", default="boxes,strip", help="comma-separated")
    args = parser.parse_args()
    app = qt_app()
    wanted = [s for s in args.strategy.split(",") if s in STRATEGIES]
    report = Report("crowd_check", args.json)
    with temp_photo_dir("photoscreen-crowd-") as folder:
        photo, heads = crowd_photo()
        (folder / "crowd.jpg").write_bytes(encode_jpeg(photo))
        results = {}
        for strategy in wanted:
            try:
                results[strategy] = [
                    run_once(app, folder, heads, strategy) for _ in range(args.repeats)
                ]
            except AttributeError as error:
                report.note(f"{strategy}: not measured, this window has no such part ({error})")
    base = results.get("boxes")
    for strategy, runs in results.items():
        keys = statistics.median(r["keys"] for r in runs)
        wall = statistics.median(r["wall_s"] for r in runs)
        first = runs[0]
        report.add(f"{strategy}_boxes", first["boxes"], "", f"{strategy}: boxes on the photo")
        report.add(f"{strategy}_possible", first["possible"], "", f"{strategy}: of them possible")
        report.add(f"{strategy}_keys", keys, "keys", f"{strategy}: keys pressed (median)")
        report.add(f"{strategy}_clicks", first["clicks"], "clicks", f"{strategy}: clicks")
        wasted = first["wasted"]
        report.add(f"{strategy}_wasted", wasted, "keys", f"{strategy}: keys that did nothing")
        report.add(f"{strategy}_wall_s", wall, "s", f"{strategy}: wall time (median)")
        if base and strategy != "boxes":
            base_keys = statistics.median(r["keys"] for r in base)
            base_wall = statistics.median(r["wall_s"] for r in base)
            said = f"{strategy}: keys / boxes' keys"
            report.add(f"{strategy}_keys_ratio", keys / base_keys, "x", said)
            said = f"{strategy}: wall time / boxes' wall time"
            report.add(f"{strategy}_wall_ratio", wall / base_wall, "x", said)
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
