"""The one place where core jobs run on worker threads.

Six named thread pools, each with one purpose:

- ``session``: opening a folder's session (the database, its migrations, the listing),
  which takes too long for the GUI thread. One thread: one folder is opened at a time.
- ``scan``: reads the opened folder once (hash, thumbnail, face detection). One thread
  drives the core's scan generator; the generator spreads its own work over the cores.
- ``viewer``: work for the photo on screen (full-size decode, metadata inspection, the
  export preview). One thread, so a burst of arrow-key presses queues at most one stale
  job behind the current one; superseded jobs are skipped or their results dropped.
- ``thumbnails``: grid thumbnails wanted on screen before scan reaches them (a quick
  reduced decode), or again after the grid's memory cache dropped them.
- ``writer``: export. One thread, so two exports never write into a folder at once.
- ``register``: the manager's changes to the consent register (each checks the reviewer
  PIN with scrypt, and a shared drive may keep the file busy): never on the GUI thread,
  and never queued behind an export, so a withdrawal is saved at once.

Jobs are plain callables (or generators) taking a :class:`JobContext`. Their inputs must
be copied before submitting (immutable values, copies of lists); their results, yielded
items, progress and errors come back as queued signals, so every callback runs on the GUI
thread. Only QImage and plain Python/numpy values cross threads, never QPixmap.

Jobs submitted under the same ``lane`` supersede each other: a new job cancels the old
one and the old one's late results are dropped.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from photoscreen.core.basics import Cancelled, CancelToken, Progress

log = logging.getLogger(__name__)

POOLS = ("session", "scan", "viewer", "thumbnails", "writer", "register")


@dataclass(frozen=True)
class JobError:
    """What went wrong in a job: the exception and its formatted traceback."""

    exception: Exception
    trace: str


class JobContext:
    """Handed to a job: the cancel token to check and a way to report progress."""

    def __init__(self, token: CancelToken, report: Callable[[Progress], None]) -> None:
        self.cancel = token
        self._report = report

    def report(self, progress: Progress) -> None:
        """Send ``progress`` to the GUI thread."""
        self._report(progress)


@dataclass
class _Callbacks:
    on_result: Callable[[Any], object] | None
    on_error: Callable[[JobError], object]
    on_item: Callable[[Any], object] | None = None
    on_progress: Callable[[Progress], None] | None = None
    on_cancelled: Callable[[], None] | None = None


@dataclass
class JobHandle:
    """A submitted job, which can be asked to stop."""

    job_id: int
    token: CancelToken = field(repr=False)
    _forget: Callable[[int], None] = field(repr=False)
    dropped: threading.Event = field(default_factory=threading.Event, repr=False)

    def cancel(self) -> None:
        """Stop the job and drop anything it still sends (it no longer matters).

        A dropped job that has not started yet is skipped altogether.
        """
        self.dropped.set()
        self.token.cancel()
        self._forget(self.job_id)

    def stop(self) -> None:
        """Ask the job to stop but still deliver how it ended (e.g. a partial export)."""
        self.token.cancel()


class _Relay(QObject):
    """Lives on the GUI thread; workers emit through it, so slots run on the GUI thread."""

    item_ready = Signal(int, object)
    progressed = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, object)
    cancelled = Signal(int)


class _Runnable(QRunnable):
    def __init__(
        self, relay: _Relay, handle: JobHandle, body: Callable[[JobContext], Any], streaming: bool
    ) -> None:
        super().__init__()
        self._relay, self._job_id, self._body = relay, handle.job_id, body
        self._token, self._dropped, self._streaming = handle.token, handle.dropped, streaming

    def run(self) -> None:
        job_id, relay = self._job_id, self._relay
        # A job only asked to stop still runs, so it can report how it ended (an export
        # cancelled before its first photo still returns its summary).
        if self._dropped.is_set():
            relay.cancelled.emit(job_id)
            return
        context = JobContext(self._token, lambda p: relay.progressed.emit(job_id, p))
        try:
            result = self._run_body(context)
        except Cancelled:
            relay.cancelled.emit(job_id)
        except Exception as exc:  # delivered to the GUI thread's on_error, never dropped
            relay.failed.emit(job_id, JobError(exc, traceback.format_exc()))
        else:
            relay.finished.emit(job_id, result)

    def _run_body(self, context: JobContext) -> Any:
        if not self._streaming:
            return self._body(context)
        for item in self._body(context):
            self._token.raise_if_cancelled()
            self._relay.item_ready.emit(self._job_id, item)
        return None


class Workers(QObject):
    """Runs jobs on the named pools and calls back on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        for name in POOLS:
            pool = QThreadPool(self)
            pool.setObjectName(f"photoscreen-{name}")
            pool.setMaxThreadCount(1)
            self._pools[name] = pool
        self._ids = count(1)
        self._callbacks: dict[int, _Callbacks] = {}
        self._tokens: dict[int, CancelToken] = {}
        self._handles: dict[int, JobHandle] = {}
        self._lanes: dict[str, JobHandle] = {}
        self._closed = False
        self._relay = _Relay(self)
        self._relay.item_ready.connect(self._on_item)
        self._relay.progressed.connect(self._on_progress)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._relay.cancelled.connect(self._on_cancelled)

    def run(
        self,
        pool: str,
        job: Callable[[JobContext], Any],
        *,
        on_result: Callable[[Any], object],
        on_error: Callable[[JobError], object],
        on_progress: Callable[[Progress], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        lane: str | None = None,
    ) -> JobHandle:
        """Run ``job(context)`` on ``pool``; ``on_result`` gets its return value."""
        callbacks = _Callbacks(on_result, on_error, None, on_progress, on_cancelled)
        return self._submit(pool, job, callbacks, streaming=False, lane=lane)

    def stream(
        self,
        pool: str,
        job: Callable[[JobContext], Iterable[Any]],
        *,
        on_item: Callable[[Any], object],
        on_error: Callable[[JobError], object],
        on_finished: Callable[[Any], object] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        lane: str | None = None,
    ) -> JobHandle:
        """Run the generator ``job(context)``; ``on_item`` gets each item as it is yielded."""
        callbacks = _Callbacks(on_finished, on_error, on_item, on_progress, on_cancelled)
        return self._submit(pool, job, callbacks, streaming=True, lane=lane)

    def cancel_lane(self, lane: str) -> None:
        """Cancel the job running under ``lane``, if any, and drop its results."""
        handle = self._lanes.pop(lane, None)
        if handle is not None:
            handle.cancel()

    def is_busy(self, pool: str) -> bool:
        """True while ``pool`` has a job running or queued."""
        return self._pools[pool].activeThreadCount() > 0

    def drain(self, timeout_ms: int = 15000) -> bool:
        """Cancel every job, drop their pending callbacks, wait until the pools are idle.

        Used before the session is closed, so no job still uses it. Returns False if
        some job did not stop within ``timeout_ms``.
        """
        for job_id in list(self._tokens):
            self._handles[job_id].cancel()
        self._callbacks.clear()
        self._tokens.clear()
        self._lanes.clear()
        stopped = True
        for pool in self._pools.values():
            pool.clear()
            stopped = pool.waitForDone(timeout_ms) and stopped
        return stopped

    def shutdown(self, timeout_ms: int = 15000) -> bool:
        """Like :meth:`drain`, and refuse new jobs afterwards (the window is closing)."""
        self._closed = True
        return self.drain(timeout_ms)

    def _submit(
        self,
        pool: str,
        job: Callable[[JobContext], Any],
        callbacks: _Callbacks,
        *,
        streaming: bool,
        lane: str | None,
    ) -> JobHandle:
        if self._closed:
            raise RuntimeError("workers were shut down")
        if lane is not None and lane in self._lanes:
            self._lanes.pop(lane).cancel()
        job_id = next(self._ids)
        token = CancelToken()
        handle = JobHandle(job_id, token, self._forget)
        self._callbacks[job_id] = callbacks
        self._tokens[job_id] = token
        self._handles[job_id] = handle
        if lane is not None:
            self._lanes[lane] = handle
        self._pools[pool].start(_Runnable(self._relay, handle, job, streaming))
        return handle

    def _forget(self, job_id: int) -> None:
        self._callbacks.pop(job_id, None)
        self._tokens.pop(job_id, None)
        self._handles.pop(job_id, None)
        for lane, handle in list(self._lanes.items()):
            if handle.job_id == job_id:
                del self._lanes[lane]

    def _on_item(self, job_id: int, item: object) -> None:
        callbacks = self._callbacks.get(job_id)
        if callbacks is not None and callbacks.on_item is not None:
            callbacks.on_item(item)

    def _on_progress(self, job_id: int, progress: Progress) -> None:
        callbacks = self._callbacks.get(job_id)
        if callbacks is not None and callbacks.on_progress is not None:
            callbacks.on_progress(progress)

    def _on_finished(self, job_id: int, result: object) -> None:
        callbacks = self._callbacks.get(job_id)
        self._forget(job_id)
        if callbacks is not None and callbacks.on_result is not None:
            callbacks.on_result(result)

    def _on_failed(self, job_id: int, error: JobError) -> None:
        callbacks = self._callbacks.get(job_id)
        self._forget(job_id)
        if callbacks is None:
            # The job was superseded or cancelled; its error no longer matters to anyone.
            log.info("dropped error from a superseded job: %s", error.exception)
            return
        callbacks.on_error(error)

    def _on_cancelled(self, job_id: int) -> None:
        callbacks = self._callbacks.get(job_id)
        self._forget(job_id)
        if callbacks is not None and callbacks.on_cancelled is not None:
            callbacks.on_cancelled()
