"""``photoscreen export FOLDER --to DIR [--user NAME] [--only-new]``: export the decisions
already made.

Runs the same export job as the window, headless: only photos whose decisions make them
eligible are written, never a picture already in ``DIR`` from an earlier export, and with
``--only-new`` none exported anywhere before. Prints the summary; the exit status is 0
when nothing failed, 1 when some photo failed to export, 2 when the export could not
start (folder open elsewhere, unusable destination).
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TextIO

from photoscreen.core.basics import Progress, shown_name
from photoscreen.core.session import DecisionError, Session, SessionLocked
from photoscreen.core.storage import StoreError
from photoscreen.core.workflows import ExportRefused, export_photos


def _user_name(user: str | None) -> str:
    if user and user.strip():
        return user
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown user"


def run(
    folder: Path,
    destination: Path,
    *,
    user: str | None,
    out: TextIO,
    centre_file: Path | None = None,
    only_new: bool = False,
) -> int:
    """Export the eligible photos of ``folder`` into ``destination``; returns the exit status.

    ``centre_file`` is this PC's centre settings file, which a folder opened for the first
    time starts from (None: the folder's own settings only).
    """
    try:
        session = Session.open(folder, _user_name(user), centre_file=centre_file)
    except (SessionLocked, StoreError, DecisionError, OSError) as error:
        out.write(f"photoscreen export: {error}\n")
        return 2

    def show(progress: Progress) -> None:
        if progress.done < progress.total:
            out.write(f"[{progress.done + 1}/{progress.total}] {progress.message}\n")

    with session:
        for note in (session.fallback_reason, session.centre_problem, session.records_problem):
            if note:
                out.write(f"Note: {note}\n")
        try:
            summary = export_photos(session, destination, progress=show, only_new=only_new)
        # StoreError: damage found meanwhile, or the export's start could not be recorded.
        except (ExportRefused, StoreError) as error:
            out.write(f"photoscreen export: {error}\n")
            return 2
    out.write("\n".join(summary.lines()) + "\n")
    if summary.log_path is not None:
        out.write(f"Summary kept in {shown_name(summary.log_path)}\n")
    return 0 if summary.ok else 1
