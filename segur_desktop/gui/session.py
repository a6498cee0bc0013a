"""The open dossier de travail and its latest validation, shared by every page.

The controller between the window and the core (what ODE's MainWindow should
not have been): it opens workspaces, runs the pipeline through `Workers`,
keeps the latest `Validation`, and tells pages through signals. Pages start
core jobs of their own (a plan, a preview, an export: ARCHITECTURE.md lists
them) through the same `Workers`, but the workspace and its validation are
the session's: pages read them here, never back from widgets.

It also holds the vendor's Suivi register (`core/register`), opened in the
validation's worker, and its latest `Tracking` (the entries and their totals,
read in a worker). A page that writes to the register emits `register_changed`:
the session reads it again and revalidates (statuses change what is a doublon
and which soldes may be deposited). Opening the register records the exports a
kill left out of it (`core/register/journal.py`); the session says so through
`notice`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.progress import CancelToken, ProgressCallback
from segur_desktop.core.register import register_for
from segur_desktop.core.register.index import RegisterIndex, Total, totals
from segur_desktop.core.register.store import Entry, Register
from segur_desktop.core.report import Group, Summary, group
from segur_desktop.core.workspace import Fingerprint, Workspace, edit_workspace, fingerprints, load_workspace
from segur_desktop.gui.workers import Job, LatestJob, Workers

Clock = Callable[[], datetime]


def paris_now() -> datetime:
    return datetime.now(PARIS)


@dataclass(frozen=True, slots=True)
class Validation:
    """One pipeline run as the pages show it; the summary is computed in the worker, not the GUI thread."""

    result: PipelineResult
    summary: Summary  # typed: pages read its fields
    groups: list[Group]  # the diagnostics grouped by code, for the Demandes page's problems panel


@dataclass(frozen=True, slots=True)
class Tracking:
    """The Suivi register as the pages show it, read in a worker: its entries and their totals."""

    register: Register
    entries: list[Entry]
    totals: list[Total]  # by status, couloir and type


@dataclass(frozen=True, slots=True)
class _Outcome:
    workspace: Workspace
    validation: Validation | None
    problem: str | None  # an input the pipeline could not use (the workspace itself could be read)
    tracking: Tracking | None = None  # the vendor's register, opened (and migrated) and read in the worker
    read: dict[Path, Fingerprint] = field(default_factory=dict)  # its sources' (size, mtime), stat'ed in the worker


def _validate(folder: Path, at: datetime | None, *, progress: ProgressCallback, cancel: CancelToken) -> _Outcome:
    workspace = load_workspace(folder)  # unreadable: InputError -> Job.failed, nothing to show at all
    try:
        tracking = _read_register(register_for(workspace))
    except InputError as error:  # a register that cannot be used: no verdict on doublons, so none at all
        return _Outcome(workspace, None, str(error), read=fingerprints(workspace))
    index = RegisterIndex.from_entries(tracking.entries, tracking.register.lifecycle)  # the pipeline holds no database
    try:
        result = run_pipeline(workspace, at or workspace.judged_at or paris_now(), register=index, progress=progress,
                              cancel=cancel)
    except InputError as error:  # the workspace is fine, one of its files is not: the Import page shows it
        return _Outcome(workspace, None, str(error), tracking, fingerprints(workspace))
    return _Outcome(workspace, Validation(result, result.summary(), group(result.diagnostics)), None, tracking,
                    result.read)


def _read_register(register: Register) -> Tracking:
    """The register's entries and totals: read once, for validation's snapshot and for the pages."""
    entries = register.entries()
    return Tracking(register, entries, totals(entries))


class Session(QObject):
    workspace_changed = Signal(object)  # Workspace | None
    validated = Signal(object)  # Validation | None (None: the last run failed, nothing to show)
    job_started = Signal(object, str)  # Job, French title: the window shows its progress
    problem = Signal(str)  # an unusable input: the core's French message, shown as it is
    cancelled = Signal()  # the user stopped a run: the previous validation stays on screen
    register_changed = Signal()  # a page wrote to the register: read it again, revalidate
    tracked = Signal(object)  # Tracking | None: the register as read last (None: no register open)
    notice = Signal(str)  # something the user should know that is no problem (exports recovered into the register)

    def __init__(self, workers: Workers, clock: Clock = paris_now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.clock = clock
        self.folder: Path | None = None
        self.workspace: Workspace | None = None
        self.validation: Validation | None = None
        # The sources' (size, mtime) as the last check found them: pages compare these, never stat on this thread
        # (a workspace on a network share that no longer answers would freeze the window at each look).
        self.read: dict[Path, Fingerprint] = {}
        self.at_override: datetime | None = None
        self.register: Register | None = None  # the open workspace's vendor's register
        self.tracking: Tracking | None = None
        self._run = LatestJob(self)  # one validation at a time: a newer run supersedes an older one
        self._register_read = LatestJob(self)  # likewise the register's reading
        self._editing = 0  # changes to workspace.json still being written (`edit`)
        self.register_changed.connect(self._on_register_written)

    @property
    def at(self) -> datetime:
        """The control instant: the user's choice, else the workspace's date_controle (demo), else now."""
        if self.at_override is not None:
            return self.at_override
        if self.workspace is not None and self.workspace.judged_at is not None:
            return self.workspace.judged_at
        return self.clock()

    @property
    def busy(self) -> bool:
        """A validation runs, or a change to workspace.json is still being written (a check follows it)."""
        return self._run.running or self._editing > 0

    def open(self, folder: Path) -> Job | None:
        """Open a workspace and validate it; the window learns of it through `workspace_changed`."""
        self.folder = folder.expanduser()
        self.workspace = None
        self.read = {}
        return self.revalidate()

    def revalidate(self) -> Job | None:
        """Read, check and validate the open workspace again (F5). One run at a time: a new run
        cancels the previous one."""
        if self.folder is None:
            return None
        job = self._run.follow(self.workers.start(_validate, self.folder, self.at_override),
                               succeeded=self._on_validated, failed=self._on_failed, cancelled=self.cancelled.emit)
        self.job_started.emit(job, self.tr("Vérification du dossier de travail"))
        return job

    def edit(self, changes: dict[str, Any], checking: Callable[[Job], object] | None = None) -> Job | None:
        """Change the workspace's inputs, mapping or control instant (`core.workspace.edit_workspace`'s keywords)
        on the write pool, then revalidate; `checking`, if given, is handed that validation's job (a page saying
        how the check after its change ended).

        workspace.json may sit on a network share that answers slowly or not at all: written on the GUI
        thread, it would freeze the window. The re-import starts once the change is on disk; a change the
        core refuses is said through `problem`, and nothing is checked again. Returns the write's job.
        """
        if self.folder is None:
            return None
        folder = self.folder
        job = self.workers.writes().call(edit_workspace, folder, **changes)
        job.succeeded.connect(lambda workspace: self._on_edited(folder, workspace, checking))
        job.failed.connect(self.problem.emit)
        self._editing += 1
        job.done.connect(self._on_edit_done)
        self.job_started.emit(job, self.tr("Enregistrement du dossier de travail"))
        return job

    def _on_edited(self, folder: Path, workspace: Workspace, checking: Callable[[Job], object] | None) -> None:
        if folder != self.folder:  # another workspace was opened meanwhile: its own check is on its way
            return
        self.workspace = workspace
        self.workspace_changed.emit(workspace)
        check = self.revalidate()
        if checking is not None and check is not None:
            checking(check)

    def _on_edit_done(self) -> None:
        self._editing -= 1

    def cancel(self) -> None:
        """Stop the running validation, if any (the window, closing, cancels every job: `Workers.cancel_all`)."""
        self._run.cancel()

    @property
    def reading_register(self) -> bool:
        return self._register_read.running

    def refresh_register(self) -> Job | None:
        """Read the register's entries again, in a worker; pages learn of them through `tracked`."""
        self._register_read.drop()  # its result, late, is ignored
        if self.register is None:
            self.tracking = None
            self.tracked.emit(None)
            return None
        return self._register_read.follow(self.workers.call(_read_register, self.register),
                                          succeeded=self._on_tracked, failed=self.problem.emit)

    def _on_register_written(self) -> None:
        self.refresh_register()
        self.revalidate()

    def _on_tracked(self, tracking: Tracking) -> None:
        self.tracking = tracking
        self.tracked.emit(tracking)

    def _open_register(self, tracking: Tracking | None) -> None:
        """The outcome's register, when it is another vendor's (or the first one): the worker read it already.

        The same register read again by a later validation is left to `refresh_register` (after a write):
        pages are not told twice."""
        register = tracking.register if tracking is not None else None
        if register is None and self.register is None:
            return
        if register is not None and self.register is not None and register.path == self.register.path:
            return
        self.register = register
        if tracking is None:
            self.refresh_register()  # says: no register
            return
        self._register_read.drop()  # another vendor's, late: ignored
        self.tracking = tracking
        self.tracked.emit(tracking)

    def _on_validated(self, outcome: _Outcome) -> None:
        changed = self.workspace != outcome.workspace
        self.workspace = outcome.workspace
        self.read = outcome.read
        self._open_register(outcome.tracking)  # before the pages hear of the workspace
        if changed:
            self.workspace_changed.emit(self.workspace)
        self.validation = outcome.validation
        self.validated.emit(outcome.validation)
        if outcome.tracking is not None and outcome.tracking.register.recovered:
            self.notice.emit("\n".join(outcome.tracking.register.recovered))
        if outcome.problem is not None:
            self.problem.emit(outcome.problem)

    def _on_failed(self, message: str) -> None:
        self._open_register(None)  # the workspace could not be read: whose register it would be is unknown
        self.validation = None
        self.read = {}
        self.validated.emit(None)
        self.problem.emit(message)
