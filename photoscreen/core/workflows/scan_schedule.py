"""Scheduling a scan: the queue of photos to start, and the pools that run them.

:class:`ScanQueue` is the order in which photos are started, which the window changes
while scan runs: the photo on screen first, then the cells on screen in the grid's
order, then the rest. :class:`TaskPipeline` runs the tasks on three small thread pools:
the photo on screen on a pool of its own, started at once whatever else is running (a
person is looking at "Still reading this photo…"); quick thumbnails for the cells on
screen on another, so they never wait behind a face detection that takes seconds; and
everything else on the main pool, with a bounded number of photos in flight so memory
stays flat. :class:`Turns` lets the photo on screen take the shared decoder and detector
next, ahead of photos already waiting for them.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ScanQueue:
    """The photos still to start, in order; the window can move photos to the front.

    The order it is made with is the grid's order. :meth:`read_first` names the photo on
    screen, which :meth:`pop_first` hands out (and :meth:`pop` never does: it is started
    as the photo on screen, ahead of the rest); :meth:`prioritise` moves the cells on
    screen forward. Photos "wanted on screen" (the first ``visible_first``, and any passed to
    :meth:`prioritise`) can get a quick thumbnail before any face detection runs.
    Thread-safe: the window calls :meth:`read_first` and :meth:`prioritise` while the
    scan generator pops from another thread.
    """

    def __init__(self, paths: Iterable[Path], *, visible_first: int = 0) -> None:
        self._lock = threading.Lock()
        # Photos already started may still be listed here: ``_pending`` says which are not.
        self._order: deque[Path] = deque(dict.fromkeys(paths))
        self._rank = {path: rank for rank, path in enumerate(self._order)}
        self._pending = set(self._order)
        self._wanted: deque[Path] = deque(list(self._order)[:visible_first])
        self._thumbnailed: set[Path] = set()  # handed out by pop_wanted already
        self._first: Path | None = None  # the photo on screen, until it is started

    def read_first(self, path: Path) -> None:
        """``path`` is the photo on screen: start it before any other, if not started yet.

        It replaces the photo named before, which goes back to the front of the queue if
        it was not started yet either.
        """
        with self._lock:
            if path not in self._pending or path == self._first:
                return
            if self._first is not None and self._first in self._pending:
                self._order.appendleft(self._first)
            self._first = path

    def pop_first(self) -> Path | None:
        """The photo on screen, if it has not started yet (see :meth:`read_first`)."""
        with self._lock:
            path, self._first = self._first, None
            if path is None or path not in self._pending:
                return None
            self._pending.discard(path)
            return path

    def prioritise(self, paths: Sequence[Path]) -> None:
        """Start these (if not started yet) before any other but the photo on screen.

        They are started in the grid's order, whatever order they are given in: the window
        asks for each cell as it paints it, and the first screen must be read from its
        top-left cell, not from its last. Photos asked for later go before these.
        """
        with self._lock:
            wanted = sorted({p for p in paths if p in self._pending}, key=self._rank.__getitem__)
            if not wanted:
                return
            wanted_set = set(wanted)
            rest = [
                p for p in dict.fromkeys(self._order) if p in self._pending and p not in wanted_set
            ]
            self._order = deque([*wanted, *rest])
            # A quick thumbnail is made once: asking again (the window re-asks for the
            # cells on screen as it scrolls) only moves the photo's full pass forward.
            quick = [p for p in wanted if p not in self._thumbnailed]
            earlier = [p for p in self._wanted if p not in wanted_set]
            self._wanted = deque([*quick, *earlier])

    def pop(self) -> Path | None:
        """The next photo to start but the photo on screen, or None when none is left."""
        with self._lock:
            while self._order:
                path = self._order.popleft()
                if path in self._pending and path != self._first:
                    self._pending.discard(path)
                    return path
            return None

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
            return len(self._pending)


class Turns:
    """A lock taken in turns: first come, first served, but urgent takers go first.

    Scan's workers share one decoder slot and one detector (see
    :mod:`photoscreen.core.workflows.scan`); a detection takes seconds on an office PC, so the
    photo on screen must not queue behind every photo that reached the detector first,
    and the others are served in the order they came (the order they were started in).
    A turn already under way is never interrupted. Up to ``slots`` takers hold a turn at
    once (a detector that may run several photos at once, on a PC with many cores).
    """

    def __init__(self, slots: int = 1) -> None:
        self._changed = threading.Condition()
        self._slots = max(1, slots)
        self._busy = 0
        self._tickets = itertools.count()
        self._waiting: list[tuple[bool, int]] = []  # (not urgent, ticket): least goes next

    @property
    def waiting(self) -> int:
        """How many takers are waiting now."""
        with self._changed:
            return len(self._waiting)

    @property
    def slots(self) -> int:
        """How many takers may hold a turn at once."""
        with self._changed:
            return self._slots

    @slots.setter
    def slots(self, count: int) -> None:
        with self._changed:
            self._slots = max(1, count)
            self._changed.notify_all()

    @contextmanager
    def turn(self, urgent: bool = False) -> Iterator[None]:
        """Hold the lock for the ``with`` block, waiting for the turns before this one."""
        with self._changed:
            key = (not urgent, next(self._tickets))
            self._waiting.append(key)
            try:
                self._changed.wait_for(
                    lambda: self._busy < self._slots and key == min(self._waiting)
                )
            finally:
                self._waiting.remove(key)
                self._changed.notify_all()  # the next in line may be let through
            self._busy += 1
        try:
            yield
        finally:
            with self._changed:
                self._busy -= 1
                self._changed.notify_all()


# Photos read as the photo on screen at once: the one shown, and the one shown before it
# (still being read when the person moved on).
ON_SCREEN_LIMIT = 2


class Kind(Enum):
    """Which pool a task runs on."""

    ON_SCREEN = "on screen"  # the photo on screen: every stage, on a pool of its own
    QUICK = "quick"  # a quick thumbnail for a cell on screen
    MAIN = "main"  # everything else


class TaskPipeline(Generic[T]):
    """The thread pools of one scan run and the tasks in flight, in submission order.

    The photo on screen is started at once on a pool of its own, outside the limit on
    photos in flight: at most :data:`ON_SCREEN_LIMIT` photos, so someone going through
    unread photos quickly never piles up work (the last one chosen waits for a place).
    Photos wanted on screen get their quick thumbnails on a pool of their own, so they
    never queue behind a detection that takes seconds; while any are in flight no new
    full-scan work starts, so the first screen has the cores to itself.
    """

    def __init__(
        self,
        queue: ScanQueue,
        workers: int,
        start_task: Callable[[Path], T],
        quick_task: Callable[[Path], T] | None,
    ) -> None:
        self.queue = queue
        self.start_task = start_task
        self.quick_task = quick_task
        self.workers = workers
        # Two photos per worker in flight: a worker never waits for its next photo's bytes,
        # while memory holds only a handful of encoded files and reduced decodes.
        self.limit = 2 * workers
        self.main = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scan")
        self.on_screen = ThreadPoolExecutor(
            max_workers=ON_SCREEN_LIMIT, thread_name_prefix="scan-shown"
        )
        self.quick = (
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scan-thumbs")
            if quick_task is not None
            else None
        )
        # Future -> its kind. Dicts keep insertion order: photos finishing together are
        # handled in the order they were started.
        self.in_flight: dict[Future[T], Kind] = {}
        self._started_on_screen: set[Path] = set()

    def fill(self, cancelled: bool) -> None:
        """Start the photo on screen, then quick thumbnails, then work up to the limit."""
        if cancelled:
            return
        if self._busy(Kind.ON_SCREEN) < ON_SCREEN_LIMIT:
            shown = self.queue.pop_first()
            if shown is not None:
                self._started_on_screen.add(shown)
                self._add(self.on_screen.submit(self.start_task, shown), Kind.ON_SCREEN)
        quick_busy = self._busy(Kind.QUICK)
        while self.quick is not None and self.quick_task and quick_busy < self.workers:
            wanted = self.queue.pop_wanted()
            if wanted is None:
                break
            self._add(self.quick.submit(self.quick_task, wanted), Kind.QUICK)
            quick_busy += 1
        if quick_busy:
            return
        while len(self.in_flight) - self._busy(Kind.ON_SCREEN) < self.limit:
            path = self.queue.pop()
            if path is None:
                return
            self._add(self.main.submit(self.start_task, path), Kind.MAIN)

    def started_on_screen(self, path: Path) -> bool:
        """True if ``path`` was started as the photo on screen (its follow-ups go first)."""
        return path in self._started_on_screen

    def submit(self, task: Callable[..., T], *args: Any, on_screen: bool = False) -> None:
        """Run a follow-up ``task(*args)``: on the main pool (counting towards the limit),
        or with ``on_screen`` on the pool of the photo on screen."""
        if on_screen:
            self._add(self.on_screen.submit(task, *args), Kind.ON_SCREEN)
        else:
            self._add(self.main.submit(task, *args), Kind.MAIN)

    def _busy(self, kind: Kind) -> int:
        return sum(1 for running in self.in_flight.values() if running is kind)

    def _add(self, future: Future[T], kind: Kind) -> None:
        self.in_flight[future] = kind

    def finished(self, timeout: float | None) -> list[Future[T]]:
        """Tasks that have finished (waiting up to ``timeout``), oldest first."""
        done = wait(self.in_flight, timeout=timeout, return_when=FIRST_COMPLETED).done
        ordered = [future for future in self.in_flight if future in done]
        for future in ordered:
            del self.in_flight[future]
        return ordered

    def close(self) -> None:
        """Drop tasks not yet started and wait for the running ones."""
        for pool in (self.on_screen, self.main, self.quick):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
