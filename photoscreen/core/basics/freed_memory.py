"""Give big freed buffers back to the system at once (glibc's malloc, i.e. Linux).

Scan and export allocate tens of megabytes per photo (a full-size decode of a
12-megapixel photo is 36 MB, its detection tiles a few MB each) from several threads.
glibc serves blocks over its *mmap threshold* with ``mmap`` and returns them on ``free``;
but each time such a block is freed it raises the threshold to that block's size (up to
32 MB), so from the second photo on the same buffers come from the threads' heaps, which
keep what they freed. Fixing the threshold turns the adjustment off: every big buffer is
its own mapping and goes back to the system when freed. Measured with
``benchmarks/memory.py --photos 30``: peak 35-40 MB lower, scan time unchanged (a few
``mmap`` calls per photo against a second of detection).

Elsewhere (Windows, macOS, musl) nothing is changed: only memory use depends on it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading

MMAP_THRESHOLD_BYTES = 1 << 20  # blocks of 1 MB and more: whole rows of pixels, not objects
_M_MMAP_THRESHOLD = -3  # mallopt parameter, from glibc's malloc.h

_lock = threading.Lock()
_done = False


def return_big_buffers_promptly() -> bool:
    """Fix glibc's mmap threshold for this process (once); True if it is in effect."""
    global _done
    with _lock:
        if not _done and sys.platform.startswith("linux"):
            _done = _set_mmap_threshold(MMAP_THRESHOLD_BYTES)
        return _done


def _set_mmap_threshold(size: int) -> bool:
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, size))
