"""The order scan reads a folder in: the photo on screen, then the cells on screen from
the top-left one, then the rest; and the photo on screen never waits its turn."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from photoscreen.core.workflows.scan_schedule import Kind, ScanQueue, TaskPipeline, Turns

PATHS = [Path(f"p{i}.jpg") for i in range(8)]


def _drain(queue: ScanQueue) -> list[Path]:
    order = []
    while (path := queue.pop()) is not None:
        order.append(path)
    return order


def test_cells_are_read_in_the_grids_order_however_they_are_asked_for() -> None:
    queue = ScanQueue(PATHS)
    # A paint asks for the cells in whatever order the view paints them.
    queue.prioritise([PATHS[5], PATHS[3], PATHS[4]])
    assert _drain(queue) == [PATHS[3], PATHS[4], PATHS[5], *PATHS[:3], *PATHS[6:]]


def test_cells_asked_for_later_go_before_those_asked_for_earlier() -> None:
    """Scrolling on: the cells on screen now matter more than those scrolled past."""
    queue = ScanQueue(PATHS)
    queue.prioritise([PATHS[1], PATHS[2]])
    queue.prioritise([PATHS[6], PATHS[5]])
    assert _drain(queue)[:4] == [PATHS[5], PATHS[6], PATHS[1], PATHS[2]]


def test_the_photo_on_screen_is_read_before_the_cells_on_screen() -> None:
    queue = ScanQueue(PATHS, visible_first=4)
    queue.read_first(PATHS[6])
    queue.prioritise([PATHS[2], PATHS[6], PATHS[1]])  # asked for after: still after it
    # It is started as the photo on screen (see the pipeline), never as one of the rest.
    assert _drain(queue) == [PATHS[1], PATHS[2], PATHS[0], *PATHS[3:6], PATHS[7]]
    assert queue.pop_first() == PATHS[6]
    assert len(queue) == 0


def test_the_photo_on_screen_replaced_keeps_its_place_and_a_started_one_is_ignored() -> None:
    queue = ScanQueue(PATHS)
    assert queue.pop() == PATHS[0]
    queue.read_first(PATHS[0])  # already started: nothing to do
    queue.read_first(PATHS[3])
    queue.prioritise([PATHS[3]])
    queue.read_first(PATHS[5])  # the person moved on before PATHS[3] was started
    assert queue.pop_first() == PATHS[5]
    assert queue.pop_first() is None
    assert _drain(queue) == [PATHS[3], PATHS[1], PATHS[2], PATHS[4], PATHS[6], PATHS[7]]
    assert len(queue) == 0


class _Held:
    """Tasks that record what they were started with and wait until released."""

    def __init__(self) -> None:
        self.started: list[tuple[str, Path]] = []
        self.release = threading.Event()
        self._lock = threading.Lock()

    def task(self, name: str) -> Callable[[Path], str]:
        def run(path: Path) -> str:
            with self._lock:
                self.started.append((name, path))
            self.release.wait(10)
            return name

        return run

    def wait_for(self, count: int) -> list[tuple[str, Path]]:
        deadline = time.monotonic() + 10
        while len(self.started) < count and time.monotonic() < deadline:
            time.sleep(0.005)
        return sorted(self.started)


def test_the_photo_on_screen_starts_at_once_whatever_else_runs() -> None:
    """Neither quick thumbnails in flight nor the limit on photos in flight hold it back;
    at most two photos on screen at a time, so memory stays bounded."""
    queue = ScanQueue(PATHS, visible_first=1)
    held = _Held()
    pipeline = TaskPipeline(queue, 1, held.task("full"), held.task("quick"))
    try:
        pipeline.fill(cancelled=False)
        assert held.wait_for(1) == [("quick", PATHS[0])]  # no full work while it runs
        queue.read_first(PATHS[6])
        pipeline.fill(cancelled=False)
        assert held.wait_for(2) == [("full", PATHS[6]), ("quick", PATHS[0])]
        assert list(pipeline.in_flight.values()) == [Kind.QUICK, Kind.ON_SCREEN]
        queue.read_first(PATHS[7])  # the person moved on at once
        pipeline.fill(cancelled=False)
        queue.read_first(PATHS[5])  # and again
        pipeline.fill(cancelled=False)
        assert held.wait_for(3) == [("full", PATHS[6]), ("full", PATHS[7]), ("quick", PATHS[0])]
        assert not pipeline.started_on_screen(PATHS[5]), "it waits for a place"
        assert queue.pop() == PATHS[0], "and is not started as any other photo"
        assert queue.pop_first() == PATHS[5]
    finally:
        held.release.set()
        pipeline.close()


def test_turns_go_in_order_of_arrival_but_the_photo_on_screen_goes_first() -> None:
    turns = Turns()
    order: list[str] = []

    def take(name: str, urgent: bool) -> threading.Thread:
        def run() -> None:
            with turns.turn(urgent):
                order.append(name)

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def waiting(count: int) -> None:
        deadline = time.monotonic() + 10
        while turns.waiting < count and time.monotonic() < deadline:
            time.sleep(0.002)
        assert turns.waiting == count

    with turns.turn():
        threads = []
        for count, (name, urgent) in enumerate(
            [("came first", False), ("came second", False), ("photo on screen", True)], 1
        ):
            threads.append(take(name, urgent))
            waiting(count)
    for thread in threads:
        thread.join(10)
    assert order == ["photo on screen", "came first", "came second"]


@pytest.mark.parametrize("slots", [1, 2, 3])
def test_turns_let_in_as_many_takers_at_once_as_they_have_slots(slots: int) -> None:
    turns = Turns(slots)
    lock = threading.Lock()
    inside = most = 0

    def run() -> None:
        nonlocal inside, most
        with turns.turn():
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.05)  # long enough for every other taker to arrive
            with lock:
                inside -= 1

    threads = [threading.Thread(target=run) for _ in range(2 * slots + 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most == slots


def test_more_slots_let_waiting_takers_in_at_once() -> None:
    turns = Turns()
    entered = threading.Event()

    def run() -> None:
        with turns.turn():
            entered.set()

    with turns.turn():
        thread = threading.Thread(target=run)
        thread.start()
        assert not entered.wait(0.1)
        turns.slots = 2
        assert entered.wait(10), "the waiting taker got the new slot"
    thread.join(10)
