"""The one way the window runs core work off the GUI thread.

A core job is a plain function that accepts `progress=` and `cancel=` (see
`core/progress.py`). `Workers.start(fn, ...)` runs it on a `QThreadPool` and
returns a `Job` whose signals carry, on the GUI thread, its progress, its
result, a French error for an unusable input, or the traceback of a bug. The
Cancel button calls `Job.cancel()`; the core stops at its next check.
A plain function that takes neither (a register read, a status change) runs
through `Workers.call(fn, ...)`: its Job is not `cancellable`, so the progress
dialog offers no Cancel that would do nothing.
Widgets never start threads themselves and never touch data from a worker.

File writes go through a pool of one thread (`Workers.writes()`), so two
exports never race on the same folder (Picard's save pool).

No job dies silently: every job's `crashed` reaches the pools' one crash sink
(`Workers.on_crash`: the traceback logged and the French error dialog, as
napari's worker mixin relays its errors), whoever started it and whether or
not it is still awaited. And where a newer question makes an older one's
answer worthless (the validation, a plan, an entry's history), `LatestJob`
keeps only the latest job of that purpose: it cancels the one it replaces and
drops its late signals.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from shiboken6 import isValid

from segur_desktop.core.errors import Cancelled, InputError
from segur_desktop.core.progress import CancelToken, Progress
from segur_desktop.gui.error_dialog import report_unexpected

CrashSink = Callable[[str], object]  # receives a bug's traceback


class Job(QObject):
    """A running core job, seen from the GUI thread."""

    progressed = Signal(str, int, int)  # stage (French), done, total (-1 when unknown)
    succeeded = Signal(object)  # the job's return value
    failed = Signal(str)  # an InputError's French message: show it as it is
    crashed = Signal(str)  # a bug: the traceback, for the error dialog's "copy details"
    cancelled = Signal()
    done = Signal()  # after any of the four above, always

    def __init__(self, cancellable: bool = True) -> None:
        super().__init__()
        self.token = CancelToken()
        self.cancellable = cancellable  # False: the function never checks the token (`Workers.call`)

    def cancel(self) -> None:
        self.token.cancel()

    def report(self, progress: Progress) -> None:
        """The core's progress callback (called on the worker thread; signals cross safely)."""
        self.progressed.emit(progress.stage, progress.done, -1 if progress.total is None else progress.total)


class _Runnable(QRunnable):
    def __init__(self, job: Job, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.job, self.fn, self.args, self.kwargs = job, fn, args, kwargs

    def run(self) -> None:
        job = self.job
        try:
            if job.cancellable:
                result = self.fn(*self.args, progress=job.report, cancel=job.token, **self.kwargs)
            else:  # `Workers.call`: a plain function
                result = self.fn(*self.args, **self.kwargs)
        except Cancelled:
            job.cancelled.emit()
        except InputError as error:
            job.failed.emit(str(error))
        except BaseException:  # even SystemExit: the thread would end with no signal, the job awaited forever
            job.crashed.emit(traceback.format_exc())
        else:
            job.succeeded.emit(result)
        job.done.emit()


class Workers:
    """Starts core jobs; keeps each Job alive until it is done; sends every crash to `on_crash`."""

    def __init__(self, pool: QThreadPool | None = None, on_crash: CrashSink = report_unexpected) -> None:
        self.pool = pool or QThreadPool.globalInstance()
        # The one place a job's bug goes (read when it crashes: the window sets it to parent the dialog).
        self.on_crash = on_crash
        self._running: set[Job] = set()
        self._writes: Workers | None = None

    def start(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Job:
        """Run `fn(*args, progress=..., cancel=..., **kwargs)` in the pool.

        The job starts on the next turn of the event loop, so the caller can
        connect every signal first: none is ever emitted unheard.
        """
        return self._run(Job(), fn, args, kwargs)

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Job:
        """Run `fn(*args, **kwargs)` in the pool: a plain function that takes no progress and no cancel.

        Its Job is not cancellable (`Job.cancellable` is False): the progress
        dialog shows no Cancel button for it. `Job.cancel()` is harmless: the
        function runs to its end and its result still arrives.
        """
        return self._run(Job(cancellable=False), fn, args, kwargs)

    def _run(self, job: Job, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Job:
        self._running.add(job)
        job.crashed.connect(lambda details: self.on_crash(details))
        job.done.connect(lambda: self._running.discard(job))
        runnable = _Runnable(job, fn, args, kwargs)
        QTimer.singleShot(0, lambda: self.pool.start(runnable))
        return job

    def writes(self) -> Workers:
        """The single-thread pool for jobs that write files."""
        if self._writes is None:
            pool = QThreadPool()
            pool.setMaxThreadCount(1)
            self._writes = Workers(pool, lambda details: self.on_crash(details))  # the same sink, even if set later
        return self._writes

    def cancel_all(self) -> None:
        """Cancel every job still running, in both pools (closing the window)."""
        for job in list(self._running):
            job.cancel()
        if self._writes is not None:
            self._writes.cancel_all()

    def running(self) -> int:
        return len(self._running) + (self._writes.running() if self._writes else 0)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job has finished (at shutdown, and in tests)."""
        finished = self.pool.waitForDone(msecs)
        if self._writes is not None:
            finished = self._writes.wait(msecs) and finished
        return finished


class LatestJob(QObject):
    """The latest job of one purpose (a validation, a plan, an entry's history): only its outcome is heard.

    Following a new job cancels the one it replaces, whose late result, failure or
    cancellation then go nowhere: a page never shows what an older question answered
    after a newer one was asked. Its crash still reaches the crash sink (`Workers`).
    A child of its owner: once the owner is gone, none of its slots is called.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.job: Job | None = None

    @property
    def running(self) -> bool:
        return self.job is not None

    def follow(self, job: Job, *, succeeded: Callable[[Any], object] | None = None,
               failed: Callable[[str], object] | None = None, cancelled: Callable[[], object] | None = None,
               crashed: Callable[[str], object] | None = None, done: Callable[[], object] | None = None) -> Job:
        """Make `job` the latest; each slot given is called only while it still is (`done` once it has ended
        and is no longer `running`)."""
        self.drop()
        self.job = job
        for signal, slot in ((job.succeeded, succeeded), (job.failed, failed), (job.cancelled, cancelled),
                             (job.crashed, crashed)):
            if slot is not None:
                signal.connect(self._if_latest(job, slot))
        job.done.connect(self._if_latest(job, lambda: self._ended(done)))
        return job

    def cancel(self) -> None:
        """Ask the latest job to stop; it stays followed, so its cancellation is heard."""
        if self.job is not None:
            self.job.cancel()

    def drop(self) -> None:
        """Cancel the latest job and stop following it: whatever it says from now on goes nowhere."""
        self.cancel()
        self.job = None

    def _if_latest(self, job: Job, slot: Callable[..., object]) -> Callable[..., None]:
        def relay(*args: Any) -> None:
            if isValid(self) and job is self.job:
                slot(*args)
        return relay

    def _ended(self, done: Callable[[], object] | None) -> None:
        self.job = None
        if done is not None:
            done()
