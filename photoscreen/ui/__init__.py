"""The PySide6 window of photoscreen, built on top of :mod:`photoscreen.core`."""

from photoscreen.ui.pyside_refcounts import protect_singletons

# Before any Qt call: see pyside_refcounts for the PySide6 6.12 bug this guards against.
protect_singletons()
