"""The session's one-run-at-a-time rule: a newer validation supersedes an older one, whose late signals are ignored.

The jobs come from a fake `Workers` that runs nothing: each test runs the worker's function itself and
emits the job's signals in the order it wants (a superseded run finishing after the newer one, failing,
being cancelled), as Picard's FakeThreadPool makes its logic tests deterministic.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.progress import CancelToken, no_progress
from segur_desktop.core.workspace import edit_workspace
from segur_desktop.gui.session import Session, Tracking, _read_register, _validate
from segur_desktop.gui.workers import Job


class FakeWorkers:
    """`Workers` that hand out jobs and run nothing."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Job, Any, tuple]] = []
        self.changes: list[dict[str, Any]] = []  # each job's keyword arguments
        self.write_pool: FakeWorkers | None = None

    def start(self, fn, *args: Any, **kwargs: Any) -> Job:
        job = Job()
        self.jobs.append((job, fn, args))
        self.changes.append(kwargs)
        return job

    call = start

    def writes(self) -> FakeWorkers:
        if self.write_pool is None:
            self.write_pool = FakeWorkers()
        return self.write_pool


AT_FIRST = datetime(2022, 11, 28, 10, tzinfo=PARIS)
AT_SECOND = datetime(2022, 11, 29, 10, tzinfo=PARIS)


@pytest.fixture
def fake(qtbot) -> FakeWorkers:
    return FakeWorkers()


@pytest.fixture
def session(fake: FakeWorkers) -> Session:
    return Session(fake)  # type: ignore[arg-type]


def outcome(folder: Path, at: datetime):
    return _validate(folder, at, progress=no_progress, cancel=CancelToken())


def record(session: Session) -> dict[str, list]:
    heard: dict[str, list] = {"validated": [], "problem": [], "cancelled": []}
    session.validated.connect(heard["validated"].append)
    session.problem.connect(heard["problem"].append)
    session.cancelled.connect(lambda: heard["cancelled"].append(True))
    return heard


def test_a_superseded_run_finishing_late_is_ignored(session: Session, demo_folder: Path) -> None:
    first = session.open(demo_folder)
    second = session.revalidate()
    assert first is not None and second is not None and first is not second
    assert first.token.cancelled and not second.token.cancelled  # the newer run cancels the older
    heard = record(session)
    second.succeeded.emit(outcome(demo_folder, AT_SECOND))
    assert [v.summary.at for v in heard["validated"]] == [AT_SECOND]
    first.succeeded.emit(outcome(demo_folder, AT_FIRST))  # late: dropped
    assert len(heard["validated"]) == 1 and session.validation.summary.at == AT_SECOND


def test_a_superseded_run_s_failure_cancel_and_end_are_ignored(session: Session, demo_folder: Path) -> None:
    first = session.open(demo_folder)
    second = session.revalidate()
    heard = record(session)
    first.failed.emit("Le fichier « clients.xlsx » est introuvable.")
    first.cancelled.emit()
    first.done.emit()
    assert heard == {"validated": [], "problem": [], "cancelled": []}
    assert session.busy  # the newer run still runs: the older one's end does not say otherwise
    second.cancelled.emit()
    second.done.emit()
    assert heard["cancelled"] == [True] and not session.busy


def test_the_current_run_s_failure_is_said_and_clears_the_validation(session: Session, demo_folder: Path) -> None:
    job = session.open(demo_folder)
    job.succeeded.emit(outcome(demo_folder, AT_FIRST))
    assert session.validation is not None
    newer = session.revalidate()
    heard = record(session)
    newer.failed.emit("Le dossier de travail est illisible.")
    assert heard["validated"] == [None] and heard["problem"] == ["Le dossier de travail est illisible."]
    assert session.validation is None


def test_each_run_is_started_on_the_folder_with_the_chosen_instant(session: Session, fake: FakeWorkers,
                                                                   demo_folder: Path) -> None:
    session.at_override = AT_SECOND
    session.open(demo_folder)
    (_job, fn, args), = fake.jobs
    assert fn is _validate and args == (demo_folder, AT_SECOND)


def other_vendor(name: str) -> Tracking:
    """A register the worker read for another vendor: only its path and recovered exports matter to the session."""
    return Tracking(SimpleNamespace(path=Path(f"{name}.sqlite3"), recovered=[]), [], [])  # type: ignore[arg-type]


def record_tracked(session: Session) -> list:
    heard: list = []
    session.tracked.connect(heard.append)
    return heard


def test_a_newer_register_read_wins_over_an_older_one(session: Session, fake: FakeWorkers) -> None:
    session.register = other_vendor("a").register
    first, second = session.refresh_register(), session.refresh_register()
    assert first is not None and second is not None and first.token.cancelled and not second.token.cancelled
    assert [fn for _job, fn, _args in fake.jobs] == [_read_register, _read_register]
    heard = record_tracked(session)
    problems = record(session)["problem"]
    newer, older = other_vendor("a"), other_vendor("a")
    second.succeeded.emit(newer)
    first.succeeded.emit(older)  # late: dropped
    first.failed.emit("Le registre est illisible.")
    first.done.emit()
    assert heard == [newer] and session.tracking is newer and problems == []
    assert session.reading_register  # the older read's end does not end the newer one
    second.done.emit()
    assert not session.reading_register


