"""The folder scan's order: the photo on screen first, then the cells the grid paints, from
the top-left one (the grid asks for them one at a time, as it paints them)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from photoscreen.core.workflows.scan_schedule import ScanQueue
from photoscreen.ui.folder import folder_scan
from photoscreen.ui.folder.folder_scan import FolderScan

PATHS = [Path(f"IMG_{i:04d}.jpg") for i in range(12)]


class HeldWorkers:
    """Takes the scan job without running it: the queue's order is all that is read."""

    def stream(self, pool: str, job: Any, **callbacks: Any) -> Any:
        return SimpleNamespace(cancel=lambda: None)


@pytest.fixture
def scan_and_queue(qtbot, monkeypatch, tmp_path: Path) -> tuple[FolderScan, list[ScanQueue]]:
    made: list[ScanQueue] = []

    class Recorded(ScanQueue):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(folder_scan, "ScanQueue", Recorded)
    session = SimpleNamespace(session_dir=tmp_path)
    scan = FolderScan(HeldWorkers(), session, None)  # type: ignore[arg-type]
    scan.start(PATHS)
    return scan, made


def _order(queue: ScanQueue) -> list[Path]:
    """The order photos are started in: the photo on screen, then the rest."""
    first = queue.pop_first()
    return [*([first] if first else []), *iter(queue.pop, None)]


def test_the_first_screen_is_read_from_its_top_left_cell(qtbot, scan_and_queue):
    scan, made = scan_and_queue
    for path in PATHS[:8]:  # one paint: the grid asks for each cell in turn
        scan.prioritise([path])
    qtbot.wait(1)
    assert _order(made[0]) == PATHS


def test_the_photo_on_screen_is_read_first_then_the_cells_painted_last(qtbot, scan_and_queue):
    scan, made = scan_and_queue
    for path in PATHS[:4]:
        scan.prioritise([path])
    qtbot.wait(1)
    for path in reversed(PATHS[8:]):  # scrolled down: the new cells, painted bottom up
        scan.prioritise([path])
    scan.read_first(PATHS[6])  # chosen in the grid
    qtbot.wait(1)
    assert _order(made[0]) == [PATHS[6], *PATHS[8:], *PATHS[:6], PATHS[7]]
