"""The head of a folder's chained audit trail, as this PC last saw it, kept on this PC.

The chain in the session file shows an edit of an entry, a decision changed without its
entry, and entries deleted from the middle. It cannot show entries taken off its end
together with the decisions they recorded, since what is left is a shorter chain that
holds. So the last link this PC saw is kept in the per-user data folder, outside the
photo folder: when the folder is opened here again, that link must still be in its
trail. Anyone can add to the trail (another PC on a shared drive does); nobody should
take from it.

What this adds, and what it does not (docs/tamper-evidence.md): it catches a trail cut
back or rewritten *since this PC last had the folder open*; not one cut before that, not
on a PC that never opened the folder, and not by someone who can also edit this PC's
user folder.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

from photoscreen.core.basics import data_dir, path_digest, write_atomically

log = logging.getLogger(__name__)

Head = tuple[int, str]


def anchor_path(db_path: Path) -> Path:
    """Where this PC keeps the head of the trail of the session file ``db_path``."""
    return data_dir() / "trail-heads" / f"{path_digest(db_path)}.json"


def head_of(conn: sqlite3.Connection) -> Head | None:
    """The last link of the trail in ``conn``, or None when it has none."""
    row = conn.execute(
        "SELECT audit_id, link FROM audit_chain ORDER BY audit_id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def load(db_path: Path) -> Head | None:
    """The head kept for ``db_path``, or None (never opened here, or unreadable)."""
    try:
        data = json.loads(anchor_path(db_path).read_text("utf-8"))
        return int(data["audit_id"]), str(data["link"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("the trail head kept for %s cannot be read: %s", db_path, error)
        return None


def save(db_path: Path, head: Head | None) -> None:
    """Keep ``head`` for ``db_path``. A failure is logged: the check is an extra, and
    not being able to keep it must not stop anyone's work."""
    if head is None:
        return
    data = json.dumps({"audit_id": head[0], "link": head[1], "session": str(db_path)})
    try:
        write_atomically(anchor_path(db_path), data.encode("utf-8"))
    except OSError as error:
        log.warning("the trail head of %s cannot be kept on this PC: %s", db_path, error)


def still_there(conn: sqlite3.Connection, head: Head | None) -> bool:
    """True when the trail still holds ``head`` (or there was none to hold)."""
    if head is None:
        return True
    row = conn.execute("SELECT link FROM audit_chain WHERE audit_id = ?", (head[0],)).fetchone()
    return row is not None and row[0] == head[1]
