"""Core jobs off the GUI thread: results, progress, French errors, bugs, cancel."""

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThread

from segur_desktop.core.errors import InputError
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback
from segur_desktop.gui.workers import Workers


def counting(n: int, *, progress: ProgressCallback, cancel: CancelToken) -> str:
    for i in range(1, n + 1):
        cancel.check()
        progress(Progress("Comptage", i, n))
    return threading.current_thread().name


def test_result_and_progress_arrive_on_the_gui_thread(qtbot) -> None:
    workers = Workers()
    job = workers.start(counting, 3)
    seen = []
    job.progressed.connect(lambda stage, done, total: seen.append((stage, done, total, QThread.currentThread())))
    with qtbot.waitSignal(job.succeeded, timeout=5000) as result:
        pass
    qtbot.waitUntil(lambda: workers.running() == 0)
    assert result.args[0] != threading.current_thread().name  # it ran elsewhere
    assert [s[:3] for s in seen][-1] == ("Comptage", 3, 3)
    assert all(s[3] is QThread.currentThread() for s in seen)  # delivered on the GUI thread


def test_unusable_input_gives_the_french_message(qtbot) -> None:
    def fails(*, progress, cancel):
        raise InputError("Le fichier « x.xlsx » est introuvable.")

    job = Workers().start(fails)
    with qtbot.waitSignal(job.failed, timeout=5000) as failure:
        pass
    assert failure.args == ["Le fichier « x.xlsx » est introuvable."]


def test_a_bug_gives_its_traceback_which_the_default_sink_logs(qtbot, crashes: list[str]) -> None:
    def buggy(*, progress, cancel):
        return 1 / 0

    job = Workers().start(buggy)
    with qtbot.waitSignal(job.done, timeout=5000):
        with qtbot.waitSignal(job.crashed, timeout=5000) as crash:
            pass
    assert "ZeroDivisionError" in crash.args[0] and "Traceback" in crash.args[0]
    assert crashes == [f"Erreur inattendue\n{crash.args[0]}"]  # logged once, by the default sink (and shown)


def test_cancel_stops_a_long_job(qtbot) -> None:
    started = threading.Event()

    def endless(*, progress, cancel):
        started.set()
        deadline = time.monotonic() + 10  # bounded, so a broken cancel fails the test instead of hanging it
        while time.monotonic() < deadline:
            cancel.check()
            time.sleep(0.01)

    job = Workers().start(endless)
    qtbot.waitUntil(started.is_set, timeout=5000)  # keeps the event loop turning: the job starts on it
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.cancel()


def test_writes_run_one_at_a_time(qtbot, tmp_path: Path) -> None:
    workers = Workers()
    active, peak = [0], [0]
    lock = threading.Lock()

    def write(name: str, *, progress, cancel):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        (tmp_path / name).write_text(name)
        with lock:
            active[0] -= 1

    jobs = [workers.writes().start(write, f"f{i}") for i in range(3)]
    with qtbot.waitSignals([j.done for j in jobs], timeout=5000):
        pass
    assert workers.wait(5000)
    assert peak[0] == 1 and sorted(p.name for p in tmp_path.iterdir()) == ["f0", "f1", "f2"]


def test_the_real_pipeline_runs_in_a_worker(qtbot, demo: Path) -> None:
    from segur_desktop.core.pipeline import run_pipeline
    from segur_desktop.core.workspace import load_workspace

    workspace = load_workspace(demo)
    job = Workers().start(run_pipeline, workspace, workspace.judged_at)
    stages = []
    job.progressed.connect(lambda stage, done, total: stages.append(stage))
    with qtbot.waitSignal(job.succeeded, timeout=30000) as result:
        pass
    assert len(result.args[0].demandes) == 38
    assert "Vérification des demandes" in stages


@pytest.mark.parametrize("total", [None])
def test_unknown_total_is_minus_one(qtbot, total) -> None:
    def unknown(*, progress, cancel):
        progress(Progress("Lecture", 5, total))

    job = Workers().start(unknown)
    with qtbot.waitSignal(job.progressed, timeout=5000) as signal:
        pass
    assert signal.args == ["Lecture", 5, -1]


def test_a_plain_function_runs_through_call_and_cannot_be_cancelled(qtbot) -> None:
    def plain(a: int, b: int = 0) -> tuple[int, int]:  # takes no progress=, no cancel=: a TypeError otherwise
        return a, b

    workers = Workers()
    job = workers.call(plain, 1, b=2)
    assert not job.cancellable
    with qtbot.waitSignal(job.succeeded, timeout=5000) as result:
        pass
    assert result.args == [(1, 2)]
    written = workers.writes().call(plain, 3)
    assert not written.cancellable
    with qtbot.waitSignal(written.succeeded, timeout=5000) as result:
        pass
    assert result.args == [(3, 0)]
    assert workers.start(counting, 1).cancellable
    qtbot.waitUntil(lambda: workers.running() == 0, timeout=5000)


def test_cancel_all_stops_every_job_of_both_pools(qtbot) -> None:
    started = threading.Semaphore(0)

    def endless(*, progress, cancel):
        started.release()
        deadline = time.monotonic() + 10  # bounded, so a broken cancel fails the test instead of hanging it
        while time.monotonic() < deadline:
            cancel.check()
            time.sleep(0.01)

    workers = Workers()
    jobs = [workers.start(endless), workers.writes().start(endless)]
    qtbot.waitUntil(lambda: started.acquire(blocking=False), timeout=5000)
    qtbot.waitUntil(lambda: started.acquire(blocking=False), timeout=5000)
    with qtbot.waitSignals([job.cancelled for job in jobs], timeout=5000):
        workers.cancel_all()
    qtbot.waitUntil(lambda: workers.running() == 0, timeout=5000)
    assert workers.wait(5000)


def test_every_crash_reaches_the_sink_whoever_listens(qtbot) -> None:
    """No job dies silently: a bug in a job of either pool, started or called, reaches `on_crash`, even when
    nobody connected `crashed`; the write pool uses the sink set after it was made (the window sets it)."""
    sunk: list[str] = []

    def buggy(*, progress, cancel):
        raise KeyError("clé")

    def exits() -> None:
        raise SystemExit(3)  # not an Exception: the thread would end without a word

    workers = Workers(on_crash=lambda details: None)
    writes = workers.writes()
    workers.on_crash = sunk.append
    jobs = [workers.start(buggy), workers.call(exits), writes.start(buggy), writes.call(exits)]
    with qtbot.waitSignals([job.done for job in jobs], timeout=5000):
        pass
    assert len(sunk) == 4
    assert sum("KeyError: 'clé'" in details for details in sunk) == 2
    assert sum("SystemExit: 3" in details for details in sunk) == 2
    qtbot.waitUntil(lambda: workers.running() == 0, timeout=5000)
