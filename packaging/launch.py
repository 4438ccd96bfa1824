"""The script PyInstaller freezes: the same entry point as ``python -m photoscreen``."""

import sys

from photoscreen.app import main

if __name__ == "__main__":
    sys.exit(main())
