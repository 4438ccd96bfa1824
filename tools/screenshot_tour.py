"""The walk through photoscreen's screens that ``tools/screenshots.py`` records.

The tour is a generator: it does what a person would (open the sample folder, tag photos,
look at faces, preview, review, export...) through the window's controller and dialogs,
and yields a :class:`Wait` whenever the window has work to finish first. A timer checks
the wait every 100 ms, so the Qt event loop keeps running the real workers meanwhile.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from photoscreen.core.demo import DEMO_PHOTOS, build_demo_folder
from photoscreen.core.rules import FaceState, PhotoState

MUSIC, CAT, GROUP = "IMG_2049.JPG", "20240514_113402.jpg", "IMG_2047.JPG"
TRUNCATED = next(photo.name for photo in DEMO_PHOTOS if photo.kind == "truncated")
REVIEWER = "Sam Okafor"
REVIEW_NOTE = "The cat visit: is it all right to post? One parent said no photos."


@dataclass
class Wait:
    """Go on once ``ready()`` is true, or stop the tour after ``timeout`` seconds."""

    what: str
    ready: Callable[[], bool]
    timeout: float = 30.0


def pause(seconds: float) -> Wait:
    """Let the window settle (repaints, thumbnails) before a screenshot."""
    until = time.monotonic() + seconds
    return Wait(f"a pause of {seconds} s", lambda: time.monotonic() >= until, seconds + 5)


class TourDriver(QObject):
    """Steps a tour generator forward whenever what it waits for is ready."""

    def __init__(self, tour: Iterator[Wait]) -> None:
        super().__init__()
        self._tour = tour
        self._wait: Wait | None = None
        self._deadline = 0.0
        self.failure = ""
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        QTimer.singleShot(0, self._advance)

    def _advance(self) -> None:
        try:
            self._wait = next(self._tour)
        except StopIteration:
            self._finish("")
            return
        except Exception:  # the tour itself failed: say where, then stop
            self._finish(traceback.format_exc())
            return
        self._deadline = time.monotonic() + self._wait.timeout
        self._timer.start()

    def _tick(self) -> None:
        assert self._wait is not None
        if self._wait.ready():
            self._timer.stop()
            self._advance()
        elif time.monotonic() > self._deadline:
            self._finish(f"Timed out after {self._wait.timeout:g} s waiting for {self._wait.what}.")

    def _finish(self, failure: str) -> None:
        self._timer.stop()
        self.failure = failure
        QApplication.instance().exit(1 if failure else 0)  # type: ignore[union-attr]


class Camera:
    """Saves what is on the screen, in the window's area, as a compact PNG."""

    def __init__(self, out: Path, size: tuple[int, int]) -> None:
        self.out = out
        self.size = size
        self.saved: list[Path] = []
        out.mkdir(parents=True, exist_ok=True)

    def shoot(self, name: str) -> None:
        screen = QGuiApplication.primaryScreen()
        # The whole screen area, so dialogs and overlays over the window are included.
        pixmap = screen.grabWindow(0, 0, 0, *self.size)
        path = self.out / f"{name}.png"
        pixmap.save(str(path))
        # A 256-colour palette keeps a UI screenshot small; text stays crisp.
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)
        self.saved.append(path)
        print(f"saved {path}", flush=True)


def scanned(controller: Any) -> bool:
    """Every photo of the sample folder read and searched for faces."""
    statuses = controller.model.statuses()
    return len(statuses) == len(DEMO_PHOTOS) and all(
        status.state is not PhotoState.NOT_SCANNED for status in statuses
    )


def decide_like_staff(controller: Any) -> None:
    """Tag the sample photos so the grid shows every kind of badge."""
    plan: dict[str, Callable[[], None]] = {
        "IMG_2041.JPG": lambda: controller.verbs.set_activity("story_time"),
        "IMG_2044.JPG": lambda: controller.verbs.set_activity("swimming"),
        "IMG_2048.JPG": controller.verbs.toggle_exclude,
        MUSIC: lambda: controller.verbs.set_activity("music_and_movement"),
        CAT: lambda: (
            controller.verbs.set_activity("stay_and_play"),
            controller.verbs.faces_checked_and_next(),
            controller.select(CAT),
            controller.verbs.flag_for_review(REVIEW_NOTE),
        ),
    }
    ready = {
        "IMG_2042.JPG": "messy_play",
        "IMG_2043.JPG": "trips_and_outings",
        "IMG_2045.JPG": "cooking",
        "craft_display.png": "arts_and_crafts",
    }
    for name, activity in ready.items():
        controller.select(name)
        controller.verbs.set_activity(activity)
        controller.verbs.faces_checked_and_next()
    for name, decide in plan.items():
        controller.select(name)
        decide()


