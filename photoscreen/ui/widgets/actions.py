"""Every command of the window as a QAction with its keyboard shortcut.

The keys are declared once, in :data:`COMMANDS`; the menus, the side panel's button
captions and the help overlay (F1) all read them from here, so what the help says is
what the keys do. Activity keys (digits) come from the centre's activity list and are
rebuilt whenever it changes. Every key works wherever the focus is in the window (text
fields keep the characters typed into them), so none needs a click on the photo first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from photoscreen.core.rules import Activity


@dataclass(frozen=True)
class Command:
    """One command: its name, menu text, keys and the line the help overlay shows.

    ``more_keys`` also work but are not shown: other ways of typing the same key on
    other keyboards (the "+" is Shift and "=" on many; some report the Shift, some not).
    """

    name: str
    text: str
    keys: tuple[str, ...]
    help: str
    group: str
    more_keys: tuple[str, ...] = ()


COMMANDS: tuple[Command, ...] = (
    Command(
        "next",
        "Next photo",
        ("Right", "Down", "PgDown"),
        "Go to the next photo still to do",
        "Move",
    ),
    Command(
        "previous",
        "Previous photo",
        ("Left", "Up", "PgUp"),
        "Go to the previous photo still to do",
        "Move",
    ),
    Command("first", "First photo", ("Home",), "Go to the first photo", "Move"),
    Command("last", "Last photo", ("End",), "Go to the last photo", "Move"),
    Command(
        "faces_checked",
        "Faces checked",
        ("C", "Space"),
        "Faces checked: mark it, go to the next photo",
        "Decide",
    ),
    Command("exclude", "Exclude", ("X",), "Leave this photo out (press again to undo)", "Decide"),
    Command(
        "unclothed",
        "Unclothed / semi-clothed",
        ("U",),
        "Unclothed: blocked till its marker or the manager clears it",
        "Decide",
    ),
    Command(
        "ask_manager",
        "Ask manager…",
        ("M",),
        "Not sure? Send it to the manager for review, with a note",
        "Decide",
    ),
    Command("add_box", "Add face box", ("B",), "Draw a box around a face that was missed", "Faces"),
    Command(
        "add_writing_box",
        "Cover writing",
        ("T",),
        "Cover writing that names someone (a label, a plate)",
        "Decide",
    ),
    Command(
        "look_harder",
        "Look harder for faces",
        ("L",),
        "Search again, more slowly, for small or turned faces",
        "Faces",
    ),
    Command(
        "accept_possible",
        "Possible face: yes, blur it",
        ("A",),
        "Yes, a possible face is a face: blur it",
        "Faces",
    ),
    Command(
        "dismiss_possible",
        "Possible face: no, not a face",
        ("D",),
        "No, a possible face is not a face",
        "Faces",
    ),
    Command(
        "face_strip",
        "Check faces in the strip",
        ("S",),
        "Face strip: A a face, D not a face, crop by crop",
        "Faces",
    ),
    Command(
        "preview",
        "Preview as posted",
        ("P",),
        "Show exactly what will be posted; again to go back",
        "Faces",
    ),
    Command("zoom_in", "Zoom in", ("+", "Ctrl++"), "Zoom in", "View"),
    Command("zoom_out", "Zoom out", ("-", "Ctrl+-"), "Zoom out", "View"),
    Command("fit", "Fit to window", ("Ctrl+0",), "Fit the whole photo in view", "View"),
    Command(
        "large_view",
        "Large photo",
        ("F",),
        "Hide the grid and side panel (again to bring them back)",
        "Window",
    ),
    Command("undo", "Undo", ("Ctrl+Z",), "Undo the last change", "Edit"),
    Command("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo what was undone", "Edit"),
    Command("open_folder", "Open folder…", ("Ctrl+O",), "Open a folder of photos", "Window"),
    Command(
        "export",
        "Export safe photos…",
        ("Ctrl+E",),
        "Save the photos that are ready, cleaned, to a folder",
        "Window",
    ),
    Command(
        "review_mode",
        "Manager review",
        ("Ctrl+R",),
        "Switch to the manager's review of flagged photos",
        "Window",
    ),
    Command("settings", "Settings…", ("Ctrl+,",), "Activities, export size, PIN", "Window"),
    Command(
        "consent_register",
        "Consent register…",
        ("Ctrl+Shift+R",),
        "Consent register, takedown lists",
        "Window",
    ),
    Command("your_name", "Your name…", (), "Change the name kept with your decisions", "Window"),
    Command("help", "Keyboard help", ("F1", "?"), "Show or hide this list of keys", "Window"),
    Command("quit", "Quit", ("Ctrl+Q",), "Close photoscreen", "Window"),
)

COMMANDS_BY_NAME = {command.name: command for command in COMMANDS}

# The commands that act on the photo on screen: the Photo menu, and disabled without one.
PHOTO_COMMANDS = (
    "faces_checked",
    "exclude",
    "unclothed",
    "ask_manager",
    "add_box",
    "add_writing_box",
    "look_harder",
    "accept_possible",
    "dismiss_possible",
    "face_strip",
    "preview",
    "zoom_in",
    "zoom_out",
    "fit",
    "large_view",
)
# Keys matched on the character typed rather than as a shortcut (see help_overlay and
# typed_keys): registered as shortcuts, one press could match two of them, and Qt then
# does nothing ("Ambiguous shortcut overload").
TYPED_KEYS = frozenset({"?", "+", "Ctrl++"})


def key_caption(name: str) -> str:
    """The first key of a command for button captions, e.g. "C"."""
    return _readable(COMMANDS_BY_NAME[name].keys[0])


def keys_text(keys: Sequence[str]) -> str:
    """Keys as shown to people: "Ctrl+Shift+Z or Ctrl+Y"."""
    return " or ".join(_readable(k) for k in keys)


def _readable(key: str) -> str:
    return {
        "PgDown": "Page Down",
        "PgUp": "Page Up",
        "Right": "→",
        "Left": "←",
        "Up": "↑",
        "Down": "↓",
    }.get(key, key)


class Actions(QObject):
    """The window's QActions, wired to ``handlers`` (command name -> callable)."""

    def __init__(self, window: QWidget, handlers: dict[str, Callable[[], object]]) -> None:
        super().__init__(window)
        self._window = window
        self.by_name: dict[str, QAction] = {}
        for command in COMMANDS:
            keys = [k for k in command.keys + command.more_keys if k not in TYPED_KEYS]
            typed = [k for k in command.keys if k in TYPED_KEYS]
            # A menu shows a typed key after a tab, as it would show a shortcut.
            text = command.text if keys or not typed else f"{command.text}\t{typed[0]}"
            action = QAction(text, window)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            shown = f" ({keys_text(command.keys)})" if command.keys else ""
            action.setToolTip(command.help + shown)
            action.triggered.connect(handlers[command.name])
            window.addAction(action)
            self.by_name[command.name] = action
        self.activity_actions: list[QAction] = []

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]

    def set_activities(self, activities: Sequence[Activity], choose: Callable[[str], None]) -> None:
        """(Re)build one action per activity with a shortcut (its digit)."""
        for action in self.activity_actions:
            self._window.removeAction(action)
            action.deleteLater()
        self.activity_actions = []
        for activity in activities:
            if not activity.shortcut:
                continue
            action = QAction(activity.label, self._window)
            action.setShortcut(QKeySequence(activity.shortcut))
            action.triggered.connect(lambda _=False, key=activity.key: choose(key))
            self._window.addAction(action)
            self.activity_actions.append(action)

    def set_photo_actions_enabled(self, enabled: bool) -> None:
        """Photo commands only make sense with a photo on screen."""
        for name in PHOTO_COMMANDS:
            self.by_name[name].setEnabled(enabled)
        for action in self.activity_actions:
            action.setEnabled(enabled)


MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&File", ("open_folder", "export", "settings", "consent_register", "your_name", "quit")),
    ("&Edit", ("undo", "redo")),
    ("&Photo", PHOTO_COMMANDS),
    ("&Go", ("next", "previous", "first", "last")),
    ("&Help", ("help",)),
)
TOOLBAR = ("open_folder", "export", "review_mode", "settings", "help")


def build_menus(window: QMainWindow, actions: Actions) -> dict[str, QMenu]:
    """The menu bar and the toolbar of big, labelled buttons; returns the menus by their
    title without its ``&`` ("File", "Help").

    Within a menu, a line separates the commands of one group from the next.
    """
    menus: dict[str, QMenu] = {}
    for title, names in MENUS:
        menu = menus[title.replace("&", "")] = window.menuBar().addMenu(title)
        for index, name in enumerate(names):
            if index and COMMANDS_BY_NAME[name].group != COMMANDS_BY_NAME[names[index - 1]].group:
                menu.addSeparator()
            menu.addAction(actions[name])
        if title == "&Go":
            menu.addSeparator()
            menu.addAction(actions["review_mode"])
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for name in TOOLBAR:
        toolbar.addAction(actions[name])
    return menus
