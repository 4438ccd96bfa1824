"""A graphics view that zooms and pans over one picture: fit, actual size, steps, wheel.

The zoom factor is screen pixels per scene pixel; the photo view's scene is measured in
full-resolution photo pixels, so 1.0 is "actual size". While the view is in fit mode it
keeps fitting the picture as the window is resized.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QResizeEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

ZOOM_STEP = 1.25
MAX_ZOOM = 4.0  # screen pixels per full-resolution pixel
FIT_MARGIN_PX = 4  # keeps the picture's edge off the frame when fitted
FOCUS_SHARE = 0.4  # zoom to a box: it fills this share of the view


class ZoomableView(QGraphicsView):
    """Zoom and pan over a content rectangle set with :meth:`set_content_rect`."""

    zoom_changed = Signal(float)  # screen pixels per scene pixel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._content = QRectF()
        self._fit = True
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)

    def set_content_rect(self, rect: QRectF) -> None:
        """The picture's rectangle in scene pixels (empty when nothing is shown)."""
        self._content = QRectF(rect)
        if not rect.isEmpty():
            self.scene().setSceneRect(rect)

    def has_content(self) -> bool:
        return not self._content.isEmpty()

    def zoom_factor(self) -> float:
        """Screen pixels per scene pixel (1.0 is "actual size")."""
        return self.transform().m11()

    def scene_per_screen_pixel(self) -> float:
        return 1.0 / self.zoom_factor()

    def fit_factor(self) -> float:
        """The zoom at which the whole picture fits the viewport."""
        if not self.has_content():
            return 1.0
        area = self.viewport().rect()
        return max(
            1e-4,
            min(
                (area.width() - FIT_MARGIN_PX) / self._content.width(),
                (area.height() - FIT_MARGIN_PX) / self._content.height(),
            ),
        )

    def zoom_to_fit(self) -> None:
        """Show the whole picture, and keep fitting it when the view is resized."""
        self._fit = True
        self._set_zoom(self.fit_factor(), self._content.center())

    def zoom_actual(self) -> None:
        """One scene pixel per screen pixel, around the current centre."""
        self._fit = False
        self._set_zoom(1.0, self.mapToScene(self.viewport().rect().center()))

    def zoom_in(self) -> None:
        self._zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_by(1 / ZOOM_STEP)

    def zoom_to_rect(self, rect: QRectF) -> None:
        """Centre on ``rect`` (scene pixels), zoomed so it fills about
        :data:`FOCUS_SHARE` of the view's height: big enough to judge a face, with enough
        around it to see whose it is. Never smaller than the fitted photo, never past
        :data:`MAX_ZOOM`."""
        if not self.has_content() or rect.isEmpty():
            return
        area = self.viewport().rect()
        wanted = FOCUS_SHARE * min(area.height() / rect.height(), area.width() / rect.width())
        fit = self.fit_factor()
        self._fit = False
        self._set_zoom(min(max(wanted, fit), max(MAX_ZOOM, fit)), rect.center())

    def _zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point at viewport position ``anchor`` (the
        cursor, for the wheel) where it is; around the view's centre without one."""
        if not self.has_content():
            return
        fit = self.fit_factor()
        # Never smaller than half the fitted size, never larger than MAX_ZOOM (or the fit
        # itself, for a picture smaller than the screen).
        target = min(max(self.zoom_factor() * factor, fit * 0.5), max(MAX_ZOOM, fit))
        self._fit = False
        centre = self.viewport().rect().center()
        fixed = QPointF(centre) if anchor is None else anchor
        before = self.mapToScene(fixed.toPoint())
        ratio = target / self.zoom_factor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(ratio, ratio)
        # Qt's own AnchorUnderMouse needs the real cursor over the widget; doing it here
        # works for any position, and the same way for keys, wheel and tests.
        drift = self.mapToScene(fixed.toPoint()) - before
        self.centerOn(self.mapToScene(centre) - drift)
        self._zoom_settled()

    def _set_zoom(self, factor: float, centre: QPointF) -> None:
        self.setTransform(QTransform.fromScale(factor, factor))
        self.centerOn(centre)
        self._zoom_settled()

    def _zoom_settled(self) -> None:
        """Called after every zoom change; subclasses resize what must stay constant."""
        self.zoom_changed.emit(self.zoom_factor())

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self._zoom_by(ZOOM_STEP**steps, anchor=event.position())
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.zoom_to_fit()
