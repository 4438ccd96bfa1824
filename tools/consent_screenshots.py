#!/usr/bin/env python3
"""Screenshots of the consent register's windows: the register, the picker (with its
confirmation), a takedown list, and the register after a hand edit of its file, from the
real dialogs on a made-up centre.

    python tools/consent_screenshots.py [--out docs/screenshots]

Everything is made in a temporary directory: two photos (scikit-image's public-domain
astronaut and coffee), a session deciding them, a register of made-up people, an export
(so the takedown list has files and the session's thumbnails), then a withdrawal. On
Linux without a display it re-runs itself under ``xvfb-run`` (``apt-get install xvfb``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_UNDER_XVFB = "PHOTOSCREEN_CONSENT_SCREENSHOTS_XVFB"


def _rerun_under_xvfb(argv: list[str]) -> None:
    if os.environ.get(_UNDER_XVFB) or sys.platform in ("win32", "darwin"):
        return
    if shutil.which("xvfb-run") is None:
        if os.environ.get("DISPLAY"):
            return
        sys.exit("No display, and xvfb-run is not installed: apt-get install -y xvfb")
    env = dict(os.environ, **{_UNDER_XVFB: "1", "QT_QPA_PLATFORM": "xcb"})
    command = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable, __file__, *argv]
    sys.exit(subprocess.run(command, env=env, check=False).returncode)


def _centre(scratch: Path):  # type: ignore[no-untyped-def]
    """A decided folder, a register, one export, then a withdrawal: (register, session)."""
    import numpy as np
    import skimage.data
    from PIL import Image

    from photoscreen.core.basics import Box
    from photoscreen.core.consent import ConsentRegister, Kind, NewPerson
    from photoscreen.core.imaging import photo_hash
    from photoscreen.core.session import Session
    from photoscreen.core.settings import REGISTER_KEY
    from photoscreen.core.workflows import export_photos

    folder = scratch / "2026-11 Forest school"
    folder.mkdir()
    pictures = {"IMG_2101.JPG": skimage.data.astronaut(), "IMG_2102.JPG": skimage.data.coffee()}
    session = Session.open(folder, "Dana Staff")
    register = ConsentRegister(scratch / "register.sqlite3", "Morgan Manager",
                               clock=session.clock)  # fmt: skip
    session.settings.set(REGISTER_KEY, str(register.path))
    today = register.today()
    ago = today - timedelta(days=40)
    people = [
        NewPerson("Amira Haddad", Kind.CHILD, True, "Mother, signed form", ago),
        NewPerson("Ben Carter", Kind.CHILD, True, "Father, signed form", ago),
        NewPerson("Chloe Nwosu", Kind.CHILD, False, "Mother", ago),
        NewPerson("Dylan Price", Kind.CHILD, False, never_publish=True,
                  never_publish_reason="looked-after child"),
        NewPerson("Ella Marsh", Kind.ADULT, True, "herself", ago),
        NewPerson("Finn O'Neill", Kind.CHILD, True, "Grandmother (guardian)",
                  today - timedelta(days=380)),
    ]  # fmt: skip
    for person in people:
        register.add(person)
    for name, pixels in pictures.items():
        Image.fromarray(np.asarray(pixels)).save(folder / name, quality=92)
        digest = photo_hash((folder / name).read_bytes())
        height, width = np.asarray(pixels).shape[:2]
        session.record_scan(folder / name, digest, width, height, "JPEG", [], "screens")
        face = session.add_face(digest, Box(180, 60, 140, 170))
        session.show_face(digest, face, register.find("Amira Haddad"), today)
        session.set_activity(digest, "messy_play")
        session.set_faces_checked(digest)
    export_photos(session, scratch / "Upload to Facebook")
    register.withdraw(register.find("Amira Haddad").id)
    return register, session


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    _rerun_under_xvfb(argv)
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from photoscreen.ui.dialogs import PersonPicker, RegisterWindow, TakedownDialog
    from photoscreen.ui.threads import Workers

    app = QApplication(sys.argv[:1])
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        widget.show()
        for _ in range(20):
            app.processEvents()
            QTest.qWait(20)
        widget.grab().save(str(out / name))
        print(out / name)

    with tempfile.TemporaryDirectory(prefix="photoscreen-consent-") as scratch:
        register, session = _centre(Path(scratch))
        window = RegisterWindow(register, Workers())
        window.resize(1040, 440)
        window.table.setCurrentCell(0, 0)
        window.say("Consent withdrawn for Amira Haddad. Photos of them already exported: 2 "
                   "(see their takedown list).")  # fmt: skip
        shot(window, "11-consent-register.png")
        picker = PersonPicker(register.people(), register.today())
        QTest.keyClicks(picker.filter, "e")
        shot(picker, "12-consent-picker.png")
        QTest.keyClick(picker.filter, Qt.Key.Key_Return)
        shot(picker, "13-consent-confirm.png")
        amira = register.find("Amira Haddad")
        takedown = TakedownDialog(amira, register.exports.takedown(amira.id))
        shot(takedown, "14-takedown-list.png")
        # Someone edits the register file with another tool: Ben's review date moved.
        with sqlite3.connect(register.path) as conn:
            conn.execute("UPDATE people SET review_on = '2099-12-31' WHERE name = 'Ben Carter'")
        conn.close()
        window.reload()
        shot(window, "20-register-changed-outside.png")
        session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
