"""The worker module: results land on the GUI thread, errors are delivered, stale dropped."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from photoscreen.core.basics.jobs import Progress
from photoscreen.ui.threads.workers import JobContext, JobError, Workers


@pytest.fixture
def workers(qtbot):
    made = Workers()
    yield made
    made.shutdown()


def test_result_and_progress_arrive_on_the_gui_thread(qtbot, workers):
    seen: list[tuple[str, object, bool]] = []
    gui = QThread.currentThread()

    def job(context: JobContext) -> str:
        context.report(Progress(1, 2, "half"))
        return threading.current_thread().name

    workers.run(
        "viewer",
        job,
        on_result=lambda r: seen.append(("result", r, QThread.currentThread() is gui)),
        on_error=lambda e: seen.append(("error", e, True)),
        on_progress=lambda p: seen.append(("progress", p.done, QThread.currentThread() is gui)),
    )
    qtbot.waitUntil(lambda: any(kind == "result" for kind, _, _ in seen))
    assert [kind for kind, _, _ in seen] == ["progress", "result"]
    assert all(on_gui for _, _, on_gui in seen)
    assert seen[1][1] != threading.current_thread().name  # the job ran elsewhere


def test_errors_are_delivered_with_their_traceback(qtbot, workers):
    errors: list[JobError] = []

    def job(context: JobContext) -> None:
        raise ValueError("bad photo")

    workers.run("viewer", job, on_result=lambda r: None, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0].exception, ValueError)
    assert "bad photo" in errors[0].trace


def test_streamed_items_arrive_in_order(qtbot, workers):
    items: list[int] = []
    done: list[bool] = []
    workers.stream(
        "scan",
        lambda context: iter(range(5)),
        on_item=items.append,
        on_error=lambda e: pytest.fail(str(e.exception)),
        on_finished=lambda _: done.append(True),
    )
    qtbot.waitUntil(lambda: bool(done))
    assert items == [0, 1, 2, 3, 4]


def test_a_new_job_in_the_same_lane_drops_the_old_result(qtbot, workers):
    release = threading.Event()
    results: list[str] = []

    def slow(context: JobContext) -> str:
        release.wait(5)
        return "old"

    workers.run("viewer", slow, on_result=results.append, on_error=print, lane="photo")
    workers.run("viewer", lambda c: "new", on_result=results.append, on_error=print, lane="photo")
    release.set()
    qtbot.waitUntil(lambda: "new" in results)
    qtbot.wait(50)
    assert results == ["new"]


def test_stop_lets_a_job_report_how_it_ended(qtbot, workers):
    started = threading.Event()
    outcome: list[str] = []

    def job(context: JobContext) -> str:
        started.set()
        while not context.cancel.cancelled:
            threading.Event().wait(0.01)
        return "stopped early"

    handle = workers.run("writer", job, on_result=outcome.append, on_error=print)
    assert started.wait(5)
    handle.stop()
    qtbot.waitUntil(lambda: bool(outcome))
    assert outcome == ["stopped early"]


def test_shutdown_cancels_a_running_stream_and_waits(qtbot):
    workers = Workers()
    produced: list[int] = []
    started = threading.Event()

    def endless(context: JobContext):
        n = 0
        while True:
            started.set()
            threading.Event().wait(0.005)
            n += 1
            produced.append(n)
            yield n

    workers.stream("scan", endless, on_item=lambda _: None, on_error=print)
    assert started.wait(5)
    assert workers.shutdown(timeout_ms=5000)
    count = len(produced)
    threading.Event().wait(0.05)
    assert len(produced) == count  # nothing runs after shutdown returned
    with pytest.raises(RuntimeError):
        workers.run("viewer", lambda c: None, on_result=print, on_error=print)
