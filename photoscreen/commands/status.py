"""``photoscreen status FOLDER [--json]``: each photo's status and every reason it is held.

Works without the window and without a detector pass: each file is read and hashed to
find the decisions made about exactly that picture. Files never read show "Not read
yet"; a file changed since it was checked says so. Nothing is written and the lock is not
taken, so this works while the window is open: it reads a private snapshot (in a temporary
directory) of the very session the window would use, this PC's copy of a read-only
folder's session included. So a session saved by an older photoscreen reads (migrated in
the snapshot), and one a crash interrupted mid-write reads as its last confirmed state.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from photoscreen.core.basics import printable
from photoscreen.core.imaging import UnreadablePhoto, photo_hash, read_photo_file
from photoscreen.core.rules import (
    PhotoState,
    PhotoStatus,
    count_states,
)
from photoscreen.core.session import DecisionError, Session
from photoscreen.core.storage import StoreError

Row = tuple[Path, str | None, PhotoStatus, str | None]


def judge_files(session: Session) -> list[Row]:
    """(path, content hash, status, activity label) for every file in the folder, now."""
    activities = session.activities()
    labels = {a.key: a.label for a in activities}
    rows: list[Row] = []
    for path in session.folder_files():
        try:
            digest = photo_hash(read_photo_file(path))
        except UnreadablePhoto as error:
            status = PhotoStatus(PhotoState.UNREADABLE, (f"Could not be read: {error.reason}",))
            rows.append((path, None, status, None))
            continue
        decisions, status = session.judge_content(path, digest)
        label = labels.get(decisions.activity) if decisions and decisions.activity else None
        rows.append((path, digest, status, label))
    return rows


def run(folder: Path, *, as_json: bool, out: TextIO, centre_file: Path | None = None) -> int:
    """Print the folder's status; 0 on success, 2 when the folder cannot be read.

    ``centre_file``: this PC's centre settings, used for what the folder has not set
    (its activity list, for a folder never opened in the window).
    """
    try:
        with Session.open(
            folder, "photoscreen status", read_only=True, centre_file=centre_file
        ) as session:
            rows = judge_files(session)
            found = (session.fallback_reason, session.centre_problem, session.records_problem)
            notes = [note for note in found if note]
    except (DecisionError, StoreError, OSError) as error:
        out.write(f"photoscreen status: {error}\n")
        return 2
    if as_json:
        _print_json(folder, rows, out)
    else:
        _print_table(rows, notes, out)
    return 0


def _print_json(folder: Path, rows: list[Row], out: TextIO) -> None:
    statuses = [status for _, _, status, _ in rows]
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status.state.value] = counts.get(status.state.value, 0) + 1
    document = {
        "folder": str(folder),
        "photos": [
            {
                "file": path.name,
                "hash": digest,
                "status": status.state.value,
                "label": status.state.label,
                "reasons": list(status.reasons),
                "activity": activity,
            }
            for path, digest, status, activity in rows
        ],
        "counts": counts,
        "summary": count_states(statuses),
    }
    json.dump(document, out, indent=2)
    out.write("\n")


def _print_table(
    rows: list[Row],
    notes: list[str],
    out: TextIO,
) -> None:
    for note in notes:
        out.write(f"Note: {note}\n\n")
    table = [("FILE", "STATUS", "REASONS")]
    table += [
        (printable(p.name), s.state.label, printable("; ".join(s.reasons))) for p, _, s, _ in rows
    ]
    name_width = max(len(row[0]) for row in table)
    state_width = max(len(row[1]) for row in table)
    for name, state, reasons in table:
        out.write(f"{name:<{name_width}}  {state:<{state_width}}  {reasons}".rstrip() + "\n")
    out.write("\n" + count_states([s for _, _, s, _ in rows]) + "\n")
