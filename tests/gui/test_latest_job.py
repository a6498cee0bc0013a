"""`LatestJob`: of the jobs started for one purpose, only the latest is heard, and only while its owner lives.

Jobs are made by hand and their signals emitted in the order a test wants (a superseded job answering late),
as the session's tests do: nothing runs in a thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from shiboken6 import delete

from segur_desktop.gui.workers import Job, LatestJob


def follow(latest: LatestJob, heard: list) -> Job:
    return latest.follow(Job(), succeeded=lambda r: heard.append(("succeeded", r)),
                         failed=lambda m: heard.append(("failed", m)), cancelled=lambda: heard.append(("cancelled",)),
                         crashed=lambda d: heard.append(("crashed", d)), done=lambda: heard.append(("done",)))


def test_a_newer_job_cancels_the_older_whose_late_signals_go_nowhere(qtbot) -> None:
    owner = QObject()
    latest = LatestJob(owner)
    heard: list = []
    older = follow(latest, heard)
    newer = follow(latest, heard)
    assert older.token.cancelled and not newer.token.cancelled
    older.succeeded.emit("ancien")
    older.failed.emit("ancien")
    older.cancelled.emit()
    older.crashed.emit("Traceback ancien")
    older.done.emit()
    assert heard == [] and latest.running and latest.job is newer
    newer.succeeded.emit("nouveau")
    assert heard == [("succeeded", "nouveau")] and latest.running  # not done yet
    newer.done.emit()
    assert heard == [("succeeded", "nouveau"), ("done",)] and not latest.running


def test_each_outcome_of_the_latest_is_heard(qtbot) -> None:
    owner = QObject()  # kept: a LatestJob dies with its owner
    latest = LatestJob(owner)
    heard: list = []
    for emit in (lambda j: j.failed.emit("Fichier illisible."), lambda j: j.cancelled.emit(),
                 lambda j: j.crashed.emit("Traceback")):
        job = follow(latest, heard)
        emit(job)
        job.done.emit()
    assert heard == [("failed", "Fichier illisible."), ("done",), ("cancelled",), ("done",), ("crashed", "Traceback"),
                     ("done",)]


def test_cancel_keeps_following_drop_does_not(qtbot) -> None:
    owner = QObject()  # kept: a LatestJob dies with its owner
    latest = LatestJob(owner)
    heard: list = []
    job = follow(latest, heard)
    latest.cancel()
    assert job.token.cancelled and latest.running
    job.cancelled.emit()
    assert heard == [("cancelled",)]  # the user's cancel is heard: the session says so
    other = follow(latest, heard)
    latest.drop()
    assert other.token.cancelled and not latest.running
    other.cancelled.emit()
    other.done.emit()
    assert heard == [("cancelled",)]


def test_an_owner_gone_before_its_job_ends_is_not_called(qtbot) -> None:
    owner = QObject()
    latest = LatestJob(owner)
    heard: list = []
    job = follow(latest, heard)
    delete(owner)  # a page closed: its LatestJob, a child, goes with it
    job.succeeded.emit("trop tard")
    job.done.emit()
    assert heard == []
