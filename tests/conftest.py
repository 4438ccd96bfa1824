"""Test set-up shared by the whole suite.

Qt runs offscreen: with no display and no platform set, a QApplication aborts.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
