"""``photoscreen --self-test`` fails, with a line saying what, when the app cannot do its job.

(The passing run is the smoke test's, on the built app: packaging/smoke.py.)
"""

from __future__ import annotations

import io

import pytest

from photoscreen.ui.window import self_test, startup

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_self_test_fails_when_no_faces_are_found(qapp, monkeypatch) -> None:
    monkeypatch.setattr(startup, "default_detector_factory", lambda: None)  # no detector
    out = io.StringIO()
    assert self_test.run(out) == 1
    lines = out.getvalue().splitlines()
    assert any(line.startswith("window drawn after") for line in lines)
    failed = [line for line in lines if line.startswith("FAIL")]
    assert any("IMG_2041.JPG" in line and "0 face(s) found (4 pasted)" in line for line in failed)
    assert not any("IMG_2045.JPG" in line for line in failed)  # no faces pasted, none found
    assert lines[-1].startswith("self-test FAILED")
