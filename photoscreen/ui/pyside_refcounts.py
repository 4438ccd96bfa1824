"""A guard against a reference-count bug of PySide6 6.12 on Python 3.11 and older.

PySide6 6.12.0's bindings return ``None`` from every void method, and ``True`` from
``SignalInstance.emit()``, without taking a new reference. On Python 3.12 and later those
objects are immortal and nothing happens; on 3.11 each call takes one reference away, so
after some tens of thousands of calls ``None`` or ``True`` is "freed" and the interpreter
aborts (``Fatal Python error: none_dealloc``) in the middle of a session.

:func:`protect_singletons` gives ``None``, ``True`` and ``False`` a reserve of references
large enough that no session can use it up: the immortality those bindings assume.
It changes nothing on Python 3.12+ or on other interpreters.
"""

from __future__ import annotations

import ctypes
import sys

# Enough for 2**40 leaked references: many years of continuous use.
_RESERVE = 1 << 40


def protect_singletons() -> None:
    """Top up the reference counts of None, True and False (CPython < 3.12 only)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _RESERVE:
            refcount.value += _RESERVE
