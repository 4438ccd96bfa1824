"""The installed Qt bindings must not leak references to None/True.

PySide6 6.12.0 takes a reference away from ``None`` on every void method call and from
``True`` on every signal emit; on Python 3.11 the interpreter aborts once the count runs
out, in the middle of a staff member's session. pyproject.toml keeps that release out on
Python < 3.12; this test catches the bug if a bad release comes back.
"""

import gc
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    fired = Signal(object)


def _refcounts() -> tuple[int, int]:
    return sys.getrefcount(None), sys.getrefcount(True)


def test_void_calls_and_signal_emits_keep_none_and_true_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(received.append)
    gc.collect()
    gc.disable()
    try:
        before = _refcounts()
        for i in range(2000):
            label.setText("x")
            label.setEnabled(True)
            emitter.fired.emit(i)
        after = _refcounts()
    finally:
        gc.enable()
    received.clear()
    lost_none, lost_true = before[0] - after[0], before[1] - after[1]
    assert lost_none < 100, f"{lost_none} references to None lost in 4000 void calls"
    assert lost_true < 100, f"{lost_true} references to True lost in 2000 emits"