def tour(window: Any, folder: Path, export_to: Path, camera: Camera) -> Iterator[Wait]:
    """Welcome, grid, faces, preview, review, export, settings, help, a bad file."""
    c, view = window.controller, window.photo_view
    yield Wait("the window to appear", window.isVisible)
    yield pause(1.0)
    camera.shoot("01-welcome")

    c.open_folder(folder)
    yield Wait("every photo to be read and searched for faces", lambda: scanned(c), 240)
    decide_like_staff(c)
    c.select(GROUP)
    yield Wait("the group photo with its faces", lambda: len(view.face_ids()) >= 5)
    yield pause(2.0)
    camera.shoot("02-grid-and-photo")
    window.face_strip.start_checking()  # S: the face strip, its first crop zoomed
    yield Wait("a crop chosen in the face strip", lambda: view.selected_face_id() is not None)
    yield pause(1.0)
    camera.shoot("15-face-strip")
    window.grid.setFocus()
    view.zoom_to_fit()

    c.select(MUSIC)
    yield Wait("the music photo with its faces", lambda: len(view.face_ids()) >= 5)
    first, second = view.face_ids()[:2]
    c.verbs.toggle_consent(first)  # this child's parents gave consent
    yield pause(0.5)
    view.setFocus()
    view.select_face(second)
    yield pause(0.5)
    camera.shoot("03-photo-face-boxes")

    c.verbs.toggle_preview()
    yield Wait("the redaction preview", view.is_previewing, 60)
    yield pause(0.5)
    camera.shoot("04-redaction-preview")
    c.verbs.toggle_preview()

    c.set_review_mode(True)
    c.select(CAT)
    yield Wait("review mode", window.review_panel.isVisible)
    window.review_panel.reviewer.setText(REVIEWER)  # review means two people
    yield pause(1.5)
    camera.shoot("05-review-mode")
    c.set_review_mode(False)

    yield from export(window, export_to, camera)

    window.interactions.show_settings()
    yield Wait("the settings dialog", lambda: _dialog_visible(window))
    yield pause(0.5)
    camera.shoot("08-settings")
    window.interactions.dialog.reject()
    yield Wait("the settings dialog to close", lambda: window.interactions.dialog is None)

    window.help_overlay.toggle()
    yield Wait("the keyboard help", window.help_overlay.isVisible)
    yield pause(0.5)
    camera.shoot("09-keyboard-help")
    window.help_overlay.toggle()

    c.select(TRUNCATED)
    yield Wait("the unreadable file's reason", lambda: bool(view.message()))
    yield pause(0.5)
    camera.shoot("10-unreadable-file")

    c.set_review_mode(True)
    c.select(CAT)
    yield Wait("review mode", window.review_panel.isVisible)
    window.review_panel.reviewer.setText(REVIEWER)
    window.review_panel.note.setPlainText("Fine to post: no child can be recognised.")
    window.review_panel.approve_button.click()
    yield Wait("the approval", lambda: c.current_entry() is None or _approved(c, CAT), 60)
    yield pause(1.0)
    camera.shoot("19-review-after-approval")
    c.set_review_mode(False)

    decide_the_rest(c)
    yield Wait("every photo decided", lambda: _all_decided(window), 60)
    yield pause(1.0)
    camera.shoot("18-all-decided")


def _approved(controller: Any, name: str) -> bool:
    entry = next(e for e in controller.entries() if e.name == name)
    return entry.decisions is not None and entry.decisions.reviewer is not None


def _all_decided(window: Any) -> bool:
    return window.filter_bar.counts_label.text().startswith("All ")


def decide_the_rest(controller: Any) -> None:
    """Whatever still needs staff: possible faces accepted, tagged, faces checked."""
    from photoscreen.core.rules import needs_staff

    for entry in controller.entries():
        if not needs_staff(entry.status):
            continue
        controller.select(entry.key)
        for face in entry.decisions.faces if entry.decisions else ():
            if face.state is FaceState.POSSIBLE_PENDING:
                controller.verbs.accept_possible(str(face.id))
        if entry.decisions is not None and entry.decisions.activity is None:
            controller.verbs.set_activity("stay_and_play")
        controller.verbs.faces_checked_and_next()


def export(window: Any, export_to: Path, camera: Camera) -> Iterator[Wait]:
    window.interactions.show_export()
    yield Wait("the export dialog", lambda: _dialog_visible(window))
    dialog = window.interactions.dialog
    dialog.destination.setText(str(export_to))
    yield pause(0.5)
    camera.shoot("06-export")
    dialog.start()
    yield Wait("the export summary", lambda: dialog.pages.currentIndex() == 2, 180)
    yield pause(0.5)
    camera.shoot("07-export-summary")
    dialog.accept()
    yield Wait("the export dialog to close", lambda: window.interactions.dialog is None)


def _dialog_visible(window: Any) -> bool:
    dialog = window.interactions.dialog
    return dialog is not None and dialog.isVisible()


def run_tour(scratch: Path, out: Path, window_size: tuple[int, int]) -> int:
    """Build the sample folder in ``scratch``, run the tour, save PNGs in ``out``."""
    from photoscreen.ui.control import Preferences
    from photoscreen.ui.window import build_window, default_detector_factory

    app = QApplication.instance() or QApplication(["photoscreen"])
    folder = build_demo_folder(scratch / "Brookside session 14 May")
    preferences = Preferences(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    preferences.user_name = "Jo Bennett"
    window = build_window(preferences, default_detector_factory())
    window.move(0, 0)
    window.resize(*window_size)
    window.show()
    camera = Camera(out, window_size)
    driver = TourDriver(tour(window, folder, scratch / "export", camera))
    driver.start()
    code = app.exec()
    window.close()
    if driver.failure:
        print(f"The screenshot tour stopped:\n{driver.failure}")
        return 1
    print(f"{len(camera.saved)} screenshots in {out}")
    return code
