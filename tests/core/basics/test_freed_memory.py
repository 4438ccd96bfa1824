"""Big buffers freed by scan and export go back to the system (Linux, glibc)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

CHILD = textwrap.dedent(
    """
    import os, sys
    import numpy as np
    from photoscreen.core.basics.freed_memory import return_big_buffers_promptly

    def resident_mb():
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

    if sys.argv[1] == "tuned":
        assert return_big_buffers_promptly()
    before = resident_mb()
    # Decodes of varied sizes (2-20 MB), each filled and dropped, as photos pass through.
    for size in [20, 2, 12, 5, 16, 8, 3, 18, 10, 6] * 3:
        buffer = np.ones(size * 1_000_000, np.uint8)
        del buffer
    print(resident_mb() - before)
    """
)


def _kept_after_freeing(mode: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_freed_photo_buffers_do_not_stay_resident() -> None:
    # Untuned, glibc raises its mmap threshold after the first free and keeps the later
    # buffers in its heap; tuned, every one is returned.
    assert _kept_after_freeing("untuned") > 10
    assert _kept_after_freeing("tuned") < 3
