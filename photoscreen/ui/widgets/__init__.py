"""The window's widgets: the side panel, review mode, the welcome page and the offer of a
folder's subfolders, keyboard help and the
command table.
"""

from __future__ import annotations

from photoscreen.ui.widgets.actions import Actions, build_menus, key_caption
from photoscreen.ui.widgets.help_overlay import HelpOverlay
from photoscreen.ui.widgets.review_mode import ReviewPanel
from photoscreen.ui.widgets.side_panel import SidePanel
from photoscreen.ui.widgets.subfolder_offer import SubfolderOffer
from photoscreen.ui.widgets.welcome import WelcomePage

__all__ = [
    "Actions",
    "HelpOverlay",
    "ReviewPanel",
    "SidePanel",
    "SubfolderOffer",
    "WelcomePage",
    "build_menus",
    "key_caption",
]
