"""The PySide6 window of photoscreen, built on top of :mod:`photoscreen.core`."""
