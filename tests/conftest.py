"""Test set-up shared by the whole suite.

Qt runs offscreen: with no display and no platform set, a QApplication aborts.
Per-user folders (centre settings, demo folder, session fallback) point into a temporary
directory, so the suite never reads or writes the real user's files.
"""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_USER_DIRS = tempfile.TemporaryDirectory(prefix="photoscreen-tests-")
for _variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "APPDATA", "LOCALAPPDATA"):
    os.environ[_variable] = os.path.join(_USER_DIRS.name, _variable.lower())
