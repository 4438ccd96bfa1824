"""Headless command-line commands: ``verify``, ``status`` and ``export``.

Each module has a ``run(...) -> int`` that returns the process exit status; ``app.py``
parses the arguments and calls it. None of them imports Qt.
"""
