"""The Qt-free core of photoscreen.

Nothing in this package may import PySide6 (a test checks it in a fresh interpreter):
images cross its boundary as numpy arrays or bytes, and long jobs are plain functions or
generators that report progress and honour a cancel token.
"""
