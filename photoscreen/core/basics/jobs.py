"""Cancel tokens and progress reports for long core jobs.

Core jobs (detecting a folder, exporting) are plain generators or functions: they check a
:class:`CancelToken` between items and report :class:`Progress`. The window runs them on
worker threads; tests and the command line run them directly.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


class Cancelled(Exception):
    """Raised by :meth:`CancelToken.raise_if_cancelled` once cancel was asked for."""


class CancelToken:
    """A thread-safe flag a job checks between items."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` items finished; ``message`` says what is happening."""

    done: int
    total: int
    message: str = ""

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0
