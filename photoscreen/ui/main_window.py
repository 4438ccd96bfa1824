"""The main window: lays out the widgets and connects their signals, nothing more.

Welcome page until a folder is open; then the grid (left), the photo (middle) and the
side panel or, in review mode, the review panel (right). Behaviour lives in the
controller, the dialog flows in :mod:`photoscreen.ui.interactions`, the commands and keys
in :mod:`photoscreen.ui.actions`.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QMainWindow,
    QMenu,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from photoscreen.ui.actions import Actions, build_menus
from photoscreen.ui.controller import Controller
from photoscreen.ui.face_strip import FaceStrip
from photoscreen.ui.filters import FilterBar
from photoscreen.ui.grid_delegate import GridDelegate
from photoscreen.ui.help_overlay import HelpOverlay
from photoscreen.ui.interactions import Interactions
from photoscreen.ui.messages import MessageBar
from photoscreen.ui.photo_view import PhotoView
from photoscreen.ui.review_controller import ReviewController
from photoscreen.ui.review_mode import ReviewPanel
from photoscreen.ui.side_panel import SidePanel
from photoscreen.ui.typed_keys import TypedKeys
from photoscreen.ui.welcome import WelcomePage
from photoscreen.ui.wiring import wire_window


class MainWindow(QMainWindow):
    """photoscreen's one window."""

    def __init__(self, controller: Controller, review: ReviewController) -> None:
        super().__init__()
        self.controller = controller
        self.review = review
        self.setMinimumSize(QSize(1000, 640))
        self.resize(1366, 740)
        self.message_bar = MessageBar(controller.messages)
        self.welcome = WelcomePage()
        self.filter_bar = FilterBar()
        self.grid = self._make_grid()
        self.photo_view = PhotoView()
        self.face_strip = FaceStrip()
        self.side_panel = SidePanel()
        self.review_panel = ReviewPanel()
        self.right = QStackedWidget()
        self.right.addWidget(_scrolling(self.side_panel))
        self.right.addWidget(_scrolling(self.review_panel))
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self._work_area())
        self.setCentralWidget(self._with_message_bar(self.pages))
        self.scan_label = QLabel()
        self.scan_bar = QProgressBar()
        self.scan_bar.setMaximumWidth(200)
        # The label beside it says "n of N". A bar showing its own percentage repaints
        # the window synchronously on every change (measured 20 ms on the GUI thread).
        self.scan_bar.setTextVisible(False)
        self.scan_bar.hide()
        self.statusBar().addWidget(self.filter_bar.counts_label, 1)
        self.statusBar().addPermanentWidget(self.scan_label)
        self.statusBar().addPermanentWidget(self.scan_bar)
        self.help_overlay = HelpOverlay(self)
        self.interactions = Interactions(self, controller)
        self.commands = Actions(self, self.interactions.handlers())
        build_menus(self, self.commands)
        zoom_in, next_box = self.commands["zoom_in"].trigger, self.photo_view.select_next_box
        self.typed_keys = TypedKeys(self, zoom_in, next_box, self._tabs_boxes)
        self.recent_menu: QMenu  # File > Open recent, added by wire_window
        self.setAcceptDrops(True)
        wire_window(self)

    def _tabs_boxes(self, widget: QWidget) -> bool:
        """Where Tab means "next face box" (see :mod:`photoscreen.ui.typed_keys`)."""
        return widget in (self, self.grid, self.face_strip.crops)

    def _make_grid(self) -> QListView:
        grid = QListView()
        grid.setViewMode(QListView.ViewMode.IconMode)
        grid.setResizeMode(QListView.ResizeMode.Adjust)
        grid.setMovement(QListView.Movement.Static)
        grid.setUniformItemSizes(True)
        grid.setSpacing(4)
        grid.setItemDelegate(GridDelegate(grid))
        grid.setModel(self.controller.proxy)
        grid.setMinimumWidth(380)
        grid.setSelectionMode(QListView.SelectionMode.SingleSelection)
        # Arrow keys belong to the window's next/previous commands, not to the grid.
        grid.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        return grid

    def _work_area(self) -> QWidget:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.filter_bar)
        column.addWidget(self.grid, 1)
        splitter = QSplitter()
        self._beside_photo = (left, self.right)
        splitter.addWidget(left)
        splitter.addWidget(self._centre())
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([392, 620, 350])
        return splitter

    def _centre(self) -> QWidget:
        """The photo, with the strip of its face crops under it."""
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.photo_view, 1)
        column.addWidget(self.face_strip)
        return centre

    def _with_message_bar(self, content: QWidget) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.message_bar)
        layout.addWidget(content, 1)
        return holder

    def toggle_large_view(self) -> None:
        """Hide the grid and the side panel so the photo gets the window, or show them."""
        large = not self.is_large_view()
        for part in self._beside_photo:
            part.setVisible(not large)

    def is_large_view(self) -> bool:
        return self._beside_photo[0].isHidden()

    def show_review_panel(self, on: bool) -> None:
        """Review mode shows the review panel where the side panel was."""
        self.right.setCurrentIndex(1 if on else 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.interactions.confirm_close():
            event.ignore()
            return
        self.controller.close_folder()
        self.controller.workers.shutdown()
        super().closeEvent(event)

    def dragEnterEvent(self, event):  # type: ignore[no-untyped-def]
        self.interactions.drag_entered(event)

    def dropEvent(self, event):  # type: ignore[no-untyped-def]
        self.interactions.dropped(event)


def _scrolling(panel: QWidget) -> QScrollArea:
    """``panel`` in a scroll area: on a small screen it scrolls instead of being squashed."""
    area = QScrollArea()
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumWidth(panel.minimumWidth() + 16)
    area.setMaximumWidth(panel.maximumWidth() + 16)
    return area
