"""Scheduling an ingest: the queue of photos to start, and the pools that run them.

:class:`IngestQueue` is the order in which photos are started, which the window changes
while ingest runs (cells on screen first). :class:`TaskPipeline` runs the tasks on two
small thread pools: quick thumbnails for photos wanted on screen on a pool of their own,
so they never wait behind a face detection that takes seconds, and everything else on the
main pool, with a bounded number of photos in flight so memory stays flat.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class IngestQueue:
    """The photos still to start, in order; the window can move photos to the front.

    Photos "wanted on screen" (the first ``visible_first``, and any passed to
    :meth:`prioritise`) can get a quick thumbnail before any face detection runs.
    Thread-safe: the window calls :meth:`prioritise` (e.g. for the cells on screen) while
    the ingest generator pops from another thread.
    """

    def __init__(self, paths: Iterable[Path], *, visible_first: int = 0) -> None:
        self._lock = threading.Lock()
        self._order: deque[Path] = deque(dict.fromkeys(paths))
        self._pending = set(self._order)
        self._wanted: deque[Path] = deque(list(self._order)[:visible_first])
        self._thumbnailed: set[Path] = set()  # handed out by pop_wanted already

    def prioritise(self, paths: Sequence[Path]) -> None:
        """Start these (if not started yet) before any other, in the order given."""
        with self._lock:
            wanted = [p for p in dict.fromkeys(paths) if p in self._pending]
            if not wanted:
                return
            wanted_set = set(wanted)
            rest = [p for p in self._order if p not in wanted_set]
            self._order = deque([*wanted, *rest])
            # A quick thumbnail is made once: asking again (the window re-asks for the
            # cells on screen as it scrolls) only moves the photo's full pass forward.
            quick = [p for p in wanted if p not in self._thumbnailed]
            earlier = [p for p in self._wanted if p not in wanted_set]
            self._wanted = deque([*quick, *earlier])

    def pop(self) -> Path | None:
        """The next photo to start, or None when all have started."""
        with self._lock:
            if not self._order:
                return None
            path = self._order.popleft()
            self._pending.discard(path)
            return path

    def pop_wanted(self) -> Path | None:
        """The next photo wanted on screen that has not started yet, or None."""
        with self._lock:
            while self._wanted:
                path = self._wanted.popleft()
                if path in self._pending and path not in self._thumbnailed:
                    self._thumbnailed.add(path)
                    return path
            return None

    def __len__(self) -> int:
        with self._lock:
            return len(self._order)


class TaskPipeline(Generic[T]):
    """The thread pools of one ingest run and the tasks in flight, in submission order.

    Photos wanted on screen get their quick thumbnails on a pool of their own, so they
    never queue behind a detection that takes seconds; while any are in flight no new
    full-ingest work starts, so the first screen has the cores to itself.
    """

    def __init__(
        self,
        queue: IngestQueue,
        workers: int,
        first_task: Callable[[Path], T],
        quick_task: Callable[[Path], T] | None,
    ) -> None:
        self.queue = queue
        self.first_task = first_task
        self.quick_task = quick_task
        self.workers = workers
        # Two photos per worker in flight: a worker never waits for its next photo's bytes,
        # while memory holds only a handful of encoded files and reduced decodes.
        self.limit = 2 * workers
        self.main = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest")
        self.quick = (
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest-thumbs")
            if quick_task is not None
            else None
        )
        # Future -> whether it is a quick thumbnail. Dicts keep insertion order: photos
        # finishing together are handled in the order they were started.
        self.in_flight: dict[Future[T], bool] = {}

    def fill(self, cancelled: bool) -> None:
        """Start quick thumbnails first, then full-ingest work up to the limit."""
        if cancelled:
            return
        quick_busy = sum(self.in_flight.values())
        while self.quick is not None and self.quick_task and quick_busy < self.workers:
            wanted = self.queue.pop_wanted()
            if wanted is None:
                break
            self._add(self.quick.submit(self.quick_task, wanted), quick=True)
            quick_busy += 1
        if quick_busy:
            return
        while len(self.in_flight) < self.limit:
            path = self.queue.pop()
            if path is None:
                return
            self._add(self.main.submit(self.first_task, path), quick=False)

    def submit(self, task: Callable[..., T], *args: Any) -> None:
        """Run a follow-up ``task(*args)`` on the main pool (counts towards the limit)."""
        self._add(self.main.submit(task, *args), quick=False)

    def _add(self, future: Future[T], quick: bool) -> None:
        self.in_flight[future] = quick

    def finished(self, timeout: float | None) -> list[Future[T]]:
        """Tasks that have finished (waiting up to ``timeout``), oldest first."""
        done = wait(self.in_flight, timeout=timeout, return_when=FIRST_COMPLETED).done
        ordered = [future for future in self.in_flight if future in done]
        for future in ordered:
            del self.in_flight[future]
        return ordered

    def close(self) -> None:
        """Drop tasks not yet started and wait for the running ones."""
        for pool in (self.main, self.quick):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
