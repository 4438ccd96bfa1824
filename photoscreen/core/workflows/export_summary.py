"""What an export did, photo by photo: written, withheld (with every reason), failed.

:class:`ExportSummary` is what :func:`photoscreen.core.workflows.export.export_photos`
returns; its :meth:`ExportSummary.lines` are the export's log and what the window and the
command line show, with names as people can read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from photoscreen.core.basics import shown_name
from photoscreen.core.storage import ExportRecord


@dataclass(frozen=True)
class WrittenPhoto:
    """``name`` in the destination was written from the picture in ``source``."""

    name: str
    source: Path
    photo_hash: str


@dataclass(frozen=True)
class WithheldPhoto:
    """``source`` was not exported, for every one of ``reasons``."""

    source: Path
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class FailedPhoto:
    """``source`` was eligible but writing it failed; nothing was left under its name."""

    source: Path
    reason: str


@dataclass(frozen=True)
class AlreadyExported:
    """``source``'s picture was exported before (``record``), so it was not written again;
    ``here`` when that file is in this export's destination still."""

    source: Path
    record: ExportRecord
    here: bool

    @property
    def sentence(self) -> str:
        """ "already in this folder as story-time-003.jpg" / "exported on 2024-05-03"."""
        if self.here:
            return f"already in this folder as {shown_name(self.record.name)}"
        return f"exported before, on {self.record.at[:10]}, as {shown_name(self.record.name)}"


@dataclass
class ExportSummary:
    """What an export did, photo by photo."""

    destination: Path
    written: list[WrittenPhoto] = field(default_factory=list)
    withheld: list[WithheldPhoto] = field(default_factory=list)
    failed: list[FailedPhoto] = field(default_factory=list)
    duplicates: list[tuple[Path, Path]] = field(default_factory=list)
    already: list[AlreadyExported] = field(default_factory=list)  # not written again
    not_reached: list[Path] = field(default_factory=list)  # ready, but it stopped first
    cancelled: bool = False
    log_path: Path | None = None
    leftovers_removed: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the export stopped before the end (the disk is full)
    problems: list[str] = field(default_factory=list)  # what of its record was not saved

    @property
    def ok(self) -> bool:
        """True when nothing failed (withheld photos are not failures)."""
        return not self.failed and self.stopped is None and not self.problems

    def counts_line(self) -> str:
        text = (
            f"{len(self.written)} written, {len(self.withheld)} withheld, {len(self.failed)} failed"
        )
        if self.duplicates:
            text += f", {len(self.duplicates)} duplicates skipped"
        if self.already:
            text += f", {len(self.already)} exported before"
        if self.stopped is not None:
            text += " (stopped)"
        return text + (" (cancelled)" if self.cancelled else "")

    def lines(self) -> list[str]:
        """The summary as plain text, one line per photo (names as people can read them:
        a name that is not valid text is shown with its odd bytes as ``\\xe9``)."""
        out = [f"Export to {shown_name(self.destination)}: {self.counts_line()}"]
        out += [
            f"  removed  {shown_name(name)}: left unfinished by an export that was stopped"
            for name in self.leftovers_removed
        ]
        out += [f"  written  {w.name} <- {shown_name(w.source.name)}" for w in self.written]
        for copy, first in self.duplicates:
            out.append(
                f"  skipped  {shown_name(copy.name)}: the same picture as {shown_name(first.name)}"
            )
        out += [f"  skipped  {shown_name(a.source.name)}: {a.sentence}" for a in self.already]
        for held in self.withheld:
            out.append(f"  withheld {shown_name(held.source.name)}: {'; '.join(held.reasons)}")
        out += [f"  FAILED   {shown_name(f.source.name)}: {f.reason}" for f in self.failed]
        out += [
            f"  not yet  {shown_name(p.name)}: the export stopped before it"
            for p in self.not_reached
        ]
        if self.stopped is not None:
            out.append(f"  STOPPED  {self.stopped}")
        out += [f"  PROBLEM  {problem}" for problem in self.problems]
        return out
