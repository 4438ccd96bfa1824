"""Allows ``python -m photoscreen``."""

import sys

from photoscreen.app import main

sys.exit(main())
