"""``photoscreen --self-test``: does this installation work, start to finish, unattended?

Run by the packaged app's smoke test and useful on a centre's PC after installing: the
real window (offscreen unless a display platform is asked for with ``QT_QPA_PLATFORM``)
with the real face detector is drawn, a fresh copy of the demo folder is made in a
temporary folder and opened, every photo is read (thumbnail, hash, faces), the first one
is shown, and the checks below are printed one per line. The exit status is 0 when every
check passed, 1 otherwise. The user's own preferences, demo folder and sessions are never
touched: everything lives in the temporary folder, removed afterwards.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

TIMEOUT_S = 300.0
DRAWN_LINE = "window drawn"
DETECTOR_LINE = "face detector:"
WRITING_LINE = "writing detector:"


class SelfTestFailed(RuntimeError):
    """A step did not complete (a timeout, or something that should exist did not)."""


def run(out: TextIO | None = None) -> int:
    """Run the self-test; returns the process exit status."""
    out = sys.stdout if out is None else out
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="photoscreen-self-test-") as scratch:
        try:
            failures = _run_in(Path(scratch), out, start)
        except SelfTestFailed as error:
            _say(out, f"FAIL {error}")
            failures = 1
        except Exception as error:  # anything else that stops it is a failure too
            _say(out, f"FAIL {type(error).__name__}: {error}")
            failures = 1
    verdict = "passed" if failures == 0 else f"FAILED ({failures} check(s))"
    _say(out, f"self-test {verdict} in {time.perf_counter() - start:.1f} s")
    return 0 if failures == 0 else 1


def _run_in(scratch: Path, out: TextIO, start: float) -> int:
    # The window's modules first, in the order a normal start imports them: a library
    # missing from a bundle must fail here too, not be hidden by one the demo's imports
    # (Pillow) happened to load first.
    from photoscreen.ui.window.startup import build_window, default_detector_factory  # isort: skip
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from photoscreen.core.demo import DEMO_PHOTOS, build_demo_folder
    from photoscreen.ui.control import Preferences

    app = QApplication.instance() or QApplication(sys.argv[:1])
    preferences = Preferences.at(scratch / "settings.ini")
    preferences.user_name = "self-test"
    window = build_window(preferences, default_detector_factory())
    painted = _first_paint_watch(window)
    window.show()
    _wait(app, painted, "the window was not drawn")
    platform = QGuiApplication.platformName()
    _say(out, f"{DRAWN_LINE} after {time.perf_counter() - start:.2f} s (platform {platform})")
    _say(out, _detector_line())
    _say(out, _writing_line())
    folder = build_demo_folder(scratch / "sample photos")
    _say(out, f"demo folder made: {len(DEMO_PHOTOS)} files")
    controller = window.controller
    if not controller.open_folder(folder):
        raise SelfTestFailed("the demo folder could not be opened")
    _wait(app, lambda: _all_read(controller), "the demo photos were not all read")
    failures = _check_photos(controller, out)
    failures += _check_shown(app, window, out)
    controller.close_folder()
    controller.workers.drain()
    window.close()
    app.processEvents()
    return failures


def _detector_line() -> str:
    """Which library runs the face model, and the model's size (raises when it is missing)."""
    from photoscreen.core.faces import MODEL_FILE, default_backend, model_bytes

    size = len(model_bytes()) / 1e6
    return f"{DETECTOR_LINE} {default_backend().value}, {MODEL_FILE} ({size:.1f} MB)"


def _writing_line() -> str:
    """Whether writing (name labels, plates) can be looked for: its model must be there
    wherever its package has wheels (Python below 3.13); raises when it is missing."""
    from photoscreen.core.identifiers import dynamic_model_bytes, writing_problem

    problem = writing_problem()
    if problem is None:
        size = len(dynamic_model_bytes()) / 1e6
        return f"{WRITING_LINE} PP-OCRv4 detection ({size:.1f} MB)"
    if sys.version_info >= (3, 13):
        return f"{WRITING_LINE} none on this Python ({problem})"
    raise SelfTestFailed(problem)


def _first_paint_watch(window: Any) -> Callable[[], bool]:
    """A function that is True once ``window`` has had a paint event."""
    from PySide6.QtCore import QEvent, QObject

    class PaintWatch(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    watch = PaintWatch(window)
    window.installEventFilter(watch)
    return lambda: watch.seen


def _all_read(controller: Any) -> bool:
    from photoscreen.core.rules import PhotoState

    entries = controller.entries()
    return bool(entries) and all(e.state is not PhotoState.NOT_SCANNED for e in entries)


def _check_photos(controller: Any, out: TextIO) -> int:
    """One line per demo file: read as expected, faces found where faces were pasted."""
    from photoscreen.core.demo import DEMO_PHOTOS
    from photoscreen.core.rules import PhotoState

    entries = {e.name: e for e in controller.entries()}
    failures = 0
    for photo in DEMO_PHOTOS:
        entry = entries.get(photo.name)
        if photo.kind == "video":
            ok, said = entry is None or entry.state is PhotoState.UNREADABLE, "not taken as a photo"
        elif entry is None:
            ok, said = False, "not listed"
        elif photo.kind == "truncated":
            ok, said = entry.state is PhotoState.UNREADABLE, f"unreadable ({entry.state.label})"
        else:
            found = _faces_found(entry)
            ok = entry.state is not PhotoState.UNREADABLE and (found > 0) == (photo.faces > 0)
            said = f"read, {found} face(s) found ({photo.faces} pasted), {entry.state.label}"
        failures += 0 if ok else 1
        _say(out, f"{'ok  ' if ok else 'FAIL'} {photo.name}: {said}")
    return failures


def _faces_found(entry: Any) -> int:
    decisions = entry.decisions
    return 0 if decisions is None else sum(1 for face in decisions.faces if face.state.is_face)


def _check_shown(app: Any, window: Any, out: TextIO) -> int:
    """The first photo is shown in the photo view (decoded and drawn by the window)."""
    controller = window.controller
    first = next(e for e in controller.entries() if e.decisions is not None)
    controller.select(first.key)
    try:
        _wait(app, window.photo_view.has_photo, "the first photo was not shown")
    except SelfTestFailed as error:
        _say(out, f"FAIL {error}")
        return 1
    _say(out, f"ok   {first.shown_name} shown in the window")
    return 0


def _wait(app: Any, done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not done():
        app.processEvents()
        if time.monotonic() > deadline:
            raise SelfTestFailed(f"{what} within {TIMEOUT_S:.0f} s")
        time.sleep(0.005)


def _say(out: TextIO, line: str) -> None:
    print(line, file=out, flush=True)