def test_the_same_register_read_again_by_a_validation_is_not_told_twice(session: Session, demo_folder: Path) -> None:
    first = session.open(demo_folder)
    first.succeeded.emit(outcome(demo_folder, AT_FIRST))
    opened, tracking = session.register, session.tracking
    assert opened is not None and tracking is not None
    heard = record_tracked(session)
    again = outcome(demo_folder, AT_SECOND)
    assert again.tracking is not None and again.tracking.register.path == opened.path
    session.revalidate().succeeded.emit(again)
    assert heard == [] and session.register is opened and session.tracking is tracking


def test_another_vendor_s_register_replaces_the_open_one_and_drops_its_pending_read(session: Session,
                                                                                     demo_folder: Path) -> None:
    session.open(demo_folder).succeeded.emit(outcome(demo_folder, AT_FIRST))
    pending = session.refresh_register()
    heard = record_tracked(session)
    other = other_vendor("autre")
    session.revalidate().succeeded.emit(replace(outcome(demo_folder, AT_SECOND), tracking=other))
    assert heard == [other] and session.register is other.register and session.tracking is other
    assert pending is not None and pending.token.cancelled and not session.reading_register
    pending.succeeded.emit(other_vendor("ancien"))  # the previous vendor's read, late: dropped
    assert heard == [other] and session.tracking is other


def test_a_workspace_that_cannot_be_read_closes_its_register(session: Session, fake: FakeWorkers,
                                                             demo_folder: Path) -> None:
    session.open(demo_folder).succeeded.emit(outcome(demo_folder, AT_FIRST))
    assert session.register is not None
    heard = record_tracked(session)
    session.revalidate().failed.emit("workspace.json est illisible.")
    assert heard == [None] and session.register is None and session.tracking is None
    jobs = len(fake.jobs)
    session.revalidate().failed.emit("workspace.json est toujours illisible.")
    assert heard == [None] and len(fake.jobs) == jobs + 1  # no register, none to close again: nothing said, nothing read


def test_edit_without_an_open_folder_does_nothing(session: Session, fake: FakeWorkers) -> None:
    heard = record(session)
    changed: list = []
    session.workspace_changed.connect(changed.append)
    assert session.edit({"mapping": "profil"}) is None
    assert fake.jobs == [] and changed == [] and heard == {"validated": [], "problem": [], "cancelled": []}


def test_an_input_the_pipeline_could_not_use_is_said_and_a_clean_run_says_nothing(session: Session,
                                                                                   demo_folder: Path) -> None:
    heard = record(session)
    session.open(demo_folder).succeeded.emit(outcome(demo_folder, AT_FIRST))
    assert heard["problem"] == [] and len(heard["validated"]) == 1
    unusable = replace(outcome(demo_folder, AT_SECOND), validation=None, problem="Le fichier « bdc.xlsx » est introuvable.")
    session.revalidate().succeeded.emit(unusable)
    assert heard["problem"] == ["Le fichier « bdc.xlsx » est introuvable."] and heard["validated"][-1] is None
    assert session.workspace is not None and session.validation is None  # the workspace stays open, for the Import page


def opened(session: Session, folder: Path) -> None:
    job = session.open(folder)
    job.succeeded.emit(outcome(folder, AT_FIRST))
    job.done.emit()


def test_an_edit_is_written_on_the_write_pool_and_checked_once_on_disk(session: Session, fake: FakeWorkers,
                                                                       demo_folder: Path) -> None:
    opened(session, demo_folder)
    heard = record(session)
    changed: list = []
    session.workspace_changed.connect(changed.append)
    checks: list[Job] = []
    validations = len(fake.jobs)
    written = session.edit({"date_controle": AT_SECOND}, checking=checks.append)
    assert fake.write_pool is not None and [(job, fn, args) for job, fn, args in fake.write_pool.jobs] == [
        (written, edit_workspace, (demo_folder,))]
    assert fake.write_pool.changes == [{"date_controle": AT_SECOND}]
    # Nothing is checked, nor said changed, before workspace.json is written; the session is busy meanwhile.
    assert len(fake.jobs) == validations and changed == [] and checks == [] and session.busy
    written.succeeded.emit(edit_workspace(demo_folder, date_controle=AT_SECOND))
    written.done.emit()
    assert [w.judged_at for w in changed] == [AT_SECOND] and session.workspace.judged_at == AT_SECOND
    assert len(fake.jobs) == validations + 1 and checks == [fake.jobs[-1][0]] and session.busy  # the check runs
    assert heard["problem"] == []


def test_an_edit_the_core_refuses_is_said_and_nothing_is_checked(session: Session, fake: FakeWorkers,
                                                                  demo_folder: Path) -> None:
    opened(session, demo_folder)
    heard = record(session)
    checks: list[Job] = []
    validations = len(fake.jobs)
    written = session.edit({"mapping": "absent"}, checking=checks.append)
    written.failed.emit("Le profil « absent » est introuvable.")
    written.done.emit()
    assert heard["problem"] == ["Le profil « absent » est introuvable."]
    assert len(fake.jobs) == validations and checks == [] and not session.busy


def test_an_edit_written_after_another_workspace_was_opened_is_not_applied(session: Session, fake: FakeWorkers,
                                                                          demo_folder: Path, tmp_path: Path) -> None:
    opened(session, demo_folder)
    written = session.edit({"date_controle": AT_SECOND})
    other = tmp_path / "autre"
    session.open(other)
    validations = len(fake.jobs)
    changed: list = []
    session.workspace_changed.connect(changed.append)
    written.succeeded.emit(edit_workspace(demo_folder, date_controle=AT_SECOND))
    written.done.emit()
    assert changed == [] and len(fake.jobs) == validations and session.folder == other
