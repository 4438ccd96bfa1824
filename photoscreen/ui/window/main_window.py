"""The main window: lays out the widgets, nothing more.

Welcome page until a folder is open; then the grid (left), the photo (middle) and the
side panel or, in review mode, the review panel (right). Behaviour lives in the
controller, the dialog flows in :mod:`photoscreen.ui.window.interactions`, the commands and
keys in :mod:`photoscreen.ui.widgets.actions`; the composition root
(:func:`photoscreen.ui.window.startup.build_window`) makes those and connects the signals
(:mod:`photoscreen.ui.window.wiring`), so this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
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

from photoscreen.core.session import Subfolder
from photoscreen.ui.control import Controller, MessageBar, ReviewController
from photoscreen.ui.grid import FilterBar, GridDelegate
from photoscreen.ui.photo import FaceStrip, PhotoView
from photoscreen.ui.widgets import (
    Actions,
    HelpOverlay,
    ReviewPanel,
    SidePanel,
    SubfolderOffer,
    WelcomePage,
    key_caption,
)
from photoscreen.ui.window.consent_flow import ConsentFlow
from photoscreen.ui.window.typed_keys import TypedKeys


class Conversations(Protocol):
    """What the window and its wiring ask of the conversations with the person (the
    composition root gives it :class:`photoscreen.ui.window.interactions.Interactions`)."""

    def choose_folder(self) -> None: ...

    def open_demo(self) -> None: ...

    def ask_name(self, then: Callable[[], None] | None = None) -> None: ...

    def ask_manager(self) -> None: ...

    def toggle_unclothed(self) -> None: ...

    def confirm_close(self) -> bool: ...

    def drag_entered(self, event: QDragEnterEvent) -> None: ...

    def dropped(self, event: QDropEvent) -> None: ...


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
        self.filter_bar = FilterBar(export_key=key_caption("export"))
        self.grid = self._make_grid()
        self.photo_view = PhotoView()
        self.face_strip = FaceStrip()
        self.subfolder_offer = SubfolderOffer()
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
        # Given by the composition root (build_window), before the window shows:
        self.interactions: Conversations
        self.commands: Actions
        self.consent_flow: ConsentFlow  # Shift+C's picker, the register window
        self.typed_keys: TypedKeys  # "+" zooms, Tab goes to the next face box
        self.menus: dict[str, QMenu]  # by title: "File", "Help"...
        self.recent_menu: QMenu  # File > Open recent, added by wire_window
        self.setAcceptDrops(True)

    def tabs_boxes(self, widget: QWidget) -> bool:
        """Where Tab means "next face box" (see :mod:`photoscreen.ui.window.typed_keys`)."""
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
        """The photo, with the strip of its face crops under it; or, for a folder with no
        photos, the folders inside it that have some."""
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.photo_view, 1)
        column.addWidget(self.face_strip)
        column.addWidget(self.subfolder_offer, 1)
        self.subfolder_offer.hide()
        return centre

    def offer_subfolders(self, subfolders: Sequence[Subfolder]) -> None:
        """Offer these folders in place of the photo (none: the photo comes back)."""
        self.subfolder_offer.offer(subfolders)
        offered = bool(subfolders)
        self.subfolder_offer.setVisible(offered)
        self.photo_view.setVisible(not offered)
        self.face_strip.setVisible(not offered)
        if offered:
            self.subfolder_offer.focus_first()

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

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.interactions.drag_entered(event)

    def dropEvent(self, event: QDropEvent) -> None:
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
