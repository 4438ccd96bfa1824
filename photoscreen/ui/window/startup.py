"""Starting the window: the QApplication, per-user preferences, the parts, the error dialog.

:func:`build_window` assembles the parts for a given preferences store and face detector
(tests call it with their own); :func:`start_window` is what ``photoscreen [FOLDER]``
runs: it also asks for the user's name on first start and installs the one excepthook.
"""

from __future__ import annotations

import gc
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from photoscreen.ui.control import Controller, MessageChannel, Preferences, ReviewController
from photoscreen.ui.threads import Workers
from photoscreen.ui.widgets import Actions, build_menus
from photoscreen.ui.window.consent_flow import ConsentFlow
from photoscreen.ui.window.interactions import Interactions
from photoscreen.ui.window.main_window import MainWindow
from photoscreen.ui.window.typed_keys import TypedKeys
from photoscreen.ui.window.wiring import wire_window

log = logging.getLogger(__name__)


def default_detector_factory() -> Callable[[], Any]:
    """The face detector each scan worker builds (the core's default CenterFace)."""
    from photoscreen.core import identifiers
    from photoscreen.core.faces import FaceDetector, preload

    # Before the window shows: loading the backend later, in a worker, stalls the window.
    # So is the text model read and prepared (opening a folder asks whether it is there).
    preload()
    identifiers.preload()
    return FaceDetector


def build_window(
    preferences: Preferences, detector_factory: Callable[[], Any] | None
) -> MainWindow:
    """The main window with its controller, workers and message channel: the composition
    root, where the parts are made and connected."""
    workers = Workers()
    messages = MessageChannel()
    controller = Controller(workers, messages, preferences, detector_factory)
    review = ReviewController(controller)
    window = MainWindow(controller, review)
    window.interactions = interactions = Interactions(window, controller)
    # Shift+C's picker and the register window (Ctrl+Shift+R); review names shown faces.
    window.consent_flow = consent = ConsentFlow(window, controller)
    review.people = consent.people_for
    handlers = interactions.handlers()
    handlers["consent_register"] = consent.open_register
    window.commands = Actions(window, handlers)
    window.menus = build_menus(window, window.commands)
    zoom_in, next_box = window.commands["zoom_in"].trigger, window.photo_view.select_next_box
    window.typed_keys = TypedKeys(window, zoom_in, next_box, window.tabs_boxes)
    wire_window(window)
    # The window owns the non-widget parts, so they live exactly as long as it does.
    for part in (workers, messages, controller, review):
        part.setParent(window)
    # What exists now (modules, widgets, their wrappers) lives as long as the window:
    # moved out of the garbage collector's sight, so its occasional full pass does not
    # walk them. That pass runs on whichever thread happens to allocate and holds the
    # GIL meanwhile, stalling the GUI thread (~35 ms per full pass, measured on 2 cores).
    gc.freeze()
    return window


def start_window(
    folder: Path | None, demo: bool, argv: list[str], centre_file: Path | None = None
) -> int:
    """Run the window until it is closed; returns the exit status.

    ``centre_file`` is this PC's centre settings file (the composition root passes
    :func:`~photoscreen.core.storage.centre_file.default_centre_path`).
    """
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("photoscreen")
    app.setOrganizationName("photoscreen")
    preferences = Preferences(QSettings(), centre_file)
    window = build_window(preferences, default_detector_factory())
    install_excepthook(window)
    window.show()

    def first_folder() -> None:
        if demo:
            window.interactions.open_demo()
        elif folder is not None:
            window.controller.open_folder(folder)

    if preferences.user_name:
        first_folder()
    else:
        window.interactions.ask_name(then=first_folder)
    return int(app.exec())


def install_excepthook(window: MainWindow) -> None:
    """The one place an unexpected error ends up: logged, then shown in a dialog."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, error, trace))
        log.error("unexpected error:\n%s", text)
        box = QMessageBox(window)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Something went wrong")
        box.setText(
            "photoscreen hit an unexpected problem. Decisions the window showed as made "
            "before it are saved; the one being made when it happened may not be, so check "
            "it. If this keeps happening, please send the details below to whoever looks "
            f"after the computer.\n\n{error}"
        )
        box.setDetailedText(text)
        box.open()

    sys.excepthook = hook
